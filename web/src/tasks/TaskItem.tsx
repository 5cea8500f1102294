import { useId, useRef, useState } from 'react';
import { formatDueDate, isOverdue } from './dueDate';
import { TaskDetailsForm } from './TaskDetailsForm';
import type { Task, UpdateTaskInput } from './taskOperations';
import { TitleEditor } from './TitleEditor';

export interface TaskItemProps {
  task: Task;
  onUpdate(task: Task, input: UpdateTaskInput): Promise<boolean>;
  onDelete(task: Task): Promise<boolean>;
}

const PRIORITY_LABELS = { LOW: 'Low priority', MEDIUM: 'Medium priority', HIGH: 'High priority' } as const;

/**
 * Renders one task in the markup of TodoMVC's React example. The `li` contains only the
 * title as text unless the task has a description, a due date or a priority other than medium.
 */
export function TaskItem({ task, onUpdate, onDelete }: TaskItemProps) {
  const [editing, setEditing] = useState(false);
  const [detailsOpen, setDetailsOpen] = useState(false);
  const titleId = useId();
  const detailsId = useId();
  const toggleInput = useRef<HTMLInputElement>(null);
  const detailsButton = useRef<HTMLButtonElement>(null);

  const classNames = [task.completed ? 'completed' : '', editing ? 'editing' : ''].filter(Boolean).join(' ');

  function startEditing() {
    setDetailsOpen(false);
    setEditing(true);
  }

  function finishEditing(returnFocus: boolean) {
    setEditing(false);
    if (returnFocus) requestAnimationFrame(() => toggleInput.current?.focus());
  }

  function closeDetails() {
    setDetailsOpen(false);
    requestAnimationFrame(() => detailsButton.current?.focus());
  }

  return (
    <li data-testid="todo-item" className={classNames}>
      <div className="view">
        <input
          ref={toggleInput}
          className="toggle"
          type="checkbox"
          checked={task.completed}
          onChange={() => void onUpdate(task, { completed: !task.completed })}
          aria-labelledby={titleId}
        />
        <label id={titleId} data-testid="todo-title" onDoubleClick={startEditing}>
          {task.title}
        </label>
        <TaskMeta task={task} />
        <button
          ref={detailsButton}
          type="button"
          className="details-toggle"
          aria-label={`Edit details of “${task.title}”`}
          title="Edit details"
          aria-expanded={detailsOpen}
          aria-controls={detailsOpen ? detailsId : undefined}
          onClick={() => (detailsOpen ? closeDetails() : setDetailsOpen(true))}
        />
        <button
          type="button"
          className="destroy"
          aria-label={`Delete “${task.title}”`}
          title="Delete"
          onClick={() => void onDelete(task)}
        />
      </div>

      {editing && (
        <TitleEditor
          task={task}
          onSave={(title) => onUpdate(task, { title })}
          onDelete={() => onDelete(task)}
          onDone={finishEditing}
        />
      )}

      {detailsOpen && (
        <TaskDetailsForm id={detailsId} task={task} onSave={(input) => onUpdate(task, input)} onClose={closeDetails} />
      )}
    </li>
  );
}

/** Shows the description, due date and priority, each only when it differs from the default. */
function TaskMeta({ task }: { task: Task }) {
  const hasPriority = task.priority !== 'MEDIUM';
  if (!task.description && !task.dueDate && !hasPriority) return null;

  const overdue = task.dueDate !== null && !task.completed && isOverdue(task.dueDate);

  return (
    <div className="task-meta">
      {hasPriority && (
        <span className={`badge priority-${task.priority.toLowerCase()}`}>{PRIORITY_LABELS[task.priority]}</span>
      )}
      {task.dueDate && (
        <span className={overdue ? 'badge due overdue' : 'badge due'}>
          {overdue ? 'Overdue: ' : 'Due '}
          <time dateTime={task.dueDate}>{formatDueDate(task.dueDate)}</time>
        </span>
      )}
      {task.description && <p className="task-description">{task.description}</p>}
    </div>
  );
}
