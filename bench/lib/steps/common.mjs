// Pieces shared by the measuring steps: the database backends of a server, and one measured wrk run.
import pg from 'pg';
import { ADMIN_URL } from '../settings.mjs';
import { runWrk, hasErrors } from '../wrk.mjs';
import { writeLoadData } from '../workloads.mjs';

/** Process ids of the PostgreSQL backends connected to `database` (the server's pool), for their CPU time. */
export async function backendPids(database) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

/**
 * Runs one wrk load of `workload` as the users `userNumbers` against `server` and records any
 * failed response in `failures`. CPU time is read for the server process and its database backends.
 */
export async function measure(server, { database, dialect, workload, userNumbers, connections, seconds, failures, label, extraPids = [] }) {
  const dataFile = writeLoadData(`${server.name}-${workload}-${connections}`, { dialect, workload, userNumbers });
  const cpuPids = { server: [server.pid, ...extraPids], database: await backendPids(database) };
  // 50 sign-ins in flight queue for bcrypt, so the last ones wait longer than wrk's usual 10 s.
  const timeoutSeconds = workload === 'login' ? 60 : 10;
  const result = await runWrk({ url: server.url, dataFile, connections, seconds, cpuPids, timeoutSeconds });
  if (hasErrors(result)) {
    failures.push({
      step: label ?? `${server.name} ${workload} c${connections}`,
      non2xx: result.non2xx,
      graphqlErrors: result.graphqlErrors,
      socketErrors: result.socketErrors,
      sample: result.sample,
    });
  }
  return result;
}
