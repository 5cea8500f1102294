// Growth: the tasks page of a user with 100 tasks against one with 100,000, the separate cost of
// totalCount and taskCounts, and the query plans of the app's statements for the large list.
import pg from 'pg';
import { startServer } from '../servers.mjs';
import { databaseUrl } from '../settings.mjs';
import { seededUser } from '../workloads.mjs';
import { measure } from './common.mjs';

const GROWTH_USER = 0;
const SMALL_USER = 1;
const TASK_COLUMNS =
  't.id, t.owner_id, t.title, t.description, t.completed, t.completed_at, t.priority, t.due_date, t.created_at, t.updated_at';

/** EXPLAIN (ANALYZE, BUFFERS) of the app's statements (api/src/tasks/task.service.ts) for the growth user. */
export async function explainPlans(database) {
  const owner = seededUser(GROWTH_USER).userId;
  const client = new pg.Client({ connectionString: databaseUrl(database) });
  await client.connect();
  try {
    const explain = async (sql) => (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`)).rows.map((row) => row['QUERY PLAN']).join('\n');
    const middle = await client.query(
      `SELECT (created_at)::text AS key, id FROM tasks WHERE owner_id = '${owner}' ORDER BY created_at, id OFFSET 50000 LIMIT 1`,
    );
    const { key, id } = middle.rows[0];
    const page = (keyset) =>
      `SELECT ${TASK_COLUMNS}, (t.created_at)::text AS sort_key FROM tasks t
        WHERE t.owner_id = '${owner}'${keyset} ORDER BY t.created_at ASC, t.id ASC LIMIT 21`;
    return {
      'first page (tasks(first: 20))': await explain(page('')),
      'page after the 50,000th task (after: cursor)': await explain(page(` AND (t.created_at, t.id) > ('${key}'::timestamptz, '${id}'::uuid)`)),
      totalCount: await explain(`SELECT count(*)::int AS count FROM tasks t WHERE t.owner_id = '${owner}'`),
      taskCounts: await explain(
        `SELECT count(*)::int AS all, (count(*) FILTER (WHERE completed))::int AS completed FROM tasks WHERE owner_id = '${owner}'`,
      ),
    };
  } finally {
    await client.end();
  }
}

export async function measureGrowth({ profile, database, failures, log }) {
  const server = await startServer('app', { database, name: 'app-growth' });
  const results = {};
  try {
    const base = { database, dialect: 'app', connections: 50, seconds: profile.extraSeconds, failures };
    await measure(server, { ...base, workload: 'tasks', userNumbers: [SMALL_USER, GROWTH_USER], seconds: profile.warmupSeconds, label: 'growth warm-up' });
    const loads = [
      ['tasks, 100 tasks', 'tasks', SMALL_USER],
      ['tasks, 100,000 tasks', 'tasks', GROWTH_USER],
      ['tasks + totalCount, 100 tasks', 'tasksTotal', SMALL_USER],
      ['tasks + totalCount, 100,000 tasks', 'tasksTotal', GROWTH_USER],
      ['taskCounts, 100 tasks', 'counts', SMALL_USER],
      ['taskCounts, 100,000 tasks', 'counts', GROWTH_USER],
    ];
    for (const [label, workload, user] of loads) {
      results[label] = await measure(server, { ...base, workload, userNumbers: [user], label: `growth ${label}` });
      log(`growth ${label}: ${results[label].rps.toFixed(0)} req/s, p99 ${results[label].p99.toFixed(1)} ms`);
    }
  } finally {
    await server.stop();
  }
  return { results, plans: await explainPlans(database), growthTasks: profile.growthTasks };
}
