import { ApolloClient, HttpLink } from '@apollo/client';
import { ApolloLink } from '@apollo/client/link';
import type { SessionManager } from '../session/SessionManager';
import { createTaskCache } from '../tasks/taskCache';
import { createAuthorizationLink, createTokenRenewalLink } from './sessionLinks';

/**
 * Creates the app's Apollo Client. Requests go to `/graphql` on the page's own origin, with
 * `credentials: 'same-origin'` so that the HttpOnly refresh cookie travels with them.
 * `transport` replaces the HTTP link in tests.
 */
export function createApolloClient(session: SessionManager, transport?: ApolloLink): ApolloClient {
  const http = transport ?? new HttpLink({ uri: '/graphql', credentials: 'same-origin' });

  return new ApolloClient({
    link: ApolloLink.from([createTokenRenewalLink(session), createAuthorizationLink(session), http]),
    cache: createTaskCache(),
  });
}
