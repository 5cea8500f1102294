import { useState } from 'react';
import { describeError } from './apollo/errors';
import { AccountBar } from './session/AccountBar';
import { AuthScreen } from './session/AuthScreen';
import { useSessionManager, useSessionState } from './session/SessionContext';
import { TodoScreen } from './tasks/TodoScreen';

/** Chooses the screen from the session state: restoring, signed out, unreachable or signed in. */
export function App() {
  const session = useSessionManager();
  const state = useSessionState();
  // The new-task text lives here, above the screens, so that a session that ends while
  // the person is typing does not lose it.
  const [draft, setDraft] = useState('');

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
