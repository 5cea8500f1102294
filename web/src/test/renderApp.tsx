import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createApolloClient } from '../apollo/createApolloClient';
import { clearCacheOnUserChange, Root } from '../Root';
import { SessionEndedError, type AuthPayload, type RefreshRequest } from '../session/refreshRequest';
import { SessionManager } from '../session/SessionManager';
import type { SessionChannel } from '../session/sessionChannel';
import type { FakeTaskServer } from './fakeTaskServer';

export const ALICE: AuthPayload = {
  __typename: 'AuthPayload',
  accessToken: 'access-token-1',
  accessTokenExpiresAt: '2026-01-01T00:30:00Z',
  user: { __typename: 'User', id: 'user-alice', email: 'alice@example.com' },
};

/** Fails every refresh, as the server does when no session cookie is present. */
export const noSessionCookie: RefreshRequest = async () => {
  throw new SessionEndedError(new Error('no refresh cookie'));
};

export interface RenderAppOptions {
  server: FakeTaskServer;
  /** The session to start with. Without it, the sign-in screen shows. */
  signedInAs?: AuthPayload;
  refresh?: RefreshRequest;
  channel?: SessionChannel;
}

/** Renders the whole app against a fake server, as main.tsx wires it. */
export function renderApp({ server, signedInAs, refresh = noSessionCookie, channel }: RenderAppOptions) {
  const session = new SessionManager({ refresh, channel });
  const client = createApolloClient(session, server.link());
  clearCacheOnUserChange(session, client);

  if (signedInAs) void session.signIn(signedInAs);
  else void session.restore();

  const user = userEvent.setup();
  const view = render(<Root session={session} client={client} />);
  return { ...view, session, client, user };
}
