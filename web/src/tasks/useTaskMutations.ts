import type { ApolloCache, ApolloClient } from '@apollo/client';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { useCallback } from 'react';
import { describeError, hasErrorCode } from '../apollo/errors';
import { useNotify } from '../notices/Notices';
import {
  addTask,
  applyTaskUpdate,
  countCompletionChange,
  markAllTasks,
  newOptimisticTaskId,
  removeCompletedTasks,
  removeTask,
  writeTask,
} from './taskChanges';
import {
  CLEAR_COMPLETED_TASKS_MUTATION,
  CREATE_TASK_MUTATION,
  DELETE_TASK_MUTATION,
  SET_ALL_TASKS_COMPLETED_MUTATION,
  TASKS_QUERY,
  UPDATE_TASK_MUTATION,
  type CreateTaskInput,
  type Task,
  type TaskListVariables,
  type UpdateTaskInput,
} from './taskOperations';

/*
 * A task appears on screen before the server has created it, under a temporary id. Changes
 * made to it meanwhile (a fast click on its checkbox) show at once in an optimistic layer
 * of their own and are sent once the real id is known.
 */

/** Temporary id of each task being created, mapped to the promise of its real id. */
const pendingCreations = new Map<string, Promise<string>>();

/** Real id of each created task, mapped to the temporary id it was shown under, which stays its React key. */
const keysOfCreatedTasks = new Map<string, string>();

/** Returns a React key that stays the same when a new task's temporary id becomes its real id. */
export function taskKey(id: string): string {
  return keysOfCreatedTasks.get(id) ?? id;
}

/**
 * Settles when the last creation sent so far has. Creations go to the server one after
 * another, so that tasks typed in quick succession keep their order after a reload. Sent
 * together, they could be stored in either order.
 */
let earlierCreations: Promise<unknown> = Promise.resolve();

/** Raised for a change to a task whose creation failed; the failure has been reported already. */
class CreationFailedError extends Error {}

let waitingLayerCounter = 0;

/**
 * Runs `send` with the task's saved id. For a task still being created, `showMeanwhile`
 * changes the cache at once, in an optimistic layer of its own. That layer goes as soon
 * as `send` has started, because the mutation it sends applies the same change as its
 * optimistic result (synchronously, within the `mutate` call), and the change must not
 * count twice.
 */
async function whenSaved<T>(
  client: ApolloClient,
  taskId: string,
  showMeanwhile: (cache: ApolloCache) => void,
  send: (savedId: string) => Promise<T>,
): Promise<T> {
  const pending = pendingCreations.get(taskId);
  if (!pending) return send(taskId);

  waitingLayerCounter += 1;
  const layerId = `waiting-for-${taskId}-${waitingLayerCounter}`;
  client.cache.recordOptimisticTransaction(showMeanwhile, layerId);

  let sending: Promise<T>;
  try {
    const savedId = await pending.catch(() => {
      throw new CreationFailedError();
    });
    sending = send(savedId);
  } finally {
    client.cache.removeOptimistic(layerId);
  }
  return sending;
}

/**
 * Runs `send` once every task being created has been created (or has failed), so that a
 * change to all tasks includes them. `showMeanwhile` works as in `whenSaved`.
 */
async function afterAllCreations<T>(
  client: ApolloClient,
  showMeanwhile: (cache: ApolloCache) => void,
  send: () => Promise<T>,
): Promise<T> {
  if (pendingCreations.size === 0) return send();

  waitingLayerCounter += 1;
  const layerId = `waiting-for-creations-${waitingLayerCounter}`;
  client.cache.recordOptimisticTransaction(showMeanwhile, layerId);

  let sending: Promise<T>;
  try {
    await Promise.allSettled(pendingCreations.values());
    sending = send();
  } finally {
    client.cache.removeOptimistic(layerId);
  }
  return sending;
}

function needsRefetchAfterCreate(listVariables: TaskListVariables): boolean {
  // Only the default order puts a new task at a known place (the end, or the top when
  // newest first), and a search may not match the new title at all.
  return listVariables.orderBy.field !== 'CREATED_AT' || Boolean(listVariables.filter.search);
}

