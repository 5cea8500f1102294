import { FormField } from '../forms/FormField';
import { useMutation } from '@apollo/client/react';
import { useId, useRef, useState, type FormEvent } from 'react';
import { describeError, errorCodeOf, formatWait, graphQLErrorsOf, retryAfterSecondsOf } from '../apollo/errors';
import { PasswordStrengthMeter } from '../passwords/PasswordStrengthMeter';
import {
  COMMON_PASSWORD_MESSAGE,
  emailUserInputs,
  isKnownCommonPassword,
  usePasswordStrength,
} from '../passwords/passwordStrength';
import { LOGIN_MUTATION, REGISTER_MUTATION } from './authOperations';
import { credentialProblems, emailProblem, passwordProblem, type AuthMode, type CredentialProblems } from './credentials';
import { useSessionManager } from './SessionContext';
import type { SignedOutReason } from './SessionManager';
import { useRetryCountdown } from './useRetryCountdown';

// The API sends `retryAfterSeconds` with RATE_LIMITED. This guess covers a server that does not.
const DEFAULT_RETRY_AFTER_SECONDS = 30;

const REASON_MESSAGES: Record<SignedOutReason, string> = {
  expired: 'Your session has ended. Sign in again to continue.',
  'signed-out-elsewhere': 'You signed out in another tab.',
  'account-deleted': 'Your account and its tasks have been deleted.',
};

