// Counts the SQL statements of each operation with pg_stat_statements on a PostgreSQL server of
// its own. The machine's server may not preload the extension, and its counts would include other
// clients. This one runs from the machine's PostgreSQL binaries in a temporary folder and stops at the end.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { freePort, graphqlRequest } from './processes.mjs';
import { applyRowLevelSecurity, createDatabase, seed } from './seed.mjs';
import { SERVERS, startServer } from './servers.mjs';
import { DOCUMENTS, seededUser, signAccessToken } from './workloads.mjs';

const DATABASE = 'todo_bench_statements';
const SEED = { users: 20, tasksPerUser: 120, growthTasks: 200 };
const REQUESTS = 20;

/** Operations whose statements are counted, with the document and variables of request i. */
const OPERATIONS = [
  ['tasks(first: 5) with owner', (d) => d.tasks(5)],
  ['tasks(first: 20) with owner', (d) => d.tasks(20)],
  ['tasks(first: 100) with owner', (d) => d.tasks(100)],
  ['tasks(first: 20) with totalCount', (d) => d.tasksTotal()],
  ['taskCounts', (d) => d.counts()],
  ['createTask', (d) => d.create(), (user, i) => ({ title: `statement count ${i}`, ownerId: user.userId })],
  ['updateTask', (d) => d.update(), (user, i) => ({ id: user.firstTaskId, completed: i % 2 === 0 })],
  ['deleteTask', (d) => d.delete(), (user, i, created) => ({ id: created[i] })],
];

function binDir() {
  return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
}

/** Runs a PostgreSQL tool as the postgres system user when this process is root (PostgreSQL refuses root). */
function runAsPostgres(tool, args) {
  const command = path.join(binDir(), tool);
  if (process.getuid?.() === 0) return execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' });
  return execFileSync(command, args, { encoding: 'utf8' });
}

async function startStatisticsServer() {
  // In the system's temporary folder: the postgres user must be able to reach the data folder,
  // and a checkout (such as CI's) can sit below a folder that only root may enter.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pg-statements-'));
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', dataDir]);
  runAsPostgres('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions']);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dataDir}`,
    '-c shared_preload_libraries=pg_stat_statements',
    // Top-level statements only: what the server sends, not the statements inside triggers and functions.
    '-c pg_stat_statements.track=top',
    '-c fsync=off',
  ].join(' ');
  runAsPostgres('pg_ctl', ['-D', dataDir, '-l', path.join(dataDir, 'server.log'), '-o', options, '-w', 'start']);
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      runAsPostgres('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Returns, for each server in `kinds` and each operation, the statements per request (calls
 * summed over the benchmark database, divided by REQUESTS), and the app's statement texts.
 */
export async function countStatements(kinds, log) {
  const server = await startStatisticsServer();
  const admin = new pg.Client({ connectionString: server.adminUrl });
  try {
    await createDatabase(DATABASE, server.adminUrl);
    const migrate = await startServer('app', { database: DATABASE, adminUrl: server.adminUrl, name: 'app-statements-migrate' });
    await migrate.stop();
    await seed(DATABASE, SEED, log, server.adminUrl);
    await applyRowLevelSecurity(DATABASE, server.adminUrl);
    await admin.connect();
    await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const { rows } = await admin.query('SELECT oid FROM pg_database WHERE datname = $1', [DATABASE]);
    const databaseOid = rows[0].oid;

    const results = {};
    const appStatements = {};
    for (const kind of kinds) {
      const handle = await startServer(kind, { database: DATABASE, adminUrl: server.adminUrl, name: `${kind}-statements` });
      try {
        const documents = DOCUMENTS[SERVERS[kind].dialect];
        results[kind] = {};
        let created = [];
        for (const [operation, document, variablesOf] of OPERATIONS) {
          const send = async (i) => {
            const user = seededUser(1 + (i % SEED.users));
            const variables = variablesOf?.(user, i, created);
            const { status, body, text } = await graphqlRequest(handle.url, document(documents), { token: signAccessToken(user), variables });
            if (status !== 200 || !body || body.errors) throw new Error(`${kind} ${operation}: ${status} ${text.slice(0, 300)}`);
            return body.data;
          };
          // One request first, so that connection set-up and first-use queries stay out of the count.
          if (operation !== 'deleteTask') await send(REQUESTS);
          await sleep(50);
          await admin.query('SELECT pg_stat_statements_reset()');
          const createdNow = [];
          for (let i = 0; i < REQUESTS; i++) {
            const data = await send(i);
            if (operation === 'createTask') createdNow.push((data.createTask.task ?? data.createTask).id);
          }
          await sleep(100);
          const stats = await admin.query(
            `SELECT query, calls::int FROM pg_stat_statements WHERE dbid = $1 ORDER BY calls DESC, query`,
            [databaseOid],
          );
          const calls = stats.rows.reduce((sum, row) => sum + row.calls, 0);
          results[kind][operation] = calls / REQUESTS;
          if (kind === 'app') appStatements[operation] = stats.rows.map((row) => ({ calls: row.calls / REQUESTS, query: row.query }));
          if (operation === 'createTask') created = createdNow;
        }
      } finally {
        await handle.stop();
      }
      log(`counted statements of ${kind}: ${JSON.stringify(results[kind])}`);
    }
    return { requestsPerOperation: REQUESTS, perOperation: results, appStatements };
  } finally {
    await admin.end().catch(() => undefined);
    server.stop();
  }
}
