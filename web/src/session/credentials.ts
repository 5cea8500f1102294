import { codePointLength, utf8ByteLength } from '../text';

export type AuthMode = 'sign-in' | 'register';

export interface CredentialProblems {
  email?: string;
  password?: string;
}

export const MIN_PASSWORD_LENGTH = 8;
// bcrypt reads at most 72 bytes of a password, so the API rejects longer ones.
export const MAX_PASSWORD_BYTES = 72;
const MAX_EMAIL_LENGTH = 254;

// One @ with something on both sides and no spaces. The server makes the final check.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;

export function emailProblem(email: string): string | undefined {
  if (email === '') return 'Enter your email address.';
  if (email.length > MAX_EMAIL_LENGTH) return `The email address is longer than ${MAX_EMAIL_LENGTH} characters.`;
  if (!EMAIL_PATTERN.test(email)) return 'Enter an email address such as name@example.com.';
  return undefined;
}

/** Checks a password. The length policy applies only to new accounts. */
export function passwordProblem(password: string, mode: AuthMode): string | undefined {
  if (password === '') return 'Enter your password.';
  if (mode === 'sign-in') return undefined;
  return newPasswordProblem(password);
}

/** Checks a new password against the API's length policy: at least 8 characters and at most 72 bytes in UTF-8. */
export function newPasswordProblem(password: string): string | undefined {
  if (codePointLength(password) < MIN_PASSWORD_LENGTH) {
    return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  if (utf8ByteLength(password) > MAX_PASSWORD_BYTES) {
    return `The password is too long: at most ${MAX_PASSWORD_BYTES} bytes in UTF-8 (${MAX_PASSWORD_BYTES} letters of the English alphabet, fewer with accents or emoji).`;
  }
  return undefined;
}

export function credentialProblems(email: string, password: string, mode: AuthMode): CredentialProblems {
  return { email: emailProblem(email), password: passwordProblem(password, mode) };
}
