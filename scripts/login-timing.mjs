// Prints the median time of a failed sign-in for a known email (wrong password) and for an
// unknown email. Both run one bcrypt comparison, so the two should be close. Starts its own
// API (embedded PostgreSQL in a temporary folder, bcrypt cost 12) and stops it afterwards.
// Usage: node scripts/login-timing.mjs [samples]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApi } from './build-api.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const samples = Number(process.argv[2] ?? 30);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-login-timing-'));

buildApi();
const api = spawn(process.execPath, [path.join(root, 'build', 'api', 'src', 'main.js')], {
  env: {
    ...process.env,
    DATABASE_URL: '',
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'info',
    RATE_LIMIT_LOGIN_FAILURES: '100000',
    RATE_LIMIT_LOGIN_ATTEMPTS: '100000',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let output = '';
api.stdout.on('data', (chunk) => (output += chunk));

try {
  const deadline = Date.now() + 60_000;
  let match;
  while (!(match = /"graphql":"([^"]+)"/.exec(output))) {
    if (Date.now() > deadline || api.exitCode !== null) throw new Error(`the API did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const url = match[1];
  const post = (query, variables) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const login = 'mutation($input: LoginInput!) { login(input: $input) { accessToken } }';

  await post('mutation($input: RegisterInput!) { register(input: $input) { accessToken } }', {
    input: { email: 'timing@example.com', password: 'a long passphrase' },
  });

  const timings = { known: [], unknown: [] };
  for (let i = 0; i < samples; i++) {
    for (const [kind, email] of [['known', 'timing@example.com'], ['unknown', `nobody-${i}@example.com`]]) {
      const started = process.hrtime.bigint();
      await (await post(login, { input: { email, password: 'a wrong password' } })).text();
      timings[kind].push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(`failed sign-in, median of ${samples}: known email ${median(timings.known).toFixed(1)} ms, unknown email ${median(timings.unknown).toFixed(1)} ms`);
} finally {
  api.kill('SIGTERM');
  await new Promise((resolve) => api.on('exit', resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