/** Returns a function that adds a task to the list shown with `listVariables`. */
export function useCreateTask(listVariables: TaskListVariables) {
  const client = useApolloClient();
  const notify = useNotify();
  const [createTask] = useMutation(CREATE_TASK_MUTATION);

  return useCallback(
    async (input: CreateTaskInput): Promise<boolean> => {
      const temporaryId = newOptimisticTaskId();
      const now = new Date().toISOString();
      const optimisticTask: Task = {
        __typename: 'Task',
        id: temporaryId,
        title: input.title,
        description: input.description ?? null,
        completed: false,
        completedAt: null,
        priority: input.priority ?? 'MEDIUM',
        dueDate: input.dueDate ?? null,
        createdAt: now,
        updatedAt: now,
      };

      let settleCreation: { resolve(id: string): void; reject(error: unknown): void } | undefined;
      const creation = new Promise<string>((resolve, reject) => (settleCreation = { resolve, reject }));
      creation.catch(() => {});
      pendingCreations.set(temporaryId, creation);

      const previous = earlierCreations;
      earlierCreations = creation.catch(() => {});

      // Shows the task at once, while an earlier creation is still on its way.
      const waitingLayerId = `waiting-to-create-${temporaryId}`;
      client.cache.recordOptimisticTransaction((cache) => addTask(cache, optimisticTask, listVariables), waitingLayerId);

      try {
        await previous;
        const sending = createTask({
          variables: { input },
          optimisticResponse: { createTask: optimisticTask },
          update(cache, { data }) {
            if (!data) return;
            if (data.createTask.id !== temporaryId) keysOfCreatedTasks.set(data.createTask.id, temporaryId);
            addTask(cache, data.createTask, listVariables);
          },
        });
        // The mutation has applied its own optimistic result by now, within the call.
        client.cache.removeOptimistic(waitingLayerId);
        const result = await sending;

        const created = result.data?.createTask;
        if (!created) throw new Error('The server sent no task.');
        settleCreation?.resolve(created.id);

        if (needsRefetchAfterCreate(listVariables)) {
          client.refetchQueries({ include: [TASKS_QUERY] }).catch((error: unknown) => {
            notify(`Added “${input.title}”, but could not refresh the list: ${describeError(error)}`);
          });
        }
        return true;
      } catch (error) {
        settleCreation?.reject(error);
        notify(`Could not add “${input.title}”: ${describeError(error)}`);
        return false;
      } finally {
        client.cache.removeOptimistic(waitingLayerId);
        pendingCreations.delete(temporaryId);
      }
    },
    [client, createTask, listVariables, notify],
  );
}

/** Returns a function that changes some fields of a task. */
export function useUpdateTask() {
  const client = useApolloClient();
  const notify = useNotify();
  const [updateTask] = useMutation(UPDATE_TASK_MUTATION);

  return useCallback(
    async (task: Task, input: UpdateTaskInput): Promise<boolean> => {
      const updated = applyTaskUpdate(task, input);

      try {
        await whenSaved(
          client,
          task.id,
          (cache) => writeTask(cache, task, updated),
          (id) =>
            updateTask({
              variables: { id, input },
              optimisticResponse: { updateTask: { ...updated, id } },
              update: (cache) => countCompletionChange(cache, task, updated),
            }),
        );
        return true;
      } catch (error) {
        if (error instanceof CreationFailedError) return false;
        if (hasErrorCode(error, 'NOT_FOUND')) client.cache.batch({ update: (cache) => removeTask(cache, task) });
        notify(`Could not save “${task.title}”: ${describeError(error)}`);
        return false;
      }
    },
    [client, notify, updateTask],
  );
}

/** Returns a function that deletes a task. */
export function useDeleteTask() {
  const client = useApolloClient();
  const notify = useNotify();
  const [deleteTask] = useMutation(DELETE_TASK_MUTATION);

  return useCallback(
    async (task: Task): Promise<boolean> => {
      try {
        await whenSaved(
          client,
          task.id,
          (cache) => removeTask(cache, task),
          (id) =>
            deleteTask({
              variables: { id },
              optimisticResponse: { deleteTask: id },
              update: (cache) => removeTask(cache, { ...task, id }),
            }),
        );
        return true;
      } catch (error) {
        if (error instanceof CreationFailedError) return true;
        if (hasErrorCode(error, 'NOT_FOUND')) {
          // Deleted elsewhere already, which is the result the person requested.
          client.cache.batch({ update: (cache) => removeTask(cache, task) });
          return true;
        }
        notify(`Could not delete “${task.title}”: ${describeError(error)}`);
        return false;
      }
    },
    [client, deleteTask, notify],
  );
}

/** Returns a function that marks every task of the user complete, or every task active. */
export function useSetAllTasksCompleted() {
  const client = useApolloClient();
  const notify = useNotify();
  const [setAllTasksCompleted] = useMutation(SET_ALL_TASKS_COMPLETED_MUTATION);

  return useCallback(
    async (completed: boolean): Promise<boolean> => {
      try {
        await afterAllCreations(
          client,
          (cache) => markAllTasks(cache, completed),
          () =>
            setAllTasksCompleted({
              variables: { completed },
              optimisticResponse: { setAllTasksCompleted: 0 },
              update: (cache) => markAllTasks(cache, completed),
            }),
        );
        return true;
      } catch (error) {
        notify(`Could not mark all tasks ${completed ? 'complete' : 'active'}: ${describeError(error)}`);
        return false;
      }
    },
    [client, notify, setAllTasksCompleted],
  );
}

/** Returns a function that deletes every completed task of the user. */
export function useClearCompletedTasks() {
  const client = useApolloClient();
  const notify = useNotify();
  const [clearCompletedTasks] = useMutation(CLEAR_COMPLETED_TASKS_MUTATION);

  return useCallback(async (): Promise<boolean> => {
    try {
      await afterAllCreations(client, removeCompletedTasks, () =>
        clearCompletedTasks({
          optimisticResponse: { clearCompletedTasks: 0 },
          update: removeCompletedTasks,
        }),
      );
      return true;
    } catch (error) {
      notify(`Could not clear completed tasks: ${describeError(error)}`);
      return false;
    }
  }, [client, clearCompletedTasks, notify]);
}
