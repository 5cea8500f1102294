// Description of the run's machine, the versions of its tools, and the revision of the app.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { ADMIN_URL, REPO_ROOT } from './settings.mjs';

/** First line that a command prints on stdout or stderr (nginx -v and wrk -v use stderr), or "not found". */
function commandOutput(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) return 'not found';
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n')[0];
}

export async function describeMachine() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  const { rows } = await client.query('SHOW server_version');
  await client.end();
  const status = spawnSync('git', ['-C', REPO_ROOT, 'status', '--porcelain', '--', 'api', 'ormconfig.ts'], { encoding: 'utf8' }).stdout ?? '';
  return {
    cpus: os.availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: rows[0].server_version,
    wrk: commandOutput('wrk', ['-v']).replace(/\s*Copyright.*$/, ''),
    nginx: commandOutput('nginx', ['-v']),
    appRevision: commandOutput('git', ['-C', REPO_ROOT, 'rev-parse', '--short', 'HEAD']),
    appUncommittedChanges: status.trim() !== '',
    loadAverage: os.loadavg(),
  };
}
