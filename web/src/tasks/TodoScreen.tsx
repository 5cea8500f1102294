import { useQuery } from '@apollo/client/react';
import { useEffect, useId, useMemo, useState } from 'react';
import { describeError } from '../apollo/errors';
import { useNotify } from '../notices/Notices';
import { useStatusRoute } from './statusRoute';
import { NewTaskField } from './NewTaskField';
import { TaskFooter } from './TaskFooter';
import { TaskItem } from './TaskItem';
import {
  TASK_COUNTS_QUERY,
  TASKS_QUERY,
  type Task,
  type TaskFilter,
  type TaskListVariables,
  type TaskStatus,
} from './taskOperations';
import { DEFAULT_SORT, orderOf, type SortOptionId } from './taskOrder';
import { TaskToolbar } from './TaskToolbar';
import {
  taskKey,
  useClearCompletedTasks,
  useCreateTask,
  useDeleteTask,
  useSetAllTasksCompleted,
  useUpdateTask,
} from './useTaskMutations';

export const PAGE_SIZE = 50;

export interface TodoScreenProps {
  draft: string;
  onDraftChange(update: (current: string) => string): void;
}

const EMPTY_MESSAGES = {
  ALL: 'No tasks.',
  ACTIVE: 'No active tasks.',
  COMPLETED: 'No completed tasks.',
} as const;

/** Shows the task list of the signed-in user. */
export function TodoScreen({ draft, onDraftChange }: TodoScreenProps) {
  const status = useStatusRoute();
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<SortOptionId>(DEFAULT_SORT);
  const notify = useNotify();
  const toggleAllId = useId();

  const listVariables = useMemo<TaskListVariables>(() => {
    const filter: TaskFilter = search === '' ? { status } : { status, search };
    return { filter, orderBy: orderOf(sort), first: PAGE_SIZE };
  }, [status, search, sort]);

  const tasksQuery = useQuery(TASKS_QUERY, {
    variables: listVariables,
    fetchPolicy: 'cache-and-network',
    nextFetchPolicy: 'cache-first',
  });
  const countsQuery = useQuery(TASK_COUNTS_QUERY, { fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first' });

  const createTask = useCreateTask(listVariables);
  const updateTask = useUpdateTask();
  const deleteTask = useDeleteTask();
  const setAllTasksCompleted = useSetAllTasksCompleted();
  const clearCompletedTasks = useClearCompletedTasks();
  const [loadingMore, setLoadingMore] = useState(false);

  const connection = tasksQuery.data?.tasks;
  const counts = countsQuery.data?.taskCounts;

  // The server filters by status too. Filtering here as well hides a task the moment it
  // stops matching (checked in the Active view), before any refetch.
  const visibleTasks = useMemo(
    () => (connection?.edges ?? []).map((edge) => edge.node).filter((task) => matchesStatus(task, status)),
    [connection, status],
  );

  // Without a list, the failure shows in its place below. With one, it shows in a notice.
  useReportError(connection ? tasksQuery.error : undefined, 'Could not refresh the task list');
  useReportError(countsQuery.error, 'Could not load the task counts');

  async function loadMore() {
    if (!connection?.pageInfo.endCursor) return;
    setLoadingMore(true);
    try {
      await tasksQuery.fetchMore({ variables: { after: connection.pageInfo.endCursor } });
    } catch (error) {
      notify(`Could not load more tasks: ${describeError(error)}`);
    } finally {
      setLoadingMore(false);
    }
  }

  const hasTasks = (counts?.all ?? visibleTasks.length) > 0;
  const allCompleted = counts !== undefined && counts.all > 0 && counts.active === 0;

  return (
    <section className="todoapp">
      <header className="header">
        <h1>todos</h1>
        <NewTaskField draft={draft} onDraftChange={onDraftChange} onCreate={(title) => createTask({ title })} />
      </header>

      {(hasTasks || search !== '') && <TaskToolbar sort={sort} onSortChange={setSort} onSearchChange={setSearch} />}

      {!connection && tasksQuery.loading && (
        <p className="list-status" role="status">
          Loading tasks…
        </p>
      )}

      {!connection && tasksQuery.error && (
        <div className="list-status list-error" role="alert">
          <p>Could not load your tasks. {describeError(tasksQuery.error)}</p>
          {/* A failed retry shows here again, through tasksQuery.error. */}
          <button type="button" className="secondary-button" onClick={() => void tasksQuery.refetch().catch(() => {})}>
            Try again
          </button>
        </div>
      )}

      {hasTasks && (
        <main className="main">
          <div className="toggle-all-container">
            <input
              id={toggleAllId}
              className="toggle-all"
              type="checkbox"
              checked={allCompleted}
              onChange={() => void setAllTasksCompleted(!allCompleted)}
            />
            <label htmlFor={toggleAllId}>Mark all as complete</label>
          </div>

          <ul className="todo-list">
            {visibleTasks.map((task) => (
              <TaskItem key={taskKey(task.id)} task={task} onUpdate={updateTask} onDelete={deleteTask} />
            ))}
          </ul>

          {connection && visibleTasks.length === 0 && (
            <p className="list-status">{search === '' ? EMPTY_MESSAGES[status] : `No tasks match “${search}”.`}</p>
          )}

          {connection?.pageInfo.hasNextPage && (
            <div className="load-more">
              <button type="button" className="secondary-button" disabled={loadingMore} onClick={() => void loadMore()}>
                {loadingMore ? 'Loading…' : 'Load more'}
              </button>
            </div>
          )}
        </main>
      )}

      {hasTasks && counts && (
        <TaskFooter counts={counts} status={status} onClearCompleted={() => void clearCompletedTasks()} />
      )}
    </section>
  );
}

function matchesStatus(task: Task, status: TaskStatus): boolean {
  if (status === 'ACTIVE') return !task.completed;
  if (status === 'COMPLETED') return task.completed;
  return true;
}

/** Shows each new error of a query in a notice, once. */
function useReportError(error: unknown, prefix: string) {
  const notify = useNotify();

  useEffect(() => {
    if (error) notify(`${prefix}: ${describeError(error)}`);
  }, [error, notify, prefix]);
}
