import { readFileSync, unlinkSync } from 'node:fs';
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logging';
import { hasErrorCode, isProcessRunning, sleep } from './processes';

/** Name of the owner lock file in the data folder. It contains the owning process's pid. */
export const LOCK_FILE_NAME = 'embedded-postgres.lock';

const MAX_LOCK_ATTEMPTS = 5;
/** A lock file without a pid may be one that its creator has not written yet. */
const EMPTY_LOCK_WAIT_MS = 1000;
const EMPTY_LOCK_POLL_MS = 50;

/** Raised when a live process already owns the embedded database of a data folder. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
    readonly lockFile: string,
  ) {
    super(
      ownerPid === process.pid
        ? `This process already runs the embedded database in ${dataDir}; stop it before starting it again`
        : `Another API process (pid ${ownerPid}) is using the embedded database in ${dataDir}; ` +
            `stop it or set DATA_DIR to another folder. If pid ${ownerPid} is not an API process, delete ${lockFile}`,
    );
    this.name = 'DataDirInUseError';
  }
}

/** The owner lock of one data folder, held by this process until released. */
export class OwnerLock {
  private released = false;

  constructor(readonly file: string) {}

  /** Removes the lock file if it still contains this process's pid. Safe to call twice. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const content = await readFile(this.file, 'utf8').catch(() => undefined);
    if (parsePid(content) === process.pid) await unlink(this.file).catch(() => undefined);
  }

  /** Same as release(), for the process 'exit' event, where only synchronous calls run. */
  releaseSync(): void {
    if (this.released) return;
    this.released = true;
    try {
      if (parsePid(readFileSync(this.file, 'utf8')) === process.pid) unlinkSync(this.file);
    } catch {
      // The file is gone already, so there is nothing to release.
    }
  }
}

/**
 * Takes the owner lock of `dataDir`. Raises DataDirInUseError when a running process owns
 * it, and takes over a lock whose process has exited.
 */
export async function acquireOwnerLock(dataDir: string, logger: Logger): Promise<OwnerLock> {
  const file = path.join(dataDir, LOCK_FILE_NAME);
  for (let attempt = 1; attempt <= MAX_LOCK_ATTEMPTS; attempt++) {
    if (await createLockFile(file)) return new OwnerLock(file);

    const content = await readSettledLockFile(file);
    if (content === undefined) continue; // removed since the create attempt
    const ownerPid = parsePid(content);
    if (ownerPid !== undefined && (await isProcessRunning(ownerPid))) {
      throw new DataDirInUseError(dataDir, ownerPid, file);
    }

    logger.warn({ lockFile: file, ownerPid }, 'Taking over the owner lock of a process that is no longer running');
    await removeStaleLockFile(file, content);
  }
  throw new Error(`Failed to create ${file} after ${MAX_LOCK_ATTEMPTS} attempts, because other processes kept creating it`);
}

/** Creates the lock file with this process's pid. Returns false when it exists already. */
async function createLockFile(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'wx', 0o644);
  } catch (error) {
    if (hasErrorCode(error, 'EEXIST')) return false;
    throw error;
  }
  try {
    await handle.writeFile(`${process.pid}\n`);
  } finally {
    await handle.close();
  }
  return true;
}

/**
 * Reads the lock file, waiting a moment when it contains no pid yet, because another
 * process may have just created it. Returns undefined when the file is gone.
 */
async function readSettledLockFile(file: string): Promise<string | undefined> {
  const deadline = Date.now() + EMPTY_LOCK_WAIT_MS;
  for (;;) {
    let content: string;
    try {
      content = await readFile(file, 'utf8');
    } catch (error) {
      if (hasErrorCode(error, 'ENOENT')) return undefined;
      throw error;
    }
    if (parsePid(content) !== undefined || Date.now() >= deadline) return content;
    await sleep(EMPTY_LOCK_POLL_MS);
  }
}

/**
 * Removes a stale lock file, but only if it still has the content that was judged stale.
 * Moving it aside first keeps a second process, which may have taken over the same stale
 * lock a moment earlier and written its own pid, from losing its fresh lock.
 */
async function removeStaleLockFile(file: string, staleContent: string): Promise<void> {
  const movedFile = `${file}.${process.pid}.stale`;
  try {
    await rename(file, movedFile);
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return;
    throw error;
  }
  const movedContent = await readFile(movedFile, 'utf8');
  if (movedContent !== staleContent) {
    // NOTE: if a third process creates a lock file between the rename and this link, the
    // process whose lock was moved aside keeps running without a lock file.
    await link(movedFile, file).catch((error: unknown) => {
      if (!hasErrorCode(error, 'EEXIST')) throw error;
    });
  }
  await unlink(movedFile);
}

function parsePid(content: string | undefined): number | undefined {
  const match = /^(\d+)\s*$/.exec(content ?? '');
  if (!match) return undefined;
  const pid = Number(match[1]);
  return pid > 0 ? pid : undefined;
}
