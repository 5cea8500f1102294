// Starts and stops the servers under test as child processes, and reads their CPU time and memory from /proc.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WORK_DIR } from './settings.mjs';

const running = new Set();

/** Returns a TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `command` with its output in WORK_DIR/logs/<name>.log, with `env` added to this
 * process's environment and the variables in `unset` removed. The handle's stop() sends
 * SIGTERM to this child only, then SIGKILL after `killAfterMs`.
 */
export function startProcess(name, command, args, { env = {}, unset = [], cwd, killAfterMs = 15_000 } = {}) {
  fs.mkdirSync(path.join(WORK_DIR, 'logs'), { recursive: true });
  const logFile = path.join(WORK_DIR, 'logs', `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  const childEnv = { ...process.env, ...env };
  for (const name of unset) delete childEnv[name];
  const child = spawn(command, args, { cwd, env: childEnv, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const handle = {
    name,
    pid: child.pid,
    logFile,
    exited,
    exitCode: null,
    async stop() {
      if (handle.exitCode !== null) return handle.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
  exited.then((result) => {
    handle.exitCode = result;
    running.delete(handle);
  });
  running.add(handle);
  return handle;
}

/** Stops every child still running; called when the run ends or is interrupted. */
export async function stopAll() {
  await Promise.all([...running].map((handle) => handle.stop()));
}

/** Sends one GraphQL request; returns the HTTP status and the parsed body (undefined when not JSON). */
export async function graphqlRequest(url, query, { variables, token, timeoutMs = 5_000 } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text };
}

/**
 * Polls POST /graphql `{__typename}` every 20 ms until it returns 200 and returns the
 * milliseconds since `since`. Throws when the process exits first or `timeoutMs` passes.
 */
export async function waitForGraphql(handle, url, { since = performance.now(), timeoutMs = 60_000 } = {}) {
  const deadline = since + timeoutMs;
  while (performance.now() < deadline) {
    if (handle.exitCode !== null) {
      throw new Error(`${handle.name} exited (${JSON.stringify(handle.exitCode)}) before responding; see ${handle.logFile}`);
    }
    try {
      const { status } = await graphqlRequest(url, '{ __typename }', { timeoutMs: 1_000 });
      if (status === 200) return performance.now() - since;
    } catch {
      // Not listening yet.
    }
    await sleep(20);
  }
  throw new Error(`${handle.name} did not respond with 200 to POST ${url} within ${timeoutMs} ms; see ${handle.logFile}`);
}

/** CPU time (user + system) of a process in clock ticks, from /proc/<pid>/stat (fields 14 and 15). */
export function cpuTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in field 2 may contain spaces, so fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ), 100 on Linux x86-64. */
export const TICKS_PER_SECOND = 100;

/** Peak resident set size of a process in kB (VmHWM), or undefined once it has exited. */
export function peakRssKb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
