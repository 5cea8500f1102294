import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { codePointLength, descriptionProblem, MAX_DESCRIPTION_LENGTH, titleProblem } from '../text';
import { dueDateFromInput, dueDateToInput } from './dueDate';
import type { Task, TaskPriority, UpdateTaskInput } from './taskOperations';

export interface TaskDetailsFormProps {
  id: string;
  task: Task;
  onSave(input: UpdateTaskInput): Promise<boolean>;
  onClose(): void;
}

interface Problems {
  title?: string;
  description?: string;
}

/**
 * Renders a form that edits every field of a task. It is the keyboard's way to rename a
 * task and the only way to set its details.
 */
export function TaskDetailsForm({ id, task, onSave, onClose }: TaskDetailsFormProps) {
  const [title, setTitle] = useState(task.title);
  const [description, setDescription] = useState(task.description ?? '');
  const [priority, setPriority] = useState<TaskPriority>(task.priority);
  const [dueDate, setDueDate] = useState(dueDateToInput(task.dueDate));
  const [problems, setProblems] = useState<Problems>({});
  const titleInput = useRef<HTMLInputElement>(null);
  const descriptionInput = useRef<HTMLTextAreaElement>(null);
  const ids = {
    title: useId(),
    titleError: useId(),
    description: useId(),
    descriptionError: useId(),
    descriptionCount: useId(),
    priority: useId(),
    dueDate: useId(),
  };

  useEffect(() => {
    titleInput.current?.focus();
  }, []);

  function changes(): UpdateTaskInput {
    const input: UpdateTaskInput = {};
    const trimmedTitle = title.trim();
    const newDescription = description.trim() === '' ? null : description;
    const newDueDate = dueDateFromInput(dueDate);

    if (trimmedTitle !== task.title) input.title = trimmedTitle;
    if (newDescription !== task.description) input.description = newDescription;
    if (priority !== task.priority) input.priority = priority;
    if (dueDateToInput(newDueDate) !== dueDateToInput(task.dueDate)) input.dueDate = newDueDate;
    return input;
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();

    const found: Problems = {
      title: titleProblem(title.trim()) ?? undefined,
      description: descriptionProblem(description) ?? undefined,
    };
    setProblems(found);
    if (found.title) return titleInput.current?.focus();
    if (found.description) return descriptionInput.current?.focus();

    const input = changes();
    onClose();
    if (Object.keys(input).length > 0) void onSave(input);
  }

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  }

  const descriptionLength = codePointLength(description);

  return (
    <form id={id} className="task-details" aria-label={`Details of “${task.title}”`} noValidate onSubmit={submit} onKeyDown={onKeyDown}>
      <div className="field">
        <label htmlFor={ids.title}>Title</label>
        <input
          ref={titleInput}
          id={ids.title}
          value={title}
          onChange={(event) => setTitle(event.target.value)}
          aria-invalid={problems.title ? true : undefined}
          aria-describedby={problems.title ? ids.titleError : undefined}
        />
        {problems.title && (
          <p id={ids.titleError} className="field-error">
            {problems.title}
          </p>
        )}
      </div>

      <div className="field">
        <label htmlFor={ids.description}>Description</label>
        <textarea
          ref={descriptionInput}
          id={ids.description}
          rows={3}
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          aria-invalid={problems.description ? true : undefined}
          aria-describedby={problems.description ? `${ids.descriptionError} ${ids.descriptionCount}` : ids.descriptionCount}
        />
        <p id={ids.descriptionCount} className={descriptionLength > MAX_DESCRIPTION_LENGTH ? 'field-hint over' : 'field-hint'}>
          {descriptionLength} of {MAX_DESCRIPTION_LENGTH} characters
        </p>
        {problems.description && (
          <p id={ids.descriptionError} className="field-error">
            {problems.description}
          </p>
        )}
      </div>

      <div className="field-row">
        <div className="field">
          <label htmlFor={ids.priority}>Priority</label>
          <select id={ids.priority} value={priority} onChange={(event) => setPriority(event.target.value as TaskPriority)}>
            <option value="LOW">Low</option>
            <option value="MEDIUM">Medium</option>
            <option value="HIGH">High</option>
          </select>
        </div>

        <div className="field">
          <label htmlFor={ids.dueDate}>Due date</label>
          <input id={ids.dueDate} type="date" value={dueDate} onChange={(event) => setDueDate(event.target.value)} />
        </div>
      </div>

      <div className="form-actions">
        <button type="submit" className="primary-button">
          Save
        </button>
        <button type="button" className="secondary-button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
