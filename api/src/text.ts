import { BadUserInputError } from './errors';

/** Counts Unicode code points, the unit of every length limit in the API. */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/** Rejects text that PostgreSQL cannot store or that is not valid Unicode: U+0000 and lone surrogates. */
export function checkText(text: string, field: string): void {
  if (text.includes('\u0000')) {
    throw new BadUserInputError(`${field} must not contain the character U+0000`, field);
  }
  if (!text.isWellFormed()) {
    throw new BadUserInputError(`${field} is not valid Unicode (it contains a lone surrogate)`, field);
  }
}
