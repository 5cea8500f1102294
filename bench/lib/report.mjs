// Renders the results of a full run as Markdown between the results markers of docs/benchmarks.md.
// The text around the markers stays as it is.
import fs from 'node:fs';
import path from 'node:path';
import { SERVERS } from './servers.mjs';
import { REPORT_FILE } from './settings.mjs';

const START = '<!-- results:start -->';
const END = '<!-- results:end -->';

const fixed = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const ms = (value) => fixed(value, value < 10 ? 2 : 1);
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : NaN);

function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

/** Evaluates each target: its measured value and whether it was met. */
export function evaluateTargets(results) {
  const summary = results.compare?.summary ?? {};
  const tasks = (kind) => summary[kind]?.['tasks@50'];
  const app = tasks('app');
  const targets = [];
  const add = (name, measured, met) => targets.push({ name, measured, met });
  const versus = (kind, minimum, name) => {
    if (!app || !tasks(kind)) return;
    const value = ratio(app.rps, tasks(kind).rps);
    add(name, `${fixed(value, 2)}x (${fixed(app.rps)} vs ${fixed(tasks(kind).rps)} req/s)`, value >= minimum);
  };
  versus('apollo', 1.2, 'tasks(first: 20) at least 1.2x (c) Apollo standalone');
  versus('http', 0.7, 'tasks(first: 20) at least 0.7x (b) node:http + graphql-js');
  versus('postgraphile', 2, 'tasks(first: 20) at least 2x (e) PostGraphile');
  versus('mercurius', 0.75, 'tasks(first: 20) close to (d) mercurius (aim 0.75x)');
  if (app) add('tasks(first: 20) p99 under 50 ms at 50 connections', `${ms(app.p99)} ms`, app.p99 < 50);
  const statements = results.statements?.perOperation?.app;
  if (statements) {
    const small = statements['tasks(first: 5) with owner'];
    const large = statements['tasks(first: 100) with owner'];
    add('fixed SQL statements per operation (tasks first: 5 vs first: 100)', `${small} vs ${large}`, small === large);
  }
  const growth = results.growth?.results;
  if (growth) {
    const value = ratio(growth['tasks, 100,000 tasks'].p99, growth['tasks, 100 tasks'].p99);
    add('p99 of the 100,000-task user within 1.5x the 100-task user', `${fixed(value, 2)}x`, value <= 1.5);
  }
  const signIn = results.signIn;
  if (signIn?.tasksAlone) {
    const value = ratio(signIn.tasksDuring.p99, signIn.tasksAlone.p99);
    add('p99 of tasks during the sign-in burst within 3x without', `${fixed(value, 2)}x`, value <= 3);
  }
  const rss = results.compare?.peakRssKb?.app;
  if (rss) add('peak RSS under 250 MB', `${fixed(rss / 1024)} MiB`, rss / 1024 < 250);
  if (results.startTime) add('start to first answer under 3 s (embedded database, existing data)', `${fixed(results.startTime.medianMs / 1000, 2)} s`, results.startTime.medianMs < 3000);
  const web = results.webBundle;
  if (web) {
    // Older results have no split into initial and lazily loaded scripts.
    const initial = web.initialGzipBytes ?? web.gzipBytes;
    add('web JS under 150 kB gzipped (scripts loaded at start)', `${fixed(initial / 1000, 1)} kB (all chunks ${fixed(web.gzipBytes / 1000, 1)} kB)`, initial < 150_000);
  }
  return targets;
}

