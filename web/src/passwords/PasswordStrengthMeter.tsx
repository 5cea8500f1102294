import { SCORE_LABELS, type StrengthCheck } from './passwordStrength';

export interface PasswordStrengthMeterProps {
  check: StrengthCheck;
  /** Id of the meter's text, for the password input's aria-describedby. */
  id: string;
}

/** Shows zxcvbn's score of the new password, with its warning and suggestions. */
export function PasswordStrengthMeter({ check, id }: PasswordStrengthMeterProps) {
  switch (check.status) {
    case 'off':
      return null;

    case 'loading':
      return (
        <p id={id} className="field-hint">
          Loading the strength check…
        </p>
      );

    case 'unavailable':
      return (
        <p id={id} className="field-hint">
          The strength check could not be loaded. The server still checks the password when you submit it.
        </p>
      );

    case 'ready': {
      const { score, warning, suggestions, isCommon } = check.strength;
      const label = SCORE_LABELS[score];
      return (
        <div id={id} className="password-strength" data-score={score}>
          <div className="password-strength-row">
            <meter
              className="password-strength-meter"
              min={0}
              max={4}
              low={2}
              high={3}
              optimum={4}
              value={score}
              aria-label="Password strength"
              aria-valuetext={label}
            />
            <span className="password-strength-label" aria-live="polite">
              Strength: {label}
            </span>
          </div>
          {/* A common password gets the field's own error, which says more than zxcvbn's warning. */}
          {warning && !isCommon && <p className="password-strength-warning">{warning}</p>}
          {suggestions.length > 0 && (
            <ul className="password-strength-suggestions">
              {suggestions.map((suggestion) => (
                <li key={suggestion}>{suggestion}</li>
              ))}
            </ul>
          )}
        </div>
      );
    }
  }
}
