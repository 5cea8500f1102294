// The side-by-side comparison: each server in turn (one running at a time), the same workloads,
// several rounds with the order rotated, and the medians over the rounds.
import { checkServer } from '../checks.mjs';
import { peakRssKb } from '../processes.mjs';
import { SERVERS, startServer } from '../servers.mjs';
import { summarizeRuns } from '../stats.mjs';
import { spreadUsers } from '../workloads.mjs';
import { measure } from './common.mjs';

/** Workload and connection count of each measured load, in the order of a server's turn. */
export function comparisonLoads(profile) {
  const loads = [];
  for (const connections of profile.connections) {
    // At 200 connections only the tasks page, to keep the run within about 25 minutes.
    const workloads = connections === 50 ? ['tasks', 'counts', 'mix'] : ['tasks'];
    for (const workload of workloads) loads.push({ workload, connections, key: `${workload}@${connections}` });
  }
  return loads;
}

export async function compareServers({ kinds, profile, database, failures, log }) {
  const userNumbers = spreadUsers(profile.users, profile.tokenUsers);
  const loads = comparisonLoads(profile);
  const runs = Object.fromEntries(kinds.map((kind) => [kind, Object.fromEntries(loads.map((load) => [load.key, []]))]));
  const peakRss = Object.fromEntries(kinds.map((kind) => [kind, 0]));
  const startMs = Object.fromEntries(kinds.map((kind) => [kind, []]));

  for (let round = 0; round < profile.rounds; round++) {
    const order = kinds.map((_, i) => kinds[(i + round) % kinds.length]);
    for (const kind of order) {
      const { dialect } = SERVERS[kind];
      const server = await startServer(kind, { database, name: `${kind}-round${round + 1}` });
      try {
        startMs[kind].push(server.startMs);
        await checkServer(kind, server.url, dialect, userNumbers[round % userNumbers.length], profile);
        await measure(server, {
          database, dialect, workload: 'tasks', userNumbers, connections: 50, seconds: profile.warmupSeconds, failures, label: `${kind} warm-up`,
        });
        for (const load of loads) {
          const result = await measure(server, {
            database, dialect, workload: load.workload, userNumbers, connections: load.connections, seconds: profile.seconds, failures,
          });
          runs[kind][load.key].push(result);
          log(
            `round ${round + 1} ${kind} ${load.key}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(1)} ms, ` +
              `p99 ${result.p99.toFixed(1)} ms, ${result.cpuMsPerRequest.server.toFixed(2)} ms CPU/request`,
          );
        }
        peakRss[kind] = Math.max(peakRss[kind], peakRssKb(server.pid) ?? 0);
      } finally {
        await server.stop();
      }
    }
  }

  const summary = {};
  for (const kind of kinds) {
    summary[kind] = Object.fromEntries(loads.map((load) => [load.key, summarizeRuns(runs[kind][load.key])]));
  }
  return { loads, runs, summary, peakRssKb: peakRss, startMs };
}
