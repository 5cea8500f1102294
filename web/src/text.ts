/** Counts Unicode code points, as the API does, so that an emoji counts as one character. */
export function codePointLength(text: string): number {
  return [...text].length;
}

export function utf8ByteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

export const MAX_TITLE_LENGTH = 500;
export const MAX_DESCRIPTION_LENGTH = 10_000;

/** Checks a trimmed title and returns the problem in plain words, or null. */
export function titleProblem(title: string): string | null {
  if (title === '') return 'Enter a title.';
  const length = codePointLength(title);
  if (length > MAX_TITLE_LENGTH) return `The title is ${length} characters long; the maximum is ${MAX_TITLE_LENGTH}.`;
  if (title.includes('\u0000')) return 'The title contains a NUL character, which is not allowed.';
  return null;
}

export function descriptionProblem(description: string): string | null {
  const length = codePointLength(description);
  if (length > MAX_DESCRIPTION_LENGTH) {
    return `The description is ${length} characters long; the maximum is ${MAX_DESCRIPTION_LENGTH}.`;
  }
  if (description.includes('\u0000')) return 'The description contains a NUL character, which is not allowed.';
  return null;
}
