import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useNotify } from '../notices/Notices';
import { titleProblem } from '../text';
import type { Task } from './taskOperations';

export interface TitleEditorProps {
  task: Task;
  onSave(title: string): Promise<boolean>;
  onDelete(): Promise<boolean>;
  /** Ends editing. `returnFocus` is true when the person finished with the keyboard. */
  onDone(returnFocus: boolean): void;
}

/**
 * Renders the inline title editor that a double-click opens. Enter or leaving the field
 * saves, Escape cancels, and an emptied title deletes the task.
 */
export function TitleEditor({ task, onSave, onDelete, onDone }: TitleEditorProps) {
  const [text, setText] = useState(task.title);
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const finished = useRef(false);
  const errorId = useId();
  const notify = useNotify();

  // Read by the blur listener, which is attached once.
  const latest = useRef({ text, commit: (_returnFocus: boolean) => {} });

  function commit(returnFocus: boolean) {
    if (finished.current) return;

    const title = latest.current.text.trim();
    if (title === '') {
      finished.current = true;
      onDone(returnFocus);
      void onDelete();
      return;
    }

    const found = titleProblem(title);
    if (found) {
      if (returnFocus) {
        setProblem(found);
        return;
      }
      // Focus has moved on, so the editor closes without saving and shows why in a notice.
      finished.current = true;
      notify(`The title was not saved. ${found}`);
      onDone(false);
      return;
    }

    finished.current = true;
    onDone(returnFocus);
    if (title !== task.title) void onSave(title);
  }

  latest.current = { text, commit };

  useEffect(() => {
    const element = input.current;
    if (!element) return;

    element.focus();
    element.setSelectionRange(element.value.length, element.value.length);

    // A native listener rather than React's onBlur (which listens to `focusout`), so that a
    // `blur` event dispatched by a test driver saves as a real one does.
    const onBlur = () => latest.current.commit(false);
    element.addEventListener('blur', onBlur);
    return () => element.removeEventListener('blur', onBlur);
  }, []);

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.nativeEvent.isComposing) return;

    if (event.key === 'Enter') {
      event.preventDefault();
      commit(true);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      finished.current = true;
      onDone(true);
    }
  }

  return (
    <>
      <input
        ref={input}
        className="edit"
        aria-label="Edit"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setProblem(null);
        }}
        onKeyDown={onKeyDown}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? errorId : undefined}
      />
      {problem && (
        <p id={errorId} className="field-error edit-error" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}
