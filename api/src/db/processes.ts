import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Checks the `code` of a Node.js system error, such as ENOENT or EEXIST. It reads the
 * property without `instanceof Error`, which is false for errors from another realm (jest).
 */
export function hasErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/**
 * Checks whether a process exists and has not exited. A zombie (exited, not yet reaped by
 * its parent) counts as exited; that check needs /proc, so elsewhere a zombie counts as running.
 */
export async function isProcessRunning(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (hasErrorCode(error, 'ESRCH')) return false;
    // EPERM: the process exists but belongs to another user.
    if (!hasErrorCode(error, 'EPERM')) throw error;
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The state letter follows the command name, which is in brackets and may contain spaces.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT') && process.platform === 'linux') return false;
    return true;
  }
}

/**
 * Reads a process's command line: from /proc on Linux, from `ps` elsewhere (where
 * arguments containing spaces cannot be distinguished). Returns undefined when the process is
 * gone, and an empty list for a zombie.
 */
export async function readCommandLine(pid: number): Promise<string[] | undefined> {
  if (process.platform === 'linux') {
    try {
      const text = await readFile(`/proc/${pid}/cmdline`, 'utf8');
      return text.split('\0').filter((argument) => argument !== '');
    } catch (error) {
      if (hasErrorCode(error, 'ENOENT') || hasErrorCode(error, 'ESRCH')) return undefined;
      throw error;
    }
  }
  try {
    const { stdout } = await execFileAsync('ps', ['-o', 'command=', '-p', String(pid)]);
    return stdout.trim().split(/\s+/).filter((argument) => argument !== '');
  } catch {
    // ps exits with status 1 when no process has this pid.
    return undefined;
  }
}

/**
 * Checks whether a process's working directory is `folder`, comparing device and inode so
 * that a path through a symbolic link matches too. Returns undefined where /proc is missing
 * or the process belongs to another user.
 */
export async function isWorkingDirectory(pid: number, folder: string): Promise<boolean | undefined> {
  if (process.platform !== 'linux') return undefined;
  try {
    const [working, expected] = await Promise.all([stat(`/proc/${pid}/cwd`), stat(folder)]);
    return working.dev === expected.dev && working.ino === expected.ino;
  } catch (error) {
    if (hasErrorCode(error, 'ENOENT')) return false;
    return undefined;
  }
}
