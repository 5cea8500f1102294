/**
 * A message between tabs of the same browser about the shared session. It never carries a
 * token: a tab that hears of a sign-in renews its own access token from the cookie.
 */
export type SessionMessage = { type: 'signed-in'; userId: string } | { type: 'signed-out' };

export interface SessionChannel {
  post(message: SessionMessage): void;
  subscribe(listener: (message: SessionMessage) => void): () => void;
  close(): void;
}

const CHANNEL_NAME = 'todo-session';

function isSessionMessage(value: unknown): value is SessionMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  return message.type === 'signed-out' || (message.type === 'signed-in' && typeof message.userId === 'string');
}

/**
 * Opens the channel to the other tabs: a BroadcastChannel, or where a browser lacks one,
 * the `storage` event of a localStorage key that holds only the last message.
 */
export function openSessionChannel(): SessionChannel {
  if (typeof BroadcastChannel !== 'undefined') return openBroadcastChannel();
  return openStorageChannel();
}

function openBroadcastChannel(): SessionChannel {
  const channel = new BroadcastChannel(CHANNEL_NAME);

  return {
    post: (message) => channel.postMessage(message),
    subscribe(listener) {
      const onMessage = (event: MessageEvent) => {
        if (isSessionMessage(event.data)) listener(event.data);
      };
      channel.addEventListener('message', onMessage);
      return () => channel.removeEventListener('message', onMessage);
    },
    close: () => channel.close(),
  };
}

function openStorageChannel(): SessionChannel {
  return {
    post(message) {
      // The time stamp makes each message a new value, so that a repeat still fires `storage`.
      localStorage.setItem(CHANNEL_NAME, JSON.stringify({ ...message, sentAt: Date.now() }));
    },
    subscribe(listener) {
      const onStorage = (event: StorageEvent) => {
        if (event.key !== CHANNEL_NAME || event.newValue === null) return;
        try {
          const message: unknown = JSON.parse(event.newValue);
          if (isSessionMessage(message)) listener(message);
        } catch {
          // A value that is not JSON was not written by this app, so it is ignored.
        }
      };
      window.addEventListener('storage', onStorage);
      return () => window.removeEventListener('storage', onStorage);
    },
    close() {},
  };
}
