import type { Storage as GraphiQLStorage } from '@graphiql/toolkit';

// GraphiQL prefixes every key it stores with "graphiql:".
const KEY_PREFIX = 'graphiql:';
const PERSIST_HEADERS_KEY = `${KEY_PREFIX}shouldPersistHeaders`;
const TABS_KEY = `${KEY_PREFIX}tabState`;
// The history plugin's lists of operations, each entry with the headers it ran with.
const HISTORY_KEYS = [`${KEY_PREFIX}queries`, `${KEY_PREFIX}favorites`];

/** Tells whether the person turned on "Persist headers" in GraphiQL's settings dialog. */
export function headersPersistenceChosen(storage: globalThis.Storage): boolean {
  return storage.getItem(PERSIST_HEADERS_KEY) === 'true';
}

/**
 * Wraps the browser's localStorage for GraphiQL so that no request headers, which hold
 * access tokens, are stored unless the person turned on "Persist headers". GraphiQL 5.4
 * alone does not ensure that: its history plugin stores every operation's headers, and
 * a tab state that it serialized before the person turned persistence off is written
 * 500 ms later, headers included.
 */
export function createGraphiQLStorage(backing: globalThis.Storage): GraphiQLStorage {
  // GraphiQL stores the tabs just before the choice when persistence is turned on, so the
  // tab state withheld then is written once the choice is stored.
  let withheldTabs: string | undefined;

  const removeStoredHeaders = () => {
    for (const key of [TABS_KEY, ...HISTORY_KEYS]) {
      const value = backing.getItem(key);
      if (value !== null) setWithoutHeaders(backing, key, value);
    }
  };

  return {
    getItem: (key) => backing.getItem(key),
    setItem(key, value) {
      if (key === PERSIST_HEADERS_KEY) {
        backing.setItem(key, value);
        if (value === 'true' && withheldTabs !== undefined) backing.setItem(TABS_KEY, withheldTabs);
        if (value !== 'true') removeStoredHeaders();
        withheldTabs = undefined;
      } else if (headersPersistenceChosen(backing) || (key !== TABS_KEY && !HISTORY_KEYS.includes(key))) {
        backing.setItem(key, value);
      } else {
        if (key === TABS_KEY) withheldTabs = value;
        setWithoutHeaders(backing, key, value);
      }
    },
    removeItem: (key) => backing.removeItem(key),
    clear() {
      for (const key of graphiqlKeys(backing)) backing.removeItem(key);
    },
    get length() {
      return graphiqlKeys(backing).length;
    },
  };
}

/**
 * Stores GraphiQL's JSON with every `headers` property set to null, as GraphiQL itself
 * clears them, and removes the key when the value is not JSON.
 */
function setWithoutHeaders(backing: globalThis.Storage, key: string, value: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    backing.removeItem(key);
    return;
  }
  backing.setItem(key, JSON.stringify(parsed, (name, property: unknown) => (name === 'headers' ? null : property)));
}

function graphiqlKeys(backing: globalThis.Storage): string[] {
  const keys: string[] = [];
  for (let index = 0; index < backing.length; index += 1) {
    const key = backing.key(index);
    if (key?.startsWith(KEY_PREFIX)) keys.push(key);
  }
  return keys;
}

/** Implements the Web Storage interface in memory, for browsers that deny access to localStorage. */
export function createMemoryStorage(): globalThis.Storage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
    key: (index) => [...items.keys()][index] ?? null,
    get length() {
      return items.size;
    },
  };
}
