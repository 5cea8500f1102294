import { useApolloClient } from '@apollo/client/react';
import { useState } from 'react';
import { describeError, hasErrorCode } from '../apollo/errors';
import { ACCOUNT_HASH } from '../hashRoute';
import { useNotify } from '../notices/Notices';
import { LOGOUT_MUTATION } from './authOperations';
import { useSessionManager } from './SessionContext';
import type { SessionUser } from './refreshRequest';

export interface AccountBarProps {
  user: SessionUser;
  onSignedOut(): void;
  /** Whether the account page is showing, which marks its link as the current page. */
  onAccountPage?: boolean;
}

/** Shows the signed-in email, the link to the account page and the sign-out button. */
export function AccountBar({ user, onSignedOut, onAccountPage = false }: AccountBarProps) {
  const client = useApolloClient();
  const session = useSessionManager();
  const notify = useNotify();
  const [signingOut, setSigningOut] = useState(false);

  async function signOut() {
    setSigningOut(true);
    try {
      await client.mutate({ mutation: LOGOUT_MUTATION });
    } catch (error) {
      // UNAUTHENTICATED here means the session had already ended on the server.
      if (!hasErrorCode(error, 'UNAUTHENTICATED')) {
        notify(`Could not sign out: ${describeError(error)}`);
        setSigningOut(false);
        return;
      }
    }
    onSignedOut();
    session.signOut();
  }

  return (
    <div className="account-bar">
      <span className="account-email">
        Signed in as <strong>{user.email}</strong>
      </span>
      <a href={ACCOUNT_HASH} className="account-link" aria-current={onAccountPage ? 'page' : undefined}>
        Account
      </a>
      <button type="button" className="link-button" disabled={signingOut} onClick={() => void signOut()}>
        {signingOut ? 'Signing out…' : 'Sign out'}
      </button>
    </div>
  );
}
