import { useId, useState, type KeyboardEvent } from 'react';
import { titleProblem } from '../text';

export interface NewTaskFieldProps {
  draft: string;
  onDraftChange(update: (current: string) => string): void;
  onCreate(title: string): Promise<boolean>;
}

/**
 * Renders the new-task field. Enter adds the trimmed title, and an empty or blank one adds
 * nothing. The text lives with the caller, so that it survives a trip to the sign-in screen.
 */
export function NewTaskField({ draft, onDraftChange, onCreate }: NewTaskFieldProps) {
  const [problem, setProblem] = useState<string | null>(null);
  const inputId = useId();
  const errorId = useId();

  async function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
    event.preventDefault();

    const title = draft.trim();
    if (title === '') return;

    const found = titleProblem(title);
    setProblem(found);
    if (found) return;

    onDraftChange(() => '');
    const created = await onCreate(title);
    // Give the text back when the server rejected it, unless the person has typed on.
    if (!created) onDraftChange((current) => (current === '' ? title : current));
  }

  return (
    <div className="new-task">
      <label htmlFor={inputId} className="visually-hidden">
        What needs to be done?
      </label>
      <input
        id={inputId}
        className="new-todo"
        placeholder="What needs to be done?"
        autoComplete="off"
        value={draft}
        onChange={(event) => {
          onDraftChange(() => event.target.value);
          setProblem(null);
        }}
        onKeyDown={(event) => void onKeyDown(event)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? errorId : undefined}
        autoFocus
      />
      {problem && (
        <p id={errorId} className="field-error new-task-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
