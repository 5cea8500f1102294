import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { once } from 'node:events';

const MAIN = path.resolve(__dirname, '..', '..', 'build', 'api', 'src', 'main.js');

/** The API started as its own process from build/, as `npm start` runs it. */
export interface ApiProcess {
  child: ChildProcess;
  url: string;
  graphqlUrl: string;
  output: () => string;
  /** Resolves with the exit code (or null after a signal). */
  exited: Promise<number | null>;
}

/** Starts build/api/src/main.js with the given environment and waits for its "API listening" log line. */
export async function startApiProcess(environment: Record<string, string | undefined>, timeoutMs = 60_000): Promise<ApiProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', LOG_LEVEL: 'info', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /"url":"(http:\/\/[^"]+)\/"/.exec(output);
    if (match) return { child, url: match[1], graphqlUrl: `${match[1]}/graphql`, output: () => output, exited };
    if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode} before listening:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`API did not start within ${timeoutMs} ms:\n${output}`);
}

/** Runs the API until it exits by itself (a start that must fail), and returns its exit code and output. */
export async function runApiProcessToExit(environment: Record<string, string | undefined>, timeoutMs = 60_000) {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = await once(child, 'exit');
  clearTimeout(timer);
  return { code: code as number | null, output };
}
