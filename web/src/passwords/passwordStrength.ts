import { useDeferredValue, useEffect, useMemo, useState } from 'react';

/** zxcvbn's estimate of a password, reduced to what the forms show. */
export interface PasswordStrength {
  /** zxcvbn's score: 0 (guessed in under 10^3 tries) to 4 (needs more than 10^10 tries). */
  score: 0 | 1 | 2 | 3 | 4;
  /** zxcvbn's warning about a weakness of the password, in English, or null. */
  warning: string | null;
  suggestions: string[];
  /** Whether the password is in zxcvbn-ts's passwords-common list, which the API rejects. */
  isCommon: boolean;
}

export type StrengthCheck =
  | { status: 'off' }
  | { status: 'loading' }
  | { status: 'unavailable' }
  | { status: 'ready'; password: string; strength: PasswordStrength };

/** The client's wording of the API's rejection of a password from the common-password list. */
export const COMMON_PASSWORD_MESSAGE = 'This password is in a list of commonly used passwords. Choose another.';

export const SCORE_LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

type StrengthEstimator = typeof import('./strengthEstimator');

let estimatorLoad: Promise<StrengthEstimator> | null = null;

/** Loads zxcvbn and its dictionaries once. A failed load is tried again by the next form that needs it. */
function loadEstimator(): Promise<StrengthEstimator> {
  if (!estimatorLoad) {
    const load = import('./strengthEstimator');
    estimatorLoad = load;
    load.catch(() => {
      if (estimatorLoad === load) estimatorLoad = null;
    });
  }
  return estimatorLoad;
}

export interface PasswordStrengthOptions {
  /** Loads the dictionaries and estimates only while true, such as while the registration form shows. */
  enabled: boolean;
  /** Words that make a password weaker when it contains them, such as the email address. */
  userInputs: readonly string[];
}

/**
 * Estimates the strength of a new password while it is typed. The dictionaries load, with
 * import(), the first time a form enables the check. Until then the check is `loading`,
 * and after a failed load `unavailable`: the API still applies its own rules.
 */
export function usePasswordStrength(password: string, { enabled, userInputs }: PasswordStrengthOptions): StrengthCheck {
  const [estimator, setEstimator] = useState<StrengthEstimator | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  const deferredPassword = useDeferredValue(password);
  // A string key, so that a new array with the same words does not estimate again.
  const userInputsKey = userInputs.filter((input) => input !== '').join('\n');

  useEffect(() => {
    if (!enabled || estimator) return;
    let active = true;
    loadEstimator().then(
      (loaded) => {
        if (active) setEstimator(loaded);
      },
      (error: unknown) => {
        console.error('Loading the password strength check failed.', error);
        if (active) setLoadFailed(true);
      },
    );
    return () => {
      active = false;
    };
  }, [enabled, estimator]);

  const strength = useMemo(() => {
    if (!estimator || deferredPassword === '') return null;
    const inputs = userInputsKey === '' ? [] : userInputsKey.split('\n');
    return estimator.estimateStrength(deferredPassword, inputs);
  }, [estimator, deferredPassword, userInputsKey]);

  if (!enabled || password === '') return { status: 'off' };
  if (strength) return { status: 'ready', password: deferredPassword, strength };
  if (loadFailed) return { status: 'unavailable' };
  return { status: 'loading' };
}

/** Returns whether the check found `password` in the common-password list. */
export function isKnownCommonPassword(check: StrengthCheck, password: string): boolean {
  return check.status === 'ready' && check.password === password && check.strength.isCommon;
}

/** Returns the words of an email address that a password should not contain: the whole address and the part before the @. */
export function emailUserInputs(email: string): string[] {
  const trimmed = email.trim().toLowerCase();
  const localPart = trimmed.split('@')[0] ?? '';
  return localPart === trimmed ? [trimmed] : [trimmed, localPart];
}
