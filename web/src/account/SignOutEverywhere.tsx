import { useMutation } from '@apollo/client/react';
import { useId } from 'react';
import { describeError, hasErrorCode } from '../apollo/errors';
import { useNotify } from '../notices/Notices';
import { useSessionManager } from '../session/SessionContext';
import { LOGOUT_ALL_SESSIONS_MUTATION } from './accountOperations';

/** Ends every session of the account, this one included. */
export function SignOutEverywhere({ onSignedOut }: { onSignedOut(): void }) {
  const session = useSessionManager();
  const notify = useNotify();
  const headingId = useId();
  const [logoutAllSessions, { loading }] = useMutation(LOGOUT_ALL_SESSIONS_MUTATION);

  async function signOutEverywhere() {
    try {
      await logoutAllSessions();
    } catch (error) {
      // UNAUTHENTICATED here means this session had already ended on the server.
      if (!hasErrorCode(error, 'UNAUTHENTICATED')) {
        notify(`Could not sign out everywhere: ${describeError(error)}`);
        return;
      }
    }
    onSignedOut();
    session.signOut();
  }

  return (
    <section className="account-section" aria-labelledby={headingId}>
      <h2 id={headingId}>Sign out everywhere</h2>
      <p className="account-section-intro">
        Ends every session of your account, this one included, for example after using a shared computer.
      </p>
      <button type="button" className="secondary-button" disabled={loading} onClick={() => void signOutEverywhere()}>
        {loading ? 'Signing out everywhere…' : 'Sign out everywhere'}
      </button>
    </section>
  );
}
