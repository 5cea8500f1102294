import type { ReactNode, RefObject } from 'react';

interface FormFieldProps {
  id: string;
  label: string;
  name: string;
  type: 'email' | 'password';
  autoComplete: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  inputRef?: RefObject<HTMLInputElement | null>;
  autoFocus?: boolean;
  /** The message shown under the input and announced with it; none when the value is fine. */
  error?: string | null;
  errorId: string;
  /** Ids of other elements that describe the input, such as a hint, listed after the error's. */
  describedBy?: string[];
  /** Elements shown between the input and its error, such as a hint. */
  hint?: ReactNode;
  /** Elements shown after the error, such as a strength meter. */
  children?: ReactNode;
}

/** Renders a labelled input with its error message, linked for assistive technology. */
export function FormField(props: FormFieldProps) {
  const descriptions = [...(props.error ? [props.errorId] : []), ...(props.describedBy ?? [])];
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        ref={props.inputRef}
        id={props.id}
        name={props.name}
        type={props.type}
        autoComplete={props.autoComplete}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        onBlur={props.onBlur}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={descriptions.length > 0 ? descriptions.join(' ') : undefined}
        autoFocus={props.autoFocus}
      />
      {props.hint}
      {props.error && (
        <p id={props.errorId} className="field-error">
          {props.error}
        </p>
      )}
      {props.children}
    </div>
  );
}
