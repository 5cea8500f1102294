// Creates a benchmark database and fills it with set-based SQL: one INSERT ... SELECT from
// generate_series per table (two for tasks: the regular users and the growth user).
import fs from 'node:fs';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import pg from 'pg';
import { ADMIN_URL, BCRYPT_COST, BENCH_DIR, SEED_PASSWORD, databaseUrl } from './settings.mjs';

/** Drops and creates `database` on the admin server. Only databases named todo_bench* are touched. */
export async function createDatabase(database, adminUrl = ADMIN_URL) {
  if (!/^todo_bench\w*$/.test(database)) throw new Error(`Invalid benchmark database name ${database}: the run recreates only databases named todo_bench*`);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${database} ENCODING 'UTF8' TEMPLATE template0`);
  } finally {
    await admin.end();
  }
}

// The ids are md5-derived, so that the load scripts know every user, session and first task without a query.
export const userIdSql = (n) => `md5('bench-user-' || ${n})::uuid`;
export const sessionIdSql = (n) => `md5('bench-session-' || ${n})::uuid`;

const VERBS = ['Buy', 'Call', 'Email', 'Fix', 'Plan', 'Review', 'Write', 'Clean', 'Book', 'Pay', 'Renew', 'Sort', 'Prepare', 'Check', 'Send'];
const OBJECTS = [
  'groceries', 'the dentist', 'the quarterly report', 'the car insurance', 'flights to Lisbon', 'the garage', 'rent',
  'the team offsite', 'birthday presents', 'the bike tyres', 'tax documents', 'the kitchen sink', 'library books',
  'the project proposal', 'photos from the trip', 'the passport', 'a plumber', 'the newsletter', 'old emails', 'the budget',
];

function sqlArray(items) {
  return `ARRAY[${items.map((item) => `'${item.replace(/'/g, "''")}'`).join(', ')}]`;
}

/**
 * Builds the SELECT that yields task `k` of user `u`. Titles come from word lists and a third
 * of the tasks have a description. 35 % are completed, priorities are 25/55/20 % LOW/MEDIUM/HIGH,
 * and 60 % have a due date, past or future. Creation times are an hour apart per user (five
 * minutes for the growth user).
 */
function taskRowsSql(series) {
  return `
    SELECT md5('bench-task-' || u || '-' || k)::uuid AS id,
           md5('bench-user-' || u)::uuid AS owner_id,
           (${sqlArray(VERBS)})[1 + (u * 7 + k * 3) % ${VERBS.length}] || ' ' ||
             (${sqlArray(OBJECTS)})[1 + (u * 13 + k * 11) % ${OBJECTS.length}] || ' #' || k AS title,
           CASE WHEN k % 3 = 0 THEN 'Notes for step ' || k || ': ask before Friday, keep the receipt.' END AS description,
           (hash / 1000000) % 100 < 35 AS completed,
           created_at,
           (CASE WHEN hash % 100 < 25 THEN 'LOW' WHEN hash % 100 < 80 THEN 'MEDIUM' ELSE 'HIGH' END)::task_priority AS priority,
           CASE WHEN (hash / 100) % 10 < 6 THEN now() + (((hash / 1000) % 120) - 40) * interval '1 day' END AS due_date
      FROM (
        SELECT u, k, abs(hashint8(u::bigint * 1000003 + k)::bigint) AS hash,
               now() - interval '400 days' + k * step + u * interval '1 millisecond' AS created_at
          FROM ${series}
      ) g`;
}

function insertTasksSql(series) {
  return `
    INSERT INTO tasks (id, owner_id, title, description, completed, completed_at, priority, due_date, created_at, updated_at)
    SELECT id, owner_id, title, description, completed,
           CASE WHEN completed THEN created_at + interval '2 days' END,
           priority, due_date, created_at,
           CASE WHEN completed THEN created_at + interval '2 days' ELSE created_at END
      FROM (${taskRowsSql(series)}) t`;
}

/**
 * Fills a migrated database: `users` users with `tasksPerUser` tasks each (numbered 1..users),
 * the growth user (number 0) with `growthTasks` tasks, one live session per user, then VACUUM
 * ANALYZE. Returns the timings and row counts.
 */
export async function seed(database, { users, tasksPerUser, growthTasks }, log = () => {}, adminUrl = ADMIN_URL) {
  const started = performance.now();
  const passwordHash = bcrypt.hashSync(SEED_PASSWORD, BCRYPT_COST);
  const hashMs = performance.now() - started;
  const client = new pg.Client({ connectionString: databaseUrl(database, adminUrl) });
  await client.connect();
  const steps = {};
  const step = async (name, sql, values) => {
    const t0 = performance.now();
    const result = await client.query(sql, values);
    steps[name] = Math.round(performance.now() - t0);
    return result;
  };
  try {
    await step(
      'users',
      `INSERT INTO users (id, email, password_hash, created_at, updated_at)
       SELECT ${userIdSql('n')}, CASE WHEN n = 0 THEN 'bench-growth@example.com' ELSE 'bench-user-' || n || '@example.com' END,
              $1, now() - interval '400 days', now() - interval '400 days'
         FROM generate_series(0, $2::int) n`,
      [passwordHash, users],
    );
    await step(
      'sessions',
      `INSERT INTO sessions (id, user_id, delivery, created_at, last_used_at, expires_at, user_agent, ip)
       SELECT ${sessionIdSql('n')}, ${userIdSql('n')}, 'BODY', now(), now(), now() + interval '7 days', 'todo-bench seed', '127.0.0.1'
         FROM generate_series(0, $1::int) n`,
      [users],
    );
    // Loading 1.1 million rows into a table with six indexes and a foreign key takes over a minute on
    // two cores. Without the secondary indexes and the per-row foreign-key trigger it takes seconds,
    // and rebuilding the indexes from their own definitions afterwards takes a few more.
    const indexes = await client.query(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
         FROM pg_index i
        WHERE i.indrelid = 'tasks'::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
    );
    for (const index of indexes.rows) await client.query(`DROP INDEX ${index.name}`);
    // Replica mode skips the foreign-key triggers; every owner_id below is a user inserted above.
    await client.query(`SET session_replication_role = replica`);
    await step(
      'tasks',
      insertTasksSql(`generate_series(1, ${Number(users)}) u, generate_series(1, ${Number(tasksPerUser)}) k, (SELECT interval '1 hour' AS step) s`),
    );
    await step(
      'growthTasks',
      insertTasksSql(`(SELECT 0 AS u) u, generate_series(1, ${Number(growthTasks)}) k, (SELECT interval '5 minutes' AS step) s`),
    );
    await client.query(`SET session_replication_role = DEFAULT`);
    await client.query(`SET maintenance_work_mem = '256MB'`);
    const t0 = performance.now();
    for (const index of indexes.rows) await client.query(index.definition);
    steps.indexes = Math.round(performance.now() - t0);
    await step('vacuumAnalyze', 'VACUUM ANALYZE');
    const counts = await client.query(
      `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM tasks)::int AS tasks, (SELECT count(*) FROM sessions)::int AS sessions`,
    );
    const result = { ...counts.rows[0], hashMs: Math.round(hashMs), steps, totalMs: Math.round(performance.now() - started) };
    log(`seeded ${database}: ${result.users} users, ${result.tasks} tasks, ${result.sessions} sessions in ${(result.totalMs / 1000).toFixed(1)} s`);
    return result;
  } finally {
    await client.end();
  }
}

/** Makes every seeded session live again (a rerun on an old database would find them idle past 24 h). */
export async function refreshSessions(database) {
  const client = new pg.Client({ connectionString: databaseUrl(database) });
  await client.connect();
  try {
    await client.query(`UPDATE sessions SET last_used_at = now(), expires_at = now() + interval '7 days', revoked_at = NULL WHERE user_agent = 'todo-bench seed'`);
  } finally {
    await client.end();
  }
}

/** Applies the PostGraphile server's role, function and row-level security policies (servers/postgraphile/row-level-security.sql). */
export async function applyRowLevelSecurity(database, adminUrl = ADMIN_URL) {
  const sql = fs.readFileSync(path.join(BENCH_DIR, 'servers', 'postgraphile', 'row-level-security.sql'), 'utf8');
  const client = new pg.Client({ connectionString: databaseUrl(database, adminUrl) });
  await client.connect();
  try {
    await client.query(`SET client_min_messages = warning`);
    await client.query(sql);
  } finally {
    await client.end();
  }
}
