import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { SessionManager, SessionState } from './SessionManager';

const SessionContext = createContext<SessionManager | null>(null);

export function SessionProvider({ session, children }: { session: SessionManager; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSessionManager(): SessionManager {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSessionManager must be called inside a SessionProvider.');
  return session;
}

/** Returns the current session state and re-renders when it changes. */
export function useSessionState(): SessionState {
  const session = useSessionManager();
  return useSyncExternalStore(session.subscribe, session.getState);
}
