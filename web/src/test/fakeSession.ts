import { vi } from 'vitest';
import type { AuthPayload } from '../session/refreshRequest';
import type { SessionChannel, SessionMessage } from '../session/sessionChannel';

export function payloadFor(token: string, userId = 'user-alice', email = 'alice@example.com'): AuthPayload {
  return {
    __typename: 'AuthPayload',
    accessToken: token,
    accessTokenExpiresAt: '2026-01-01T00:30:00Z',
    user: { __typename: 'User', id: userId, email },
  };
}

/**
 * Creates a refresh request that the test resolves or rejects one call at a time. It
 * counts the calls, so that a test can check how many renewals ran and what waited.
 */
export function controlledRefresh() {
  const waiting: Array<{ resolve(payload: AuthPayload): void; reject(error: unknown): void }> = [];
  const refresh = vi.fn(
    () => new Promise<AuthPayload>((resolve, reject) => waiting.push({ resolve, reject })),
  );

  return {
    refresh,
    /** Resolves the oldest waiting refresh with `payload`. */
    succeed(payload: AuthPayload) {
      const next = waiting.shift();
      if (!next) throw new Error('No refresh is waiting.');
      next.resolve(payload);
    },
    fail(error: unknown) {
      const next = waiting.shift();
      if (!next) throw new Error('No refresh is waiting.');
      next.reject(error);
    },
  };
}

/** Creates in-memory channels for tabs of one browser. `sent` records every message. */
export function createTabChannels(count: number) {
  const listeners = Array.from({ length: count }, () => new Set<(message: SessionMessage) => void>());
  const sent: SessionMessage[] = [];

  const channels: SessionChannel[] = listeners.map((own, index) => ({
    post(message) {
      sent.push(message);
      // As with BroadcastChannel, every other tab receives it asynchronously, and the sender does not.
      listeners.forEach((other, otherIndex) => {
        if (otherIndex === index) return;
        for (const listener of other) queueMicrotask(() => listener(structuredClone(message)));
      });
    },
    subscribe(listener) {
      own.add(listener);
      return () => own.delete(listener);
    },
    close() {
      own.clear();
    },
  }));

  return { channels, sent };
}