/** Renders the sign-in and registration forms. */
export function AuthScreen({ reason }: { reason?: SignedOutReason }) {
  const session = useSessionManager();
  const [mode, setMode] = useState<AuthMode>('sign-in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState({ email: false, password: false });
  const [serverProblems, setServerProblems] = useState<CredentialProblems>({});
  const [formError, setFormError] = useState<string | null>(null);
  const retryWait = useRetryCountdown();

  const [login, loginState] = useMutation(LOGIN_MUTATION);
  const [register, registerState] = useMutation(REGISTER_MUTATION);
  const submitting = loginState.loading || registerState.loading;

  const emailInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);
  const ids = {
    email: useId(),
    password: useId(),
    emailError: useId(),
    passwordError: useId(),
    hint: useId(),
    strength: useId(),
  };

  const trimmedEmail = email.trim();
  // Only a new password gets the strength check, so signing in never loads the dictionaries.
  const strengthCheck = usePasswordStrength(password, {
    enabled: mode === 'register',
    userInputs: emailUserInputs(trimmedEmail),
  });
  const isCommonPassword = mode === 'register' && isKnownCommonPassword(strengthCheck, password);
  const problems: CredentialProblems = {
    email: serverProblems.email ?? (touched.email ? emailProblem(trimmedEmail) : undefined),
    password:
      serverProblems.password ??
      (touched.password ? passwordProblem(password, mode) : undefined) ??
      (isCommonPassword ? COMMON_PASSWORD_MESSAGE : undefined),
  };

  // Leaving an empty field shows no error yet, because an error appearing then would
  // shift the layout under a click on its way to another control.
  function markTouched(field: 'email' | 'password', value: string) {
    if (value.trim() !== '') setTouched((current) => ({ ...current, [field]: true }));
  }

  function switchMode() {
    setMode(mode === 'sign-in' ? 'register' : 'sign-in');
    setPassword('');
    setTouched({ email: false, password: false });
    setServerProblems({});
    setFormError(null);
  }

  function showServerError(error: unknown) {
    const code = errorCodeOf(error);
    const firstError = graphQLErrorsOf(error)[0];
    const message = firstError?.message ?? '';
    const field = rejectedField(firstError?.extensions?.field, message);

    if (code === 'RATE_LIMITED') {
      retryWait.start(retryAfterSecondsOf(error) ?? DEFAULT_RETRY_AFTER_SECONDS);
      return;
    }
    if (code === 'EMAIL_TAKEN') {
      setServerProblems({ email: 'An account with this email already exists. Sign in instead.' });
      emailInput.current?.focus();
      return;
    }
    if (code === 'UNAUTHENTICATED') {
      setFormError('Invalid email or password.');
      passwordInput.current?.focus();
      return;
    }
    if (code === 'BAD_USER_INPUT' && field === 'password') {
      setServerProblems({ password: message });
      passwordInput.current?.focus();
      return;
    }
    if (code === 'BAD_USER_INPUT' && field === 'email') {
      setServerProblems({ email: message });
      emailInput.current?.focus();
      return;
    }
    setFormError(describeError(error));
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting || retryWait.secondsLeft > 0) return;

    setTouched({ email: true, password: true });
    setServerProblems({});
    setFormError(null);

    const found = credentialProblems(trimmedEmail, password, mode);
    if (found.email) return emailInput.current?.focus();
    if (found.password) return passwordInput.current?.focus();
    // The API would reject it too. The message shows under the field already.
    if (isCommonPassword) return passwordInput.current?.focus();

    const variables = { input: { email: trimmedEmail, password } };
    try {
      const payload =
        mode === 'sign-in'
          ? (await login({ variables })).data?.login
          : (await register({ variables })).data?.register;
      if (!payload) throw new Error('The server sent no session.');
      setPassword('');
      await session.signIn(payload);
    } catch (error) {
      showServerError(error);
    }
  }

  const title = mode === 'sign-in' ? 'Sign in' : 'Create an account';
  const rateLimitMessage =
    retryWait.secondsLeft > 0 ? `Too many attempts. Try again in ${formatWait(retryWait.secondsLeft)}.` : null;
  const visibleFormError = rateLimitMessage ?? formError;

  const passwordDescriptions: string[] = [];
  if (mode === 'register') passwordDescriptions.push(ids.hint);
  if (strengthCheck.status !== 'off') passwordDescriptions.push(ids.strength);

  return (
    <main className="auth">
      <h1 className="app-title">todos</h1>
      <section className="auth-card" aria-labelledby="auth-heading">
        <h2 id="auth-heading">{title}</h2>
        {reason && (
          <p className="auth-notice" role="status">
            {REASON_MESSAGES[reason]}
          </p>
        )}
        <form noValidate onSubmit={submit}>
          <FormField
            id={ids.email}
            label="Email"
            name="email"
            type="email"
            autoComplete={mode === 'sign-in' ? 'username' : 'email'}
            value={email}
            onChange={(value) => {
              setEmail(value);
              setServerProblems((current) => ({ ...current, email: undefined }));
            }}
            onBlur={() => markTouched('email', email)}
            inputRef={emailInput}
            autoFocus
            error={problems.email}
            errorId={ids.emailError}
          />

          <FormField
            id={ids.password}
            label="Password"
            name="password"
            type="password"
            autoComplete={mode === 'sign-in' ? 'current-password' : 'new-password'}
            value={password}
            onChange={(value) => {
              setPassword(value);
              setServerProblems((current) => ({ ...current, password: undefined }));
            }}
            onBlur={() => markTouched('password', password)}
            inputRef={passwordInput}
            error={problems.password}
            errorId={ids.passwordError}
            describedBy={passwordDescriptions}
            hint={
              mode === 'register' && (
                <p id={ids.hint} className="field-hint">
                  At least 8 characters.
                </p>
              )
            }
          >
            <PasswordStrengthMeter check={strengthCheck} id={ids.strength} />
          </FormField>

          {visibleFormError && (
            <p className="form-error" role="alert">
              {visibleFormError}
            </p>
          )}

          <button type="submit" className="primary-button" disabled={submitting || retryWait.secondsLeft > 0}>
            {submitting ? 'Please wait…' : title}
          </button>
        </form>

        <p className="auth-switch">
          {mode === 'sign-in' ? 'New here?' : 'Already have an account?'}{' '}
          <button type="button" className="link-button" onClick={switchMode}>
            {mode === 'sign-in' ? 'Create an account' : 'Sign in'}
          </button>
        </p>
      </section>
    </main>
  );
}

/** Returns the input that a BAD_USER_INPUT error is about: `extensions.field` when the API sends it, else the one its message names. */
function rejectedField(field: unknown, message: string): 'email' | 'password' | undefined {
  if (field === 'email' || field === 'password') return field;
  if (/password/i.test(message)) return 'password';
  if (/email/i.test(message)) return 'email';
  return undefined;
}