function compareSection(results) {
  const { compare, profile } = results;
  const kinds = Object.keys(compare.summary);
  const lines = [];
  const at50 = compare.loads.filter((load) => load.connections === 50);
  lines.push(
    `### Side by side at 50 connections`,
    '',
    `Medians of ${profile.rounds} rounds of ${profile.seconds} s per workload, after a ${profile.warmupSeconds} s warm-up; ` +
      `the servers took turns (one running at a time, order rotated each round). Latencies in ms. ` +
      `Spread is (max - min) / median of the tasks req/s over the rounds.`,
    '',
  );
  const header = ['server'];
  for (const load of at50) header.push(`${load.workload} req/s`, 'p50', 'p99');
  header.push('spread (tasks)');
  const rows = kinds.map((kind) => {
    const row = [SERVERS[kind].label];
    for (const load of at50) {
      const s = compare.summary[kind][load.key];
      row.push(fixed(s.rps), ms(s.p50), ms(s.p99));
    }
    row.push(`${fixed(compare.summary[kind]['tasks@50'].spread * 100)} %`);
    return row;
  });
  lines.push(table(header, rows), '');
  lines.push('Workloads: `tasks` is `tasks(first: 20)` with every Task field, `owner { id email }` and `pageInfo`. `counts` is `taskCounts`.');
  lines.push('`mix` is 60 % tasks, 30 % taskCounts, 4 % createTask, 3 % updateTask and 3 % deleteTask (of tasks the run created).');
  lines.push('Each request is sent as a random one of the users.', '');

  lines.push('Ratios of (a) the app to each server (requests/s):', '');
  const ratioRows = kinds.filter((kind) => kind !== 'app').map((kind) => [
    `(a) / ${SERVERS[kind].label}`,
    ...compare.loads.map((load) => `${fixed(ratio(compare.summary.app[load.key].rps, compare.summary[kind][load.key].rps), 2)}x`),
  ]);
  lines.push(table(['', ...compare.loads.map((load) => `${load.workload} @${load.connections}`)], ratioRows), '');

  lines.push(
    'Ratios of the server CPU time per request of each server to the app\'s (how many times more CPU the app spends per request; ' +
      'less sensitive than requests/s to the other work on a shared machine):',
    '',
  );
  const cpuRows = kinds.filter((kind) => kind !== 'app').map((kind) => [
    `(a) / ${SERVERS[kind].label}`,
    ...compare.loads.map((load) => `${fixed(ratio(compare.summary.app[load.key].serverCpuMs, compare.summary[kind][load.key].serverCpuMs), 2)}x`),
  ]);
  lines.push(table(['', ...compare.loads.map((load) => `${load.workload} @${load.connections}`)], cpuRows), '');

  const at200 = compare.loads.filter((load) => load.connections !== 50);
  if (at200.length > 0) {
    lines.push(`### Side by side at 200 connections`, '', 'Only the tasks page at 200 connections, to keep the run within about 25 minutes.', '');
    lines.push(
      table(
        ['server', ...at200.flatMap((load) => [`${load.workload} req/s`, 'p50', 'p99'])],
        kinds.map((kind) => [SERVERS[kind].label, ...at200.flatMap((load) => {
          const s = compare.summary[kind][load.key];
          return [fixed(s.rps), ms(s.p50), ms(s.p99)];
        })]),
      ),
      '',
    );
  }
  return lines;
}

function costSection(results) {
  const lines = ['### Cost per request', ''];
  const { statements, compare } = results;
  if (statements) {
    const kinds = Object.keys(statements.perOperation);
    const operations = Object.keys(statements.perOperation[kinds[0]]);
    lines.push(
      `SQL statements per operation, top-level statements counted by pg_stat_statements on a PostgreSQL server of the run's own ` +
        `(${statements.requestsPerOperation} requests each, as different users). PostGraphile's count includes its BEGIN, ` +
        `set_config and COMMIT.`,
      '',
      table(['operation', ...kinds.map((kind) => SERVERS[kind].label)], operations.map((operation) => [
        operation,
        ...kinds.map((kind) => fixed(statements.perOperation[kind][operation], 2).replace(/\.00$/, '')),
      ])),
      '',
    );
  }
  if (compare) {
    lines.push(
      'CPU time per request (ms), from /proc/<pid>/stat before and after each run (medians over the rounds): the server process, ' +
        'and the PostgreSQL backends of its pool.',
      '',
      table(['server', ...compare.loads.flatMap((load) => [`${load.workload} @${load.connections} server`, 'database'])],
        Object.keys(compare.summary).map((kind) => [SERVERS[kind].label, ...compare.loads.flatMap((load) => {
          const s = compare.summary[kind][load.key];
          return [ms(s.serverCpuMs), ms(s.databaseCpuMs)];
        })])),
      '',
    );
  }
  return lines;
}

