// `npm start`: builds the API, builds the web app when its sources changed, then runs the API
// in production mode in this same process, so that signals sent to it reach the API directly.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
  if (!fs.existsSync(index) || !fs.existsSync(path.join(root, 'web', 'dist', 'graphiql', 'index.html'))) return true;
  const sources = ['src', 'graphiql', 'index.html', 'vite.config.ts', 'package.json', 'public']
    .map((name) => path.join(root, 'web', name))
    .filter((entry) => fs.existsSync(entry));
  return Math.max(...sources.map(newestModification)) > fs.statSync(index).mtimeMs;
}

buildApi();
if (fs.existsSync(path.join(root, 'web', 'index.html')) && webBuildIsStale()) {
  process.stdout.write('Building the web app…\n');
  execFileSync('npm', ['run', 'build', '--silent', '-w', 'web'], { cwd: root, stdio: 'inherit' });
}

// npm runs this script under a shell that does not pass SIGTERM on, so when the process that
// started it goes away (npm killed by pid), the API stops itself instead of running on orphaned.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) process.kill(process.pid, 'SIGTERM');
}, 1000).unref();

process.env.NODE_ENV ??= 'production';
await import(pathToFileURL(path.join(root, 'build', 'api', 'src', 'main.js')).href);
