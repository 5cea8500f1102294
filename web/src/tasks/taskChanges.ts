import type { ApolloCache } from '@apollo/client';
import { insertTaskIntoList, cachedTaskRefs, removeTasksFromLists, updateTaskCounts } from './taskCache';
import { TASK_FIELDS, type Task, type TaskListVariables, type UpdateTaskInput } from './taskOperations';

/**
 * The cache changes that each task mutation makes. Each runs twice: in the optimistic layer
 * while the request is in flight (dropped again if the server rejects it) and on the
 * stored data once the server has responded.
 */

const OPTIMISTIC_ID_PREFIX = 'unsaved-';
let optimisticIdCounter = 0;

/** Returns an id for a task that the server has not yet created. */
export function newOptimisticTaskId(): string {
  optimisticIdCounter += 1;
  return `${OPTIMISTIC_ID_PREFIX}${optimisticIdCounter}`;
}

export function isUnsavedTaskId(id: string): boolean {
  return id.startsWith(OPTIMISTIC_ID_PREFIX);
}

export function taskCacheId(cache: ApolloCache, id: string): string {
  return cache.identify({ __typename: 'Task', id }) ?? `Task:${id}`;
}

export function addTask(cache: ApolloCache, task: Task, listVariables: TaskListVariables): void {
  updateTaskCounts(cache, (counts) => ({ all: counts.all + 1, active: counts.active + 1, completed: counts.completed }));
  if (listVariables.filter.status !== 'COMPLETED') insertTaskIntoList(cache, listVariables, task);
}

/** Returns the task as it will be once `input` is applied. */
export function applyTaskUpdate(task: Task, input: UpdateTaskInput): Task {
  const completed = input.completed ?? task.completed;

  let completedAt: string | null = null;
  if (completed) completedAt = task.completed ? task.completedAt : new Date().toISOString();

  return {
    ...task,
    title: input.title ?? task.title,
    description: input.description === undefined ? task.description : input.description,
    priority: input.priority ?? task.priority,
    dueDate: input.dueDate === undefined ? task.dueDate : input.dueDate,
    completed,
    completedAt,
    updatedAt: new Date().toISOString(),
  };
}

/** Adjusts the counts for a task whose `completed` changes from `before` to `after`. */
export function countCompletionChange(cache: ApolloCache, before: Task, after: Task): void {
  if (before.completed === after.completed) return;
  const delta = after.completed ? 1 : -1;
  updateTaskCounts(cache, (counts) => ({
    all: counts.all,
    active: counts.active - delta,
    completed: counts.completed + delta,
  }));
}

/** Writes a changed task into the cache while the task waits for its creation to finish. */
export function writeTask(cache: ApolloCache, before: Task, after: Task): void {
  cache.writeFragment({ id: taskCacheId(cache, after.id), fragment: TASK_FIELDS, data: after });
  countCompletionChange(cache, before, after);
}

export function removeTask(cache: ApolloCache, task: Task): void {
  const cacheId = taskCacheId(cache, task.id);
  removeTasksFromLists(cache, (ref) => ref.__ref === cacheId);
  updateTaskCounts(cache, (counts) => ({
    all: counts.all - 1,
    active: counts.active - (task.completed ? 0 : 1),
    completed: counts.completed - (task.completed ? 1 : 0),
  }));
}

export function markAllTasks(cache: ApolloCache, completed: boolean): void {
  const now = new Date().toISOString();

  for (const ref of cachedTaskRefs(cache)) {
    cache.modify<Task>({
      id: ref.__ref,
      fields: {
        completed: () => completed,
        completedAt: (previous) => (completed ? (previous ?? now) : null),
      },
    });
  }

  updateTaskCounts(cache, (counts) =>
    completed
      ? { all: counts.all, active: 0, completed: counts.all }
      : { all: counts.all, active: counts.all, completed: 0 },
  );
}

export function removeCompletedTasks(cache: ApolloCache): void {
  removeTasksFromLists(cache, (ref, readField) => readField<boolean>('completed', ref) === true);
  updateTaskCounts(cache, (counts) => ({ all: counts.all - counts.completed, active: counts.active, completed: 0 }));
}
