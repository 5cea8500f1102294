import { ApolloLink } from '@apollo/client/link';
import { ErrorLink } from '@apollo/client/link/error';
import { from, switchMap } from 'rxjs';
import type { SessionManager } from '../session/SessionManager';
import { hasErrorCode } from './errors';

declare module '@apollo/client' {
  interface DefaultContext {
    /** The access token this request was sent with, or null when it had none. */
    sentAccessToken?: string | null;
    /** Set on the one retry that follows a token renewal, so that a request is retried only once. */
    retriedAfterRenewal?: boolean;
  }
}

/**
 * Operations that sign in. They never carry an access token, so that a stale token left
 * in memory cannot make the server reject them, and so that their `UNAUTHENTICATED`
 * (a wrong email or password) never triggers a renewal.
 */
const SIGN_IN_OPERATIONS = new Set(['Login', 'Register']);

/** Adds `Authorization: Bearer <access token>` to every request but the sign-in ones. */
export function createAuthorizationLink(session: SessionManager): ApolloLink {
  return new ApolloLink((operation, forward) => {
    const token = SIGN_IN_OPERATIONS.has(operation.operationName ?? '') ? null : session.getAccessToken();

    operation.setContext(({ headers }) => ({
      headers: token === null ? headers : { ...headers, authorization: `Bearer ${token}` },
      sentAccessToken: token,
    }));

    return forward(operation);
  });
}

/**
 * Retries, once, a request that the server rejected with `UNAUTHENTICATED` after renewing
 * the access token. Requests that fail together share one renewal (see
 * `SessionManager.renewAccessToken`), and each is retried after it. Must come before
 * `createAuthorizationLink` in the chain, so that the retry picks up the new token.
 */
export function createTokenRenewalLink(session: SessionManager): ApolloLink {
  return new ErrorLink(({ error, operation, forward }) => {
    if (!hasErrorCode(error, 'UNAUTHENTICATED')) return;

    const { sentAccessToken, retriedAfterRenewal } = operation.getContext();
    if (!sentAccessToken || retriedAfterRenewal) return;

    return from(session.renewAccessToken(sentAccessToken)).pipe(
      switchMap(() => {
        operation.setContext({ retriedAfterRenewal: true });
        return forward(operation);
      }),
    );
  });
}
