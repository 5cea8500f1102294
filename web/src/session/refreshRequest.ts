import { print } from '@apollo/client/utilities';
import { GraphQLRequestError, hasErrorCode, type GraphQLErrorLike } from '../apollo/errors';
import type { RefreshTokenMutation, SessionPayloadFragment } from '../gql/graphql';
import { REFRESH_TOKEN_MUTATION } from './authOperations';

/** The fields of the API's `AuthPayload` that the web app uses. */
export type AuthPayload = SessionPayloadFragment;
export type SessionUser = AuthPayload['user'];

/** Raised when the server rejects the refresh token: the session is over and nothing can renew it. */
export class SessionEndedError extends Error {
  constructor(readonly cause: unknown) {
    super('The session has ended.');
    this.name = 'SessionEndedError';
  }
}

export type RefreshRequest = () => Promise<AuthPayload>;

interface RefreshResponseBody {
  data?: RefreshTokenMutation | null;
  errors?: GraphQLErrorLike[];
}

/**
 * Creates the request that renews the access token from the HttpOnly refresh cookie.
 *
 * It goes straight to fetch rather than through Apollo Client, so that the renewal never
 * passes through the link that itself waits for renewals, and so that clearing the Apollo
 * store cannot cancel it.
 */
export function createRefreshRequest(uri = '/graphql', fetchFunction: typeof fetch = fetch): RefreshRequest {
  return async () => {
    const response = await fetchFunction(uri, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json;q=0.9',
      },
      body: JSON.stringify({ operationName: 'RefreshToken', query: print(REFRESH_TOKEN_MUTATION) }),
    });

    let body: RefreshResponseBody;
    try {
      body = (await response.json()) as RefreshResponseBody;
    } catch {
      throw new Error(`The server responded to the session refresh with status ${response.status} and no GraphQL result.`);
    }

    if (body.errors && body.errors.length > 0) {
      const error = new GraphQLRequestError(body.errors[0].message, body.errors);
      throw hasErrorCode(error, 'UNAUTHENTICATED') ? new SessionEndedError(error) : error;
    }

    const payload = body.data?.refreshToken;
    if (!payload) throw new Error('The session refresh response contains no refreshToken data.');
    return payload;
  };
}