function growthSection(results) {
  const { growth, profile } = results;
  if (!growth) return [];
  const lines = [
    '### Growth',
    '',
    `One user with 100 tasks against the growth user with ${growth.growthTasks.toLocaleString('en-US')} tasks; 50 connections, ` +
      `${profile.extraSeconds} s each, one run each, all on the same user's token.`,
    '',
    table(['load', 'req/s', 'p50 ms', 'p99 ms'], Object.entries(growth.results).map(([label, r]) => [label, fixed(r.rps), ms(r.p50), ms(r.p99)])),
    '',
    'Plans of the app\'s statements for the growth user (EXPLAIN (ANALYZE, BUFFERS), same SQL as api/src/tasks/task.service.ts):',
    '',
  ];
  for (const [name, plan] of Object.entries(growth.plans)) {
    lines.push(`<details><summary>${name}</summary>`, '', '```', plan, '```', '', '</details>', '');
  }
  return lines;
}

function signInSection(results) {
  const s = results.signIn;
  if (!s) return [];
  return [
    '### Sign-in under load',
    '',
    `login mutations (bcrypt cost 12) on ${s.loginConnections} connections, and the tasks page on 50 connections, ` +
      `${results.profile.extraSeconds} s each, against one app process.`,
    '',
    table(['load', 'req/s', 'p50 ms', 'p99 ms'], [
      ['sign-ins alone', fixed(s.loginsAlone.rps, 1), ms(s.loginsAlone.p50), ms(s.loginsAlone.p99)],
      ['tasks alone', fixed(s.tasksAlone.rps), ms(s.tasksAlone.p50), ms(s.tasksAlone.p99)],
      [`tasks with ${s.loginConnections} sign-ins in flight`, fixed(s.tasksDuring.rps), ms(s.tasksDuring.p50), ms(s.tasksDuring.p99)],
      ['sign-ins during the tasks load', fixed(s.loginsDuring.rps, 1), ms(s.loginsDuring.p50), ms(s.loginsDuring.p99)],
    ]),
    '',
  ];
}

function footprintSection(results) {
  const lines = ['### Footprint', ''];
  if (results.compare) {
    lines.push(
      'Peak RSS (VmHWM) of each server process after its loads, the highest over the rounds:',
      '',
      table(['server', 'peak RSS MiB', 'start to first answer ms (median, DATABASE_URL)'], Object.keys(results.compare.peakRssKb).map((kind) => [
        SERVERS[kind].label,
        fixed(results.compare.peakRssKb[kind] / 1024),
        fixed(results.compare.startMs[kind].sort((a, b) => a - b)[Math.floor(results.compare.startMs[kind].length / 2)]),
      ])),
      '',
    );
  }
  if (results.startTime) {
    const t = results.startTime;
    lines.push(
      `Start of the app on the embedded database with existing data (no DATABASE_URL, DATA_DIR set), spawn to the first 200 of ` +
        `POST /graphql \`{ __typename }\`: ${t.times.map((value) => `${fixed(value)} ms`).join(', ')} (median ${fixed(t.medianMs)} ms). ` +
        `The first start${t.firstStartCreatedData ? ', which created the data folder,' : ''} took ${fixed(t.firstStartMs)} ms.`,
      '',
    );
  }
  if (results.webBundle) {
    const web = results.webBundle;
    const describe = (file) => `${file.file} ${fixed(file.bytes / 1000, 1)} kB, ${fixed(file.gzipBytes / 1000, 1)} kB gzipped`;
    const initial = web.files.filter((file) => file.initial);
    const later = web.files.filter((file) => !file.initial).sort((a, b) => b.gzipBytes - a.gzipBytes);
    lines.push(
      `Web app JavaScript, web/dist/assets/*.js as built at ${web.files[0] ? new Date(web.files[0].builtAt).toISOString() : 'an unknown time'}, gzip level 9. ` +
        `Loaded at start: ${fixed((web.initialGzipBytes ?? web.gzipBytes) / 1000, 1)} kB gzipped (${initial.map(describe).join('; ') || 'none found in index.html'}). ` +
        `All ${web.files.length} chunks: ${fixed(web.gzipBytes / 1000, 1)} kB gzipped. The largest chunks loaded later: ` +
        `${later.slice(0, 5).map(describe).join('; ') || 'none'}.`,
      '',
    );
  } else {
    lines.push('Web app JavaScript: web/dist does not exist, so it was not measured (build it with `npm run build`).', '');
  }
  return lines;
}

