import { FormField } from '../forms/FormField';
import { useMutation } from '@apollo/client/react';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { describeError, errorCodeOf, formatWait, graphQLErrorsOf, retryAfterSecondsOf } from '../apollo/errors';
import type { SessionUser } from '../session/refreshRequest';
import { useSessionManager } from '../session/SessionContext';
import { useRetryCountdown } from '../session/useRetryCountdown';
import { DELETE_ACCOUNT_MUTATION } from './accountOperations';

// The API sends `retryAfterSeconds` with RATE_LIMITED. This guess covers a server that does not.
const DEFAULT_RETRY_AFTER_SECONDS = 60;

/**
 * Deletes the account in two steps: a button opens the confirmation, where the person
 * types the password again and confirms. Success signs out, which clears the cache.
 */
export function DeleteAccountSection({ user, onSignedOut }: { user: SessionUser; onSignedOut(): void }) {
  const [confirming, setConfirming] = useState(false);
  const headingId = useId();
  const startButton = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);

  // Cancelling returns the focus to the button that opened the confirmation.
  useEffect(() => {
    if (wasConfirming.current && !confirming) startButton.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  return (
    <section className="account-section danger-zone" aria-labelledby={headingId}>
      <h2 id={headingId}>Delete account</h2>
      <p className="account-section-intro">
        Deletes your account, all of its tasks and every session. This cannot be undone.
      </p>
      {confirming ? (
        <DeleteAccountConfirmation user={user} onCancel={() => setConfirming(false)} onSignedOut={onSignedOut} />
      ) : (
        <button ref={startButton} type="button" className="danger-button" onClick={() => setConfirming(true)}>
          Delete account…
        </button>
      )}
    </section>
  );
}

interface DeleteAccountConfirmationProps {
  user: SessionUser;
  onCancel(): void;
  onSignedOut(): void;
}

function DeleteAccountConfirmation({ user, onCancel, onSignedOut }: DeleteAccountConfirmationProps) {
  const session = useSessionManager();
  const [deleteAccount, { loading }] = useMutation(DELETE_ACCOUNT_MUTATION);
  const [password, setPassword] = useState('');
  const [passwordProblem, setPasswordProblem] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const retryWait = useRetryCountdown();
  const passwordInput = useRef<HTMLInputElement>(null);
  const ids = { password: useId(), passwordError: useId(), warning: useId() };

  useEffect(() => {
    passwordInput.current?.focus();
  }, []);

  function showServerError(error: unknown) {
    const code = errorCodeOf(error);
    const firstError = graphQLErrorsOf(error)[0];

    if (code === 'RATE_LIMITED') {
      retryWait.start(retryAfterSecondsOf(error) ?? DEFAULT_RETRY_AFTER_SECONDS);
      return;
    }
    if (code === 'BAD_USER_INPUT' && firstError?.extensions?.field === 'password') {
      setPasswordProblem(firstError.message);
      passwordInput.current?.focus();
      return;
    }
    setFormError(describeError(error));
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (loading || retryWait.secondsLeft > 0) return;

    setFormError(null);
    if (password === '') {
      setPasswordProblem('Enter your password to confirm.');
      passwordInput.current?.focus();
      return;
    }

    try {
      await deleteAccount({ variables: { password } });
    } catch (error) {
      showServerError(error);
      return;
    }
    onSignedOut();
    session.signOut('account-deleted');
  }

  const rateLimitMessage =
    retryWait.secondsLeft > 0 ? `Too many attempts. Try again in ${formatWait(retryWait.secondsLeft)}.` : null;
  const visibleFormError = rateLimitMessage ?? formError;

  return (
    <form
      className="delete-account-form"
      noValidate
      onSubmit={submit}
      aria-describedby={ids.warning}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !loading) onCancel();
      }}
    >
      <p id={ids.warning} className="delete-account-warning">
        <strong>{user.email}</strong> and all of its tasks will be deleted for good.
      </p>
      <input type="text" name="username" autoComplete="username" value={user.email} readOnly hidden />
      <FormField
        id={ids.password}
        label="Type your password to confirm"
        name="password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(value) => {
          setPassword(value);
          setPasswordProblem(null);
        }}
        inputRef={passwordInput}
        error={passwordProblem}
        errorId={ids.passwordError}
      />

      {visibleFormError && (
        <p className="form-error" role="alert">
          {visibleFormError}
        </p>
      )}

      <div className="form-actions">
        <button type="submit" className="danger-button" disabled={loading || retryWait.secondsLeft > 0}>
          {loading ? 'Deleting the account…' : 'Delete my account'}
        </button>
        <button type="button" className="secondary-button" disabled={loading} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
