// CPU profile of the app under the tasks load (node --cpu-prof), summarized by self time.
import fs from 'node:fs';
import path from 'node:path';
import { summarizeProfile } from '../cpuprofile.mjs';
import { startServer } from '../servers.mjs';
import { WORK_DIR } from '../settings.mjs';
import { spreadUsers } from '../workloads.mjs';
import { measure } from './common.mjs';

export async function profileServer({ kind = 'app', profile, database, failures, log }) {
  const directory = path.join(WORK_DIR, 'profiles', kind);
  fs.rmSync(directory, { recursive: true, force: true });
  fs.mkdirSync(directory, { recursive: true });
  const server = await startServer(kind, { database, name: `${kind}-profile`, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${directory}`] });
  let result;
  try {
    const base = { database, dialect: 'app', workload: 'tasks', userNumbers: spreadUsers(profile.users, profile.tokenUsers), connections: 50, failures };
    await measure(server, { ...base, seconds: profile.warmupSeconds, label: `${kind} profile warm-up` });
    result = await measure(server, { ...base, seconds: profile.extraSeconds, label: `${kind} profile` });
  } finally {
    // The profile is written when the process exits after SIGTERM.
    await server.stop();
  }
  const file = fs.readdirSync(directory).find((name) => name.endsWith('.cpuprofile'));
  if (!file) return { skipped: `no .cpuprofile in ${directory}; did ${kind} exit cleanly on SIGTERM?` };
  // The measured load and the stop after it, without the start and the warm-up.
  const summary = summarizeProfile(path.join(directory, file), 20, (profile.extraSeconds + 1) * 1000);
  log(`profile of ${kind}: ${summary.packages.slice(0, 5).map((row) => `${row.name} ${(row.share * 100).toFixed(0)} %`).join(', ')}`);
  return { file: path.relative(path.dirname(WORK_DIR), path.join(directory, file)), rps: result.rps, ...summary };
}
