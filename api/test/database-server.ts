import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { EmbeddedDatabase } from '../src/db/embedded';

/** Environment variable through which the global setup passes the test files where to create their databases. */
export const ADMIN_URL_VARIABLE = 'TODO_TEST_ADMIN_DATABASE_URL';

// Kept on globalThis because jest may load global-setup and global-teardown as separate module instances.
const state = globalThis as typeof globalThis & { todoTestDatabase?: { embedded: EmbeddedDatabase; dataDir: string } };

/**
 * Starts the database server of a test run: the server of DATABASE_URL when it is set,
 * otherwise one embedded PostgreSQL server in a temporary folder. Each test file then
 * creates databases of its own on it.
 */
export async function startDatabaseServer(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const { startEmbeddedDatabase } = await import('../src/db/embedded');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-test-db-'));
  const embedded = await startEmbeddedDatabase({ dataDir, logger: pino({ level: 'warn' }), database: 'postgres' });
  state.todoTestDatabase = { embedded, dataDir };
  return embedded.adminUrl;
}

export async function stopDatabaseServer(): Promise<void> {
  const started = state.todoTestDatabase;
  if (!started) return;
  await started.embedded.stop();
  fs.rmSync(started.dataDir, { recursive: true, force: true });
}
