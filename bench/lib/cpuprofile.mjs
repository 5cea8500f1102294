// Summarizes a V8 .cpuprofile (node --cpu-prof): self time per function and per package.
// Usage: node bench/lib/cpuprofile.mjs FILE.cpuprofile [TOP] [LAST_SECONDS]
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Package of a script URL: the folder after the last node_modules, "node:" for Node's own code, else the file. */
function packageOf(url) {
  if (url.startsWith('node:')) return 'node: (Node.js core)';
  const index = url.lastIndexOf('node_modules/');
  if (index >= 0) {
    const [scope, name] = url.slice(index + 'node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  if (url.includes('/build/api/')) return 'app (build/api)';
  return shortUrl(url);
}

function shortUrl(url) {
  const index = url.lastIndexOf('node_modules/');
  if (index >= 0) return url.slice(index + 'node_modules/'.length);
  const build = url.indexOf('/build/');
  return build >= 0 ? url.slice(build + 1) : url.replace(/^file:\/\//, '');
}

/**
 * Returns total sampled ms, and the top functions and packages by self time. With `lastMs`,
 * only the samples of the profile's last `lastMs` milliseconds count (the measured load, not the start).
 */
export function summarizeProfile(file, top = 25, lastMs = Infinity) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map();
  const from = profile.endTime - lastMs * 1000;
  let timestamp = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    timestamp += profile.timeDeltas[i] ?? 0;
    if (timestamp < from) continue;
    const delta = (profile.timeDeltas[i] ?? 0) / 1000;
    selfMs.set(profile.samples[i], (selfMs.get(profile.samples[i]) ?? 0) + delta);
  }
  const byFunction = new Map();
  const byPackage = new Map();
  let totalMs = 0;
  let idleMs = 0;
  for (const [id, ms] of selfMs) {
    const { callFrame } = nodes.get(id);
    totalMs += ms;
    if (callFrame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const name = `${callFrame.functionName || '(anonymous)'} ${callFrame.url ? `${shortUrl(callFrame.url)}:${callFrame.lineNumber + 1}` : ''}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    const pkg = callFrame.url ? packageOf(callFrame.url) : callFrame.functionName;
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
  }
  const busyMs = totalMs - idleMs;
  const rank = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms: Math.round(ms), share: ms / busyMs }));
  return { totalMs: Math.round(totalMs), busyMs: Math.round(busyMs), functions: rank(byFunction), packages: rank(byPackage) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, top, lastSeconds] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('Usage: node bench/lib/cpuprofile.mjs FILE.cpuprofile [TOP] [LAST_SECONDS]\n');
    process.exit(2);
  }
  const summary = summarizeProfile(file, Number(top ?? 25), lastSeconds ? Number(lastSeconds) * 1000 : Infinity);
  console.log(`busy ${summary.busyMs} ms of ${summary.totalMs} ms sampled`);
  console.log('\nself time by package:');
  for (const row of summary.packages) console.log(`${(row.share * 100).toFixed(1).padStart(5)} %  ${row.name}`);
  console.log('\nself time by function:');
  for (const row of summary.functions) console.log(`${(row.share * 100).toFixed(1).padStart(5)} %  ${row.name}`);
}
