import { STATUS_ROUTES } from './statusRoute';
import type { TaskCounts, TaskStatus } from './taskOperations';

export interface TaskFooterProps {
  counts: TaskCounts;
  status: TaskStatus;
  onClearCompleted(): void;
}

/** Shows the counter, the filter links and "Clear completed", as in TodoMVC. */
export function TaskFooter({ counts, status, onClearCompleted }: TaskFooterProps) {
  return (
    <footer className="footer">
      <span className="todo-count" data-testid="todo-count">
        <strong>{counts.active}</strong> {counts.active === 1 ? 'item' : 'items'} left
      </span>
      <ul className="filters" aria-label="Show">
        {STATUS_ROUTES.map((route) => (
          <li key={route.status}>
            <a
              href={route.hash}
              className={route.status === status ? 'selected' : undefined}
              aria-current={route.status === status ? 'page' : undefined}
            >
              {route.label}
            </a>
          </li>
        ))}
      </ul>
      {counts.completed > 0 && (
        <button type="button" className="clear-completed" onClick={onClearCompleted}>
          Clear completed
        </button>
      )}
    </footer>
  );
}
