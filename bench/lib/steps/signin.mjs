// Sign-in under load: logins per second (bcrypt, cost 12), and the tasks page's p99 with and
// without sign-ins in flight, against one app process.
import { startServer } from '../servers.mjs';
import { spreadUsers } from '../workloads.mjs';
import { measure } from './common.mjs';

export async function measureSignIn({ profile, database, failures, log }) {
  const userNumbers = spreadUsers(profile.users, profile.tokenUsers);
  const server = await startServer('app', { database, name: 'app-signin' });
  try {
    const base = { database, dialect: 'app', userNumbers, seconds: profile.extraSeconds, failures };
    await measure(server, { ...base, workload: 'tasks', connections: 50, seconds: profile.warmupSeconds, label: 'sign-in warm-up' });
    const tasksAlone = await measure(server, { ...base, workload: 'tasks', connections: 50, label: 'tasks without sign-ins' });
    const loginsAlone = await measure(server, { ...base, workload: 'login', connections: profile.loginConnections, label: 'sign-ins alone' });
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
