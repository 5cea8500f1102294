import type { ApolloClient } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { App } from './App';
import { NoticeProvider } from './notices/Notices';
import { SessionProvider } from './session/SessionContext';
import type { SessionManager } from './session/SessionManager';

/** Clears the Apollo cache whenever the user changes or signs out. */
export function clearCacheOnUserChange(session: SessionManager, client: ApolloClient): () => void {
  // The session shows the next user's screen only after this settles, so another user's
  // tasks never show, not even from the cache for one frame.
  return session.onUserChange(async () => {
    try {
      await client.clearStore();
    } catch (error) {
      console.error('Clearing the Apollo cache failed.', error);
    }
  });
}

/** Renders the app inside its providers. */
export function Root({ session, client }: { session: SessionManager; client: ApolloClient }) {
  return (
    <StrictMode>
      <SessionProvider session={session}>
        <ApolloProvider client={client}>
          <NoticeProvider>
            <App />
          </NoticeProvider>
        </ApolloProvider>
      </SessionProvider>
    </StrictMode>
  );
}
