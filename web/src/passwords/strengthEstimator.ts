import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { translations } from '@zxcvbn-ts/language-en';
import type { PasswordStrength } from './passwordStrength';

/*
 * zxcvbn-ts with the common-password and diceware lists of @zxcvbn-ts/language-common and
 * the English messages of @zxcvbn-ts/language-en. This module is about 230 kB gzipped, so
 * only usePasswordStrength loads it, with import(), to keep it out of the first screen.
 *
 * The English word lists of language-en (common words, names, Wikipedia) are left out:
 * they would add about 615 kB gzipped to every registration, and the common-password list,
 * which the API enforces, already contains the most used words.
 */

const zxcvbn = new ZxcvbnFactory({
  translations,
  graphs: adjacencyGraphs,
  dictionary: commonDictionary,
});

// The API rejects the passwords of this list, compared ignoring case, with the same
// package (@zxcvbn-ts/language-common) as its source.
const commonPasswords = new Set(commonDictionary['passwords-common'].map((entry) => entry.toLowerCase()));

/** Estimates the strength of `password`. `userInputs` are words that make it weaker, such as the email address. */
export function estimateStrength(password: string, userInputs: readonly string[]): PasswordStrength {
  const result = zxcvbn.check(password, [...userInputs]);
  return {
    score: result.score,
    warning: result.feedback.warning ?? null,
    suggestions: result.feedback.suggestions,
    isCommon: commonPasswords.has(password.toLowerCase()),
  };
}