function twoProcessSection(results) {
  const t = results.twoProcesses;
  if (!t) return [];
  if (t.skipped) return ['### Two processes', '', `Skipped: ${t.skipped}.`, ''];
  return [
    '### Two processes',
    '',
    `The tasks page on 50 connections, ${results.profile.extraSeconds} s per run, medians of ${results.profile.rounds} runs; ` +
      'nginx (one worker, round-robin, keep-alive to the API processes). Server CPU counts both API processes.',
    '',
    table(['setup', 'req/s', 'p50 ms', 'p99 ms', 'server CPU ms/request'], Object.entries(t.summary).map(([name, s]) => [name, fixed(s.rps), ms(s.p50), ms(s.p99), ms(s.serverCpuMs)])),
    '',
  ];
}

function profileSection(results) {
  const p = results.cpuProfile;
  if (!p) return [];
  if (p.skipped) return ['### CPU profile of the app', '', `Skipped: ${p.skipped}.`, ''];
  return [
    '### CPU profile of the app',
    '',
    `\`node --cpu-prof\` on the app under the tasks load at 50 connections (${fixed(p.rps)} req/s while profiled); ` +
      `self time as a share of the ${fixed(p.busyMs)} ms the main thread was busy. Summarize a profile with \`node bench/lib/cpuprofile.mjs FILE\`.`,
    '',
    table(['package', 'self time'], p.packages.slice(0, 12).map((row) => [row.name, `${fixed(row.share * 100, 1)} %`])),
    '',
    table(['function', 'self time'], p.functions.slice(0, 15).map((row) => [`\`${row.name}\``, `${fixed(row.share * 100, 1)} %`])),
    '',
  ];
}

export function renderResults(results) {
  const m = results.machine;
  const lines = [
    START,
    `## Results of ${results.date}`,
    '',
    `Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB; Node.js ${m.node}; PostgreSQL ${m.postgres}; ${m.wrk}; ${m.nginx}. ` +
      `App at ${m.appRevision}${m.appUncommittedChanges ? ' with uncommitted changes in api/' : ''}. ` +
      `Load average at the start ${m.loadAverage.map((v) => v.toFixed(1)).join(', ')}: the machine is shared, so only ratios within this run count. ` +
      `The full run took ${fixed(results.durationSeconds / 60, 1)} minutes.`,
    '',
    `Data: ${results.seed.users.toLocaleString('en-US')} users (one of them with ${results.profile.growthTasks.toLocaleString('en-US')} tasks, ` +
      `the others with ${results.profile.tasksPerUser} each), ${results.seed.tasks.toLocaleString('en-US')} tasks, one session per user, ` +
      `seeded in ${fixed(results.seed.totalMs / 1000, 1)} s. Load from ${results.profile.tokenUsers.toLocaleString('en-US')} users' tokens.`,
    '',
    '### Targets',
    '',
    table(['target', 'measured', ''], evaluateTargets(results).map((target) => [target.name, target.measured, target.met ? 'met' : '**missed**'])),
    '',
  ];
  if (results.compare) lines.push(...compareSection(results));
  lines.push(...costSection(results), ...growthSection(results), ...signInSection(results), ...footprintSection(results));
  lines.push(...twoProcessSection(results), ...profileSection(results));
  if (results.failures.length > 0) {
    lines.push('### Failed responses', '', table(['step', 'non-2xx', 'GraphQL errors', 'sample'], results.failures.map((f) => [
      f.step, String(f.non2xx), String(f.graphqlErrors), `\`${(f.sample ?? '').slice(0, 120).replace(/[|`]/g, ' ')}\``,
    ])), '');
  }
  lines.push(END);
  return lines.join('\n');
}

/** Replaces the results section of docs/benchmarks.md, or appends one when the markers are missing. */
export function writeReport(results, file = REPORT_FILE) {
  const section = renderResults(results);
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\n';
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  text = start >= 0 && end > start ? text.slice(0, start) + section + text.slice(end + END.length) : `${text.trimEnd()}\n\n${section}\n`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}
