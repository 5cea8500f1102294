// Runs wrk with the GraphQL load script and returns its figures, plus the server's CPU time over the run.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { cpuTicks, TICKS_PER_SECOND } from './processes.mjs';
import { BENCH_DIR } from './settings.mjs';

const SCRIPT = path.join(BENCH_DIR, 'wrk', 'graphql.lua');

/**
 * Runs `wrk -t<threads> -c<connections> -d<seconds>s` against `url` with a Lua data file.
 * `cpuPids` are processes whose CPU time is read before and after (the server, its database
 * backends). Resolves with requests/s, latency percentiles in ms and the error counts. A
 * response slower than `timeoutSeconds` counts as a timeout error.
 */
export function runWrk({ url, dataFile, connections, seconds, threads = 1, cpuPids = {}, timeoutSeconds = 10 }) {
  const args = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--timeout', `${timeoutSeconds}s`, '-s', SCRIPT, url, '--', dataFile];
  const before = Object.fromEntries(Object.entries(cpuPids).map(([name, pids]) => [name, pids.reduce((sum, pid) => sum + cpuTicks(pid), 0)]));
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', (error) => reject(new Error(`wrk could not start (${error.message}); install it with apt-get install -y wrk`)));
    child.once('exit', (code) => {
      const line = stdout.split('\n').find((text) => text.startsWith('BENCH_RESULT '));
      if (code !== 0 || !line) {
        reject(new Error(`wrk exited with ${code} and no result line.\n${stdout}\n${stderr}`));
        return;
      }
      const raw = JSON.parse(line.slice('BENCH_RESULT '.length));
      const seconds = raw.durationUs / 1e6;
      const cpuMsPerRequest = {};
      for (const [name, pids] of Object.entries(cpuPids)) {
        const ticks = pids.reduce((sum, pid) => sum + cpuTicks(pid), 0) - before[name];
        cpuMsPerRequest[name] = raw.requests > 0 ? (ticks * 1000) / TICKS_PER_SECOND / raw.requests : 0;
      }
      resolve({
        requests: raw.requests,
        seconds,
        rps: raw.requests / seconds,
        p50: raw.latencyUs.p50 / 1000,
        p90: raw.latencyUs.p90 / 1000,
        p99: raw.latencyUs.p99 / 1000,
        max: raw.latencyUs.max / 1000,
        socketErrors: raw.socketErrors,
        checked: raw.checked,
        non2xx: raw.non2xx,
        graphqlErrors: raw.graphqlErrors,
        sample: raw.sample,
        cpuMsPerRequest,
      });
    });
  });
}

/** True when a run saw a failed response or a socket error. */
export function hasErrors(result) {
  const socket = result.socketErrors;
  return result.non2xx + result.graphqlErrors + socket.connect + socket.read + socket.write + socket.timeout + socket.status > 0;
}
