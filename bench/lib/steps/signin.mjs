// Sign-in under load: logins per second (bcrypt, cost 12), and the tasks page's p99 with and
// without sign-ins in flight, against one app process.
import { SEED_PASSWORD } from '../settings.mjs';
import { startServer } from '../servers.mjs';
import { DOCUMENTS, seededUser, spreadUsers } from '../workloads.mjs';
import { measure } from './common.mjs';

/**
 * Waits until the sign-ins that wrk left unanswered at the end of a load are done. The app skips
 * queued ones whose connection closed but finishes those already hashing, and an app without that
 * check would hash them all. One more sign-in queues behind them, so its response means the queue is empty.
 */
async function drainSignIns(server, userNumber) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: DOCUMENTS.app.login(), variables: { email: seededUser(userNumber).email, password: SEED_PASSWORD } }),
    signal: AbortSignal.timeout(120_000),
  });
  const body = await response.json();
  if (!body.data?.login) throw new Error(`Sign-in after the sign-in load failed with ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
}

export async function measureSignIn({ profile, database, failures, log }) {
  const userNumbers = spreadUsers(profile.users, profile.tokenUsers);
  const server = await startServer('app', { database, name: 'app-signin' });
  try {
    const base = { database, dialect: 'app', userNumbers, seconds: profile.extraSeconds, failures };
    await measure(server, { ...base, workload: 'tasks', connections: 50, seconds: profile.warmupSeconds, label: 'sign-in warm-up' });
    const tasksAlone = await measure(server, { ...base, workload: 'tasks', connections: 50, label: 'tasks without sign-ins' });
    const loginsAlone = await measure(server, { ...base, workload: 'login', connections: profile.loginConnections, label: 'sign-ins alone' });
    await drainSignIns(server, userNumbers[0]);
    const [tasksDuring, loginsDuring] = await Promise.all([
      measure(server, { ...base, workload: 'tasks', connections: 50, label: 'tasks during sign-ins' }),
      measure(server, { ...base, workload: 'login', connections: profile.loginConnections, label: 'sign-ins during tasks' }),
    ]);
    log(
      `sign-in: ${loginsAlone.rps.toFixed(1)} logins/s alone; tasks p99 ${tasksAlone.p99.toFixed(1)} ms alone, ` +
        `${tasksDuring.p99.toFixed(1)} ms with ${profile.loginConnections} sign-ins in flight`,
    );
    return { loginConnections: profile.loginConnections, tasksAlone, loginsAlone, tasksDuring, loginsDuring };
  } finally {
    await server.stop();
  }
}
