import { useSyncExternalStore } from 'react';

/** URL fragment of the account page. The task filters use `#/`, `#/active` and `#/completed`. */
export const ACCOUNT_HASH = '#/account';

export function subscribeToHash(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

/** Returns the URL fragment, such as `#/active`, and re-renders when it changes. */
export function useLocationHash(): string {
  return useSyncExternalStore(subscribeToHash, () => window.location.hash);
}
