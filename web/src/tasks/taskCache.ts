import { InMemoryCache, type ApolloCache, type Reference } from '@apollo/client';
import type { FieldMergeFunction, ModifierDetails } from '@apollo/client/cache';
import {
  TASKS_QUERY,
  type Task,
  type TaskCounts,
  type TaskEdge,
  type TaskListVariables,
} from './taskOperations';

interface StoredTaskConnection {
  edges: ReadonlyArray<{ cursor: string; node: Reference }>;
  pageInfo: unknown;
}

/**
 * Merges a page of `tasks` into the pages already loaded for the same filter and order.
 * A request without `after` starts the list again. A later page is appended, and a task it
 * contains that the list already shows (one added here while more pages were waiting)
 * moves to the place the server gives it.
 */
const mergeTaskPages: FieldMergeFunction<StoredTaskConnection, StoredTaskConnection> = (
  existing,
  incoming,
  { args },
) => {
  if (!existing || !args?.after) return incoming;

  const incomingRefs = new Set(incoming.edges.map((edge) => edge.node.__ref));
  const earlierEdges = existing.edges.filter((edge) => !incomingRefs.has(edge.node.__ref));
  return { ...incoming, edges: [...earlierEdges, ...incoming.edges] };
};

export function createTaskCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          tasks: { keyArgs: ['filter', 'orderBy'], merge: mergeTaskPages },
        },
      },
      // Counts have no id, so a new object is merged into the stored one field by field.
      TaskCounts: { merge: true },
    },
  });
}

/** Adds a task to one loaded list: at the top for newest-first order, otherwise at the bottom. */
export function insertTaskIntoList(cache: ApolloCache, variables: TaskListVariables, task: Task): void {
  const edge: TaskEdge = { __typename: 'TaskEdge', cursor: task.id, node: task };
  const atTop = variables.orderBy.field === 'CREATED_AT' && variables.orderBy.direction === 'DESC';

  cache.updateQuery({ query: TASKS_QUERY, variables: { ...variables, after: null } }, (data) => {
    if (!data) return undefined;
    if (data.tasks.edges.some((existing) => existing.node.id === task.id)) return undefined;

    const edges = atTop ? [edge, ...data.tasks.edges] : [...data.tasks.edges, edge];
    return { ...data, tasks: { ...data.tasks, edges } };
  });
}

/** Removes from every loaded list the tasks for which `shouldRemove` returns true. */
export function removeTasksFromLists(
  cache: ApolloCache,
  shouldRemove: (taskRef: Reference, readField: ModifierDetails['readField']) => boolean,
): void {
  cache.modify<{ tasks: StoredTaskConnection }>({
    id: 'ROOT_QUERY',
    fields: {
      tasks(existing, { readField }) {
        const connection = existing as StoredTaskConnection;
        const edges = connection.edges.filter((edge) => !shouldRemove(edge.node, readField));
        return edges.length === connection.edges.length ? connection : { ...connection, edges };
      },
    },
  });
}

/** Returns references to the tasks in every loaded list. */
export function cachedTaskRefs(cache: ApolloCache): Reference[] {
  const refs = new Map<string, Reference>();

  cache.modify<{ tasks: StoredTaskConnection }>({
    id: 'ROOT_QUERY',
    fields: {
      tasks(existing) {
        for (const edge of (existing as StoredTaskConnection).edges) refs.set(edge.node.__ref, edge.node);
        return existing;
      },
    },
  });

  return [...refs.values()];
}

/** Replaces the stored task counts by the result of `change`, when counts are loaded. */
export function updateTaskCounts(cache: ApolloCache, change: (counts: TaskCounts) => Omit<TaskCounts, '__typename'>): void {
  cache.modify<{ taskCounts: TaskCounts }>({
    id: 'ROOT_QUERY',
    fields: {
      taskCounts(existing) {
        const counts = existing as TaskCounts;
        const next = change(counts);
        return {
          ...counts,
          all: Math.max(0, next.all),
          active: Math.max(0, next.active),
          completed: Math.max(0, next.completed),
        };
      },
    },
  });
}
