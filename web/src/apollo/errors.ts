import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client/errors';

/** The `extensions.code` values of the API's errors. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'EMAIL_TAKEN'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

export interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
}

/**
 * An error of a request made outside Apollo Client (the session refresh), shaped like a
 * GraphQL error so that the same helpers read it.
 */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly errors: readonly GraphQLErrorLike[],
  ) {
    super(message);
    this.name = 'GraphQLRequestError';
  }
}

/** Returns the GraphQL errors inside an error of Apollo Client or of the session refresh. */
export function graphQLErrorsOf(error: unknown): readonly GraphQLErrorLike[] {
  if (CombinedGraphQLErrors.is(error)) return error.errors;
  if (error instanceof GraphQLRequestError) return error.errors;
  return [];
}

export function errorCodeOf(error: unknown): string | undefined {
  const code = graphQLErrorsOf(error)[0]?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

export function hasErrorCode(error: unknown, code: ErrorCode): boolean {
  return graphQLErrorsOf(error).some((graphQLError) => graphQLError.extensions?.code === code);
}

/** Returns `extensions.retryAfterSeconds` of a `RATE_LIMITED` error, if the server sent one. */
export function retryAfterSecondsOf(error: unknown): number | undefined {
  const rateLimited = graphQLErrorsOf(error).find((item) => item.extensions?.code === 'RATE_LIMITED');
  const seconds = rateLimited?.extensions?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : undefined;
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

function isNetworkFailure(error: unknown): boolean {
  // fetch() rejects with a TypeError when the server cannot be reached at all.
  return error instanceof TypeError || (error instanceof Error && error.name === 'TypeError');
}

/**
 * Describes an error in plain words for the person using the app. Codes that mean
 * something specific on one form (a taken email, a wrong password) are handled there
 * first, and this function covers the rest.
 */
export function describeError(error: unknown): string {
  const code = errorCodeOf(error);

  switch (code) {
    case 'UNAUTHENTICATED':
      return 'Your session has ended. Sign in again to continue.';
    case 'BAD_USER_INPUT':
      return graphQLErrorsOf(error)[0]?.message ?? 'The server rejected the input.';
    case 'NOT_FOUND':
      return 'This task no longer exists. It may have been deleted in another tab.';
    case 'EMAIL_TAKEN':
      return 'An account with this email already exists. Sign in instead.';
    case 'RATE_LIMITED': {
      const seconds = retryAfterSecondsOf(error);
      return seconds === undefined
        ? 'Too many attempts. Wait a moment and try again.'
        : `Too many attempts. Try again in ${formatWait(seconds)}.`;
    }
    case 'INTERNAL_SERVER_ERROR':
      return 'The server failed to complete the request. Try again later.';
  }

  if (code !== undefined) return graphQLErrorsOf(error)[0]?.message ?? `The server returned ${code}.`;
  if (ServerError.is(error)) return `The server returned status ${error.statusCode}. Try again later.`;
  if (ServerParseError.is(error)) return 'The server sent a response the app cannot read. Try again later.';
  if (isNetworkFailure(error)) return 'Could not reach the server. Check your connection and try again.';
  return error instanceof Error && error.message !== '' ? error.message : 'Something went wrong. Try again.';
}
