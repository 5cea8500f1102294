// `npm start`: builds the API, builds the web app when its sources changed, then runs the API in production mode.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApi } from './build-api.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestModification(entry) {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of fs.readdirSync(entry)) {
    if (name === 'node_modules' || name === 'dist' || name === 'e2e') continue;
    newest = Math.max(newest, newestModification(path.join(entry, name)));
  }
  return newest;
}

function webBuildIsStale() {
  const index = path.join(root, 'web', 'dist', 'index.html');
  if (!fs.existsSync(index)) return true;
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json']
    .map((name) => path.join(root, 'web', name))
    .filter((entry) => fs.existsSync(entry));
  return Math.max(...sources.map(newestModification)) > fs.statSync(index).mtimeMs;
}

buildApi();
if (fs.existsSync(path.join(root, 'web', 'index.html')) && webBuildIsStale()) {
  process.stdout.write('Building the web app…\n');
  execFileSync('npm', ['run', 'build', '--silent', '-w', 'web'], { cwd: root, stdio: 'inherit' });
}

const api = spawn(process.execPath, ['--enable-source-maps', path.join(root, 'build', 'api', 'src', 'main.js')], {
  cwd: root,
  stdio: 'inherit',
  env: { NODE_ENV: 'production', ...process.env },
});
// Signals go to the API, which stops its database before exiting.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => api.kill(signal));
api.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
