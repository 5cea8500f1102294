// Footprint: start time of the app on the embedded database with existing data, and the size of the web app's JavaScript.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { freePort, startProcess, waitForGraphql } from '../processes.mjs';
import { APP_MAIN, REPO_ROOT, WORK_DIR } from '../settings.mjs';
import { median } from '../stats.mjs';

const DATA_DIR = path.join(WORK_DIR, 'embedded-data');

async function startEmbedded(name, timeoutMs) {
  const port = await freePort();
  const since = performance.now();
  const handle = startProcess(name, process.execPath, [APP_MAIN], {
    env: { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), DATA_DIR, LOG_LEVEL: 'warn' },
    unset: ['DATABASE_URL', 'BETTER_AUTH_SECRET', 'REDIS_URL'],
    // The app stops its embedded PostgreSQL server before it exits, which can take a few seconds.
    killAfterMs: 30_000,
  });
  try {
    return { ms: await waitForGraphql(handle, `http://127.0.0.1:${port}/graphql`, { since, timeoutMs }) };
  } finally {
    await handle.stop();
  }
}

/**
 * Starts the app without DATABASE_URL on DATA_DIR: once to create the data folder (not timed
 * unless it already existed), then `attempts` times from spawn to the first 200 of POST /graphql.
 */
export async function measureStartTime({ attempts, log }) {
  const existed = fs.existsSync(path.join(DATA_DIR, 'postgres'));
  const first = await startEmbedded('app-embedded-first-start', 180_000);
  const times = [];
  for (let i = 0; i < attempts; i++) times.push((await startEmbedded(`app-embedded-start${i + 1}`, 60_000)).ms);
  log(`start to first answer on the embedded database: ${times.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  return { dataDir: DATA_DIR, firstStartMs: first.ms, firstStartCreatedData: !existed, times, medianMs: median(times) };
}

/**
 * Measures the gzipped size (level 9) of web/dist/assets/*.js: in all, and of the scripts that
 * web/dist/index.html loads at once (its module script and modulepreload links), without the
 * chunks that the app imports later. Returns undefined when web/dist does not exist.
 */
export function measureWebBundle() {
  const dist = path.join(REPO_ROOT, 'web', 'dist');
  const assets = path.join(dist, 'assets');
  if (!fs.existsSync(assets)) return undefined;
  const index = fs.existsSync(path.join(dist, 'index.html')) ? fs.readFileSync(path.join(dist, 'index.html'), 'utf8') : '';
  const initial = new Set(
    [...index.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\/assets\/([^"]+\.js)"/g)].map((match) => match[1]),
  );
  const files = fs.readdirSync(assets).filter((file) => file.endsWith('.js'));
  const sizes = files.map((file) => {
    const content = fs.readFileSync(path.join(assets, file));
    return {
      file,
      initial: initial.has(file),
      bytes: content.length,
      gzipBytes: zlib.gzipSync(content, { level: 9 }).length,
      builtAt: fs.statSync(path.join(assets, file)).mtime,
    };
  });
  const sum = (list) => list.reduce((total, size) => total + size.gzipBytes, 0);
  return { files: sizes, gzipBytes: sum(sizes), initialGzipBytes: sum(sizes.filter((size) => size.initial)) };
}
