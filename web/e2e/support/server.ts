import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

const START_TIMEOUT_MS = 240_000;
const POLL_INTERVAL_MS = 500;
const STOP_TIMEOUT_MS = 30_000;

export interface RunningServer {
  baseUrl: string;
  logFile: string;
  stop(): Promise<void>;
}

/** Finds a free TCP port on 127.0.0.1 by letting the system pick one. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function isReady(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/graphql?query=%7B__typename%7D`, {
      headers: { 'apollo-require-preflight': 'true' },
      signal: AbortSignal.timeout(2_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * With DATABASE_URL set (as in CI's second run), gives each server a fresh database of its
 * own on that PostgreSQL server, a secret, and rate-limit keys of its own in REDIS_URL's Redis.
 * Without it, each server starts its own embedded PostgreSQL in its data folder.
 */
async function createDatabaseIfShared(): Promise<{ env: Record<string, string>; drop(): Promise<void> } | undefined> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) return undefined;
  const suffix = randomBytes(5).toString('hex');
  const name = `todo_e2e_${process.pid}_${suffix}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    env: {
      DATABASE_URL: url.toString(),
      BETTER_AUTH_SECRET: randomBytes(48).toString('base64url'),
      RATE_LIMIT_KEY_PREFIX: `e2e-${suffix}`,
    },
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * Starts the real API (`node scripts/start.mjs`) on 127.0.0.1 with a fresh data folder,
 * and waits until `/graphql` responds. `env` adds or overrides settings such as
 * ACCESS_TOKEN_TTL. The server's output goes to `logFile`, which `stop()` removes with the
 * data unless E2E_KEEP_LOGS=1 is set.
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-e2e-'));
  // Run as root, the API starts PostgreSQL as the OS user "postgres", which must be able
  // to enter this folder (mkdtemp makes it owner-only).
  fs.chmodSync(workDir, 0o711);
  const dataDir = path.join(workDir, 'data');
  const logFile = path.join(workDir, 'server.log');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const log = fs.openSync(logFile, 'a');

  const database = await createDatabaseIfShared();

  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...database?.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      BCRYPT_COST: '4',
      // Every test registers and signs in from 127.0.0.1, and the default limits count per IP.
      RATE_LIMIT_REGISTER: '1000',
      RATE_LIMIT_LOGIN_ATTEMPTS: '1000',
      RATE_LIMIT_LOGIN_FAILURES: '1000',
      ...env,
    },
    stdio: ['ignore', log, log],
    detached: true,
  });

  const stop = async () => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await exited(child, STOP_TIMEOUT_MS))) {
        // The server did not stop in time, so its whole process group (it and the embedded
        // PostgreSQL it started) is killed, by the group id of the process started here.
        process.kill(-child.pid, 'SIGKILL');
        await exited(child, 5_000);
      }
    }
    fs.closeSync(log);
    await database?.drop();
    if (process.env.E2E_KEEP_LOGS === '1') fs.rmSync(dataDir, { recursive: true, force: true });
    else fs.rmSync(workDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if (await isReady(baseUrl)) return { baseUrl, logFile, stop };
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }

  const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
  await stop();
  throw new Error(
    `The API server did not respond on ${baseUrl} within ${START_TIMEOUT_MS / 1000} s ` +
      `(exit code ${child.exitCode}). Last lines of its log:\n${tail}`,
  );
}
