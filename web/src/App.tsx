import { lazy, Suspense, useState } from 'react';
import { describeError } from './apollo/errors';
import { ACCOUNT_HASH, useLocationHash } from './hashRoute';
import { LazyLoadBoundary } from './LazyLoadBoundary';
import { AccountBar } from './session/AccountBar';
import { AuthScreen } from './session/AuthScreen';
import { useSessionManager, useSessionState } from './session/SessionContext';
import { TodoScreen } from './tasks/TodoScreen';

// Loaded on the first visit of #/account, so that its code stays out of the first screen.
const AccountPage = lazy(async () => ({ default: (await import('./account/AccountPage')).AccountPage }));

/**
 * Chooses the screen from the session state: restoring, signed out, unreachable or signed
 * in. Signed in, the URL fragment `#/account` shows the account page instead of the tasks.
 */
export function App() {
  const session = useSessionManager();
  const state = useSessionState();
  // The new-task text lives here, above the screens, so that a session that ends while
  // the person is typing does not lose it.
  const [draft, setDraft] = useState('');
  const hash = useLocationHash();

  // A sign-out on the account page also leaves it, so that the next sign-in in this tab,
  // possibly of another account, starts at the task list.
  function leaveAccountPage() {
    window.history.replaceState(null, '', '#/');
    setDraft('');
  }

  switch (state.status) {
    case 'restoring':
      return (
        <p className="splash" role="status">
          Loading…
        </p>
      );

    case 'unreachable':
      return (
        <div className="splash" role="alert">
          <p>Could not restore your session. {describeError(state.error)}</p>
          <button type="button" className="primary-button" onClick={() => void session.restore()}>
            Try again
          </button>
        </div>
      );

    case 'signed-out':
      return <AuthScreen reason={state.reason} />;

    case 'signed-in':
      if (hash === ACCOUNT_HASH) {
        return (
          <div className="page">
            <AccountBar user={state.user} onSignedOut={leaveAccountPage} onAccountPage />
            <LazyLoadBoundary partName="the account page">
              <Suspense
                fallback={
                  <p className="splash" role="status">
                    Loading your account…
                  </p>
                }
              >
                <AccountPage key={state.user.id} user={state.user} onSignedOut={leaveAccountPage} />
              </Suspense>
            </LazyLoadBoundary>
          </div>
        );
      }

      return (
        <div className="page">
          <AccountBar user={state.user} onSignedOut={() => setDraft('')} />
          <TodoScreen key={state.user.id} draft={draft} onDraftChange={setDraft} />
          <footer className="info">
            <p>Double-click a title to edit it.</p>
          </footer>
        </div>
      );
  }
}
