import { FormField } from '../forms/FormField';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { useId, useRef, useState, type FormEvent } from 'react';
import { describeError, errorCodeOf, formatWait, graphQLErrorsOf, retryAfterSecondsOf } from '../apollo/errors';
import { PasswordStrengthMeter } from '../passwords/PasswordStrengthMeter';
import {
  COMMON_PASSWORD_MESSAGE,
  emailUserInputs,
  isKnownCommonPassword,
  usePasswordStrength,
} from '../passwords/passwordStrength';
import { newPasswordProblem } from '../session/credentials';
import type { SessionUser } from '../session/refreshRequest';
import { useSessionManager } from '../session/SessionContext';
import { useRetryCountdown } from '../session/useRetryCountdown';
import { CHANGE_PASSWORD_MUTATION, SESSIONS_QUERY } from './accountOperations';

// The API sends `retryAfterSeconds` with RATE_LIMITED. This guess covers a server that does not.
const DEFAULT_RETRY_AFTER_SECONDS = 60;

interface Problems {
  currentPassword?: string;
  newPassword?: string;
  repeatedPassword?: string;
}

type Field = keyof Problems;

/** Changes the password. The server then ends every other session and issues new tokens for this one. */
export function ChangePasswordForm({ user }: { user: SessionUser }) {
  const session = useSessionManager();
  const client = useApolloClient();
  const [changePassword, { loading }] = useMutation(CHANGE_PASSWORD_MUTATION);
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [repeatedPassword, setRepeatedPassword] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [changed, setChanged] = useState(false);
  const retryWait = useRetryCountdown();

  const inputs = {
    currentPassword: useRef<HTMLInputElement>(null),
    newPassword: useRef<HTMLInputElement>(null),
    repeatedPassword: useRef<HTMLInputElement>(null),
  };
  const ids = {
    heading: useId(),
    currentPassword: useId(),
    newPassword: useId(),
    repeatedPassword: useId(),
    currentPasswordError: useId(),
    newPasswordError: useId(),
    repeatedPasswordError: useId(),
    hint: useId(),
    strength: useId(),
  };

  const strengthCheck = usePasswordStrength(newPassword, { enabled: true, userInputs: emailUserInputs(user.email) });
  const isCommonPassword = isKnownCommonPassword(strengthCheck, newPassword);
  const visibleProblems: Problems = {
    ...problems,
    newPassword: problems.newPassword ?? (isCommonPassword ? COMMON_PASSWORD_MESSAGE : undefined),
  };

  function clearProblem(field: Field) {
    setProblems((current) => ({ ...current, [field]: undefined }));
    setChanged(false);
  }

  function findProblems(): Problems {
    return {
      currentPassword: currentPassword === '' ? 'Enter your current password.' : undefined,
      newPassword:
        newPassword === ''
          ? 'Enter a new password.'
          : (newPasswordProblem(newPassword) ?? (isCommonPassword ? COMMON_PASSWORD_MESSAGE : undefined)),
      repeatedPassword:
        repeatedPassword !== newPassword ? 'The two new passwords differ. Type the same password twice.' : undefined,
    };
  }

  function showServerError(error: unknown) {
    const code = errorCodeOf(error);
    const firstError = graphQLErrorsOf(error)[0];
    const field = firstError?.extensions?.field;

    if (code === 'RATE_LIMITED') {
      retryWait.start(retryAfterSecondsOf(error) ?? DEFAULT_RETRY_AFTER_SECONDS);
      return;
    }
    if (code === 'BAD_USER_INPUT' && (field === 'currentPassword' || field === 'newPassword')) {
      setProblems({ [field]: firstError?.message });
      inputs[field].current?.focus();
      return;
    }
    setFormError(describeError(error));
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (loading || retryWait.secondsLeft > 0) return;

    setFormError(null);
    setChanged(false);
    const found = findProblems();
    setProblems(found);
    const firstProblem = (['currentPassword', 'newPassword', 'repeatedPassword'] as const).find((field) => found[field]);
    if (firstProblem) {
      inputs[firstProblem].current?.focus();
      return;
    }

    try {
      const result = await changePassword({ variables: { currentPassword, newPassword } });
      const payload = result.data?.changePassword;
      if (!payload) throw new Error('The server sent no new session tokens.');
      await session.replaceTokens(payload);
    } catch (error) {
      showServerError(error);
      return;
    }

    setCurrentPassword('');
    setNewPassword('');
    setRepeatedPassword('');
    setChanged(true);
    // The server ended every other session, so the list shrinks to this one.
    client.refetchQueries({ include: [SESSIONS_QUERY] }).catch((error: unknown) => {
      console.error('Refreshing the sessions after the password change failed.', error);
    });
  }

  const rateLimitMessage =
    retryWait.secondsLeft > 0 ? `Too many attempts. Try again in ${formatWait(retryWait.secondsLeft)}.` : null;
  const visibleFormError = rateLimitMessage ?? formError;

  const newPasswordDescriptions = [ids.hint];
  if (strengthCheck.status !== 'off') newPasswordDescriptions.push(ids.strength);

  return (
    <section className="account-section" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>Change password</h2>
      <p className="account-section-intro">Changing the password signs out every other session.</p>

      <form noValidate onSubmit={submit}>
        {/* Lets password managers store the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" value={user.email} readOnly hidden />

        <FormField
          id={ids.currentPassword}
          label="Current password"
          name="current-password"
          type="password"
          autoComplete="current-password"
          value={currentPassword}
          onChange={(value) => {
            setCurrentPassword(value);
            clearProblem('currentPassword');
          }}
          inputRef={inputs.currentPassword}
          error={visibleProblems.currentPassword}
          errorId={ids.currentPasswordError}
        />

        <FormField
          id={ids.newPassword}
          label="New password"
          name="new-password"
          type="password"
          autoComplete="new-password"
          value={newPassword}
          onChange={(value) => {
            setNewPassword(value);
            clearProblem('newPassword');
          }}
          inputRef={inputs.newPassword}
          error={visibleProblems.newPassword}
          errorId={ids.newPasswordError}
          describedBy={newPasswordDescriptions}
          hint={
            <p id={ids.hint} className="field-hint">
              At least 8 characters.
            </p>
          }
        >
          <PasswordStrengthMeter check={strengthCheck} id={ids.strength} />
        </FormField>

        <FormField
          id={ids.repeatedPassword}
          label="Repeat new password"
          name="repeat-new-password"
          type="password"
          autoComplete="new-password"
          value={repeatedPassword}
          onChange={(value) => {
            setRepeatedPassword(value);
            clearProblem('repeatedPassword');
          }}
          inputRef={inputs.repeatedPassword}
          error={visibleProblems.repeatedPassword}
          errorId={ids.repeatedPasswordError}
        />

        {visibleFormError && (
          <p className="form-error" role="alert">
            {visibleFormError}
          </p>
        )}
        {changed && (
          <p className="form-success" role="status">
            Your password has been changed. Every other session has been signed out.
          </p>
        )}

        <button type="submit" className="primary-button" disabled={loading || retryWait.secondsLeft > 0}>
          {loading ? 'Changing the password…' : 'Change password'}
        </button>
      </form>
    </section>
  );
}
