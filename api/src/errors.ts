import { GraphQLError } from 'graphql';

/** The `extensions.code` values that clients can rely on. */
export enum ErrorCode {
  Unauthenticated = 'UNAUTHENTICATED',
  BadUserInput = 'BAD_USER_INPUT',
  NotFound = 'NOT_FOUND',
  EmailTaken = 'EMAIL_TAKEN',
  RateLimited = 'RATE_LIMITED',
  InternalServerError = 'INTERNAL_SERVER_ERROR',
}

/**
 * A domain error whose message is safe to show to the client. Anything thrown that is not
 * an AppError (or one of GraphQL's own request errors) is logged and replaced by
 * INTERNAL_SERVER_ERROR before it leaves the server.
 */
export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    extensions: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { ...extensions, code } });
    this.name = 'AppError';
  }
}

/**
 * Work skipped because the client closed its connection before the work began, since the response
 * could no longer be delivered. It is not an AppError: no client sees it, and it is not logged as a failure.
 */
export class ClientGoneError extends Error {
  constructor() {
    super('The client closed the connection before the request was served');
    this.name = 'ClientGoneError';
  }
}

export const INVALID_CREDENTIALS_MESSAGE = 'Invalid email or password';

export class UnauthenticatedError extends AppError {
  constructor(message = 'Authentication required: sign in and send the access token as "Authorization: Bearer <token>"') {
    super(ErrorCode.Unauthenticated, message);
  }
}

export class BadUserInputError extends AppError {
  /** `field` names the input that is wrong, such as "input.title". */
  constructor(message: string, field?: string) {
    super(ErrorCode.BadUserInput, message, field ? { field } : {});
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(ErrorCode.NotFound, `${what} not found`);
  }
}

export class EmailTakenError extends AppError {
  constructor() {
    super(ErrorCode.EmailTaken, 'An account with this email already exists');
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super(ErrorCode.RateLimited, `Too many attempts; try again in ${seconds} s`, { retryAfterSeconds: seconds });
  }
}
