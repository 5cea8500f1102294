// Benchmark of the todo API against minimal reference servers doing the same work, in one run.
//   node bench/run.mjs            full run (about 25 minutes), results in docs/benchmarks.md
//   node bench/run.mjs --smoke    small seed, 2 s per load, the app and the node:http server only (CI)
// The options are in USAGE below.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describeMachine } from './lib/machine.mjs';
import { stopAll } from './lib/processes.mjs';
import { writeReport, evaluateTargets } from './lib/report.mjs';
import { applyRowLevelSecurity, createDatabase, refreshSessions, seed } from './lib/seed.mjs';
import { buildApp, startServer } from './lib/servers.mjs';
import { ADMIN_URL, FULL, REPORT_FILE, SMOKE, WORK_DIR } from './lib/settings.mjs';
import { countStatements } from './lib/statements.mjs';
import { compareServers } from './lib/steps/compare.mjs';
import { measureStartTime, measureWebBundle } from './lib/steps/footprint.mjs';
import { measureGrowth } from './lib/steps/growth.mjs';
import { profileServer } from './lib/steps/profile.mjs';
import { measureSignIn } from './lib/steps/signin.mjs';
import { measureTwoProcesses } from './lib/steps/two-processes.mjs';

const USAGE = `Usage: node bench/run.mjs [options]   (npm run bench from the repository root)
  (no option)            full run, about 25 minutes; rewrites the results section of docs/benchmarks.md
  --smoke                200 users x 20 tasks, 2 s per load, the app and server (b); exits 1 on a failed response
  --steps=A,B            only these steps: statements, compare, growth, signin, footprint, two-processes, profile
  --reuse-database       keep an existing todo_bench database instead of seeding a new one
  --seconds=N            seconds per load (shorter trial runs)
  --rounds=N             rounds of the side-by-side comparison
  --report-from=FILE     rewrite docs/benchmarks.md from a results JSON in bench/.work/
`;

const STEPS = ['statements', 'compare', 'growth', 'signin', 'footprint', 'two-processes', 'profile'];
const FULL_SERVERS = ['app', 'http', 'apollo', 'mercurius', 'postgraphile'];
const SMOKE_SERVERS = ['app', 'http'];

function parseArguments(argv) {
  const options = { help: false, smoke: false, reuseDatabase: false, steps: STEPS, overrides: {}, reportFrom: undefined };
  for (const argument of argv) {
    if (argument === '--help') options.help = true;
    else if (argument === '--smoke') options.smoke = true;
    else if (argument === '--reuse-database') options.reuseDatabase = true;
    else if (argument.startsWith('--steps=')) {
      options.steps = argument.slice('--steps='.length).split(',');
      const unknown = options.steps.filter((step) => !STEPS.includes(step));
      if (unknown.length > 0) throw new Error(`Unknown step ${unknown.join(', ')}; expected some of ${STEPS.join(', ')}`);
    } else if (argument.startsWith('--report-from=')) {
      options.reportFrom = argument.slice('--report-from='.length);
    } else if (/^--(seconds|rounds)=\d+$/.test(argument)) {
      const [name, value] = argument.slice(2).split('=');
      if (name === 'rounds') options.overrides.rounds = Number(value);
      else Object.assign(options.overrides, { seconds: Number(value), extraSeconds: Number(value), warmupSeconds: Math.min(5, Number(value)) });
    } else {
      throw new Error(`Unknown option ${argument}; see --help`);
    }
  }
  return options;
}

const started = performance.now();
function log(message) {
  const seconds = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  process.stdout.write(`[${seconds} s] ${message}\n`);
}

async function databaseExists(database) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount > 0;
  } finally {
    await client.end();
  }
}

/** Creates and seeds the benchmark database (the app's own start applies its migrations), unless reused. */
async function prepareDatabase(settings, reuse) {
  if (reuse && (await databaseExists(settings.database))) {
    await refreshSessions(settings.database);
    log(`reusing database ${settings.database}`);
    const client = new pg.Client({ connectionString: ADMIN_URL.replace(/\/[^/]*$/, `/${settings.database}`) });
    await client.connect();
    const { rows } = await client.query('SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM tasks)::int AS tasks');
    await client.end();
    return { ...rows[0], totalMs: NaN, reused: true };
  }
  await createDatabase(settings.database);
  const migrate = await startServer('app', { database: settings.database, name: 'app-migrate' });
  await migrate.stop();
  const result = await seed(settings.database, settings, log);
  await applyRowLevelSecurity(settings.database);
  return result;
}

function printSummary(results) {
  for (const [kind, loads] of Object.entries(results.compare?.summary ?? {})) {
    for (const [key, s] of Object.entries(loads)) {
      log(`${kind.padEnd(12)} ${key.padEnd(10)} ${s.rps.toFixed(0).padStart(6)} req/s  p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms`);
    }
  }
  for (const target of evaluateTargets(results)) log(`${target.met ? 'met   ' : 'MISSED'} ${target.name}: ${target.measured}`);
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (options.reportFrom) {
    writeReport(JSON.parse(fs.readFileSync(options.reportFrom, 'utf8')));
    log(`report in ${path.relative(process.cwd(), REPORT_FILE)}`);
    return 0;
  }
  const settings = { ...(options.smoke ? SMOKE : FULL), ...options.overrides };
  const steps = options.smoke ? ['statements', 'compare'] : options.steps;
  const database = settings.database;
  const failures = [];
  const results = { date: new Date().toISOString().slice(0, 10), profile: settings, failures, machine: await describeMachine() };

  log('building the API (scripts/build-api.mjs)');
  buildApp();
  results.seed = await prepareDatabase(settings, options.reuseDatabase);
  const context = { profile: settings, database, failures, log };

  if (steps.includes('statements')) {
    results.statements = await countStatements(options.smoke ? SMOKE_SERVERS : FULL_SERVERS, log);
    const app = results.statements.perOperation.app;
    if (app['tasks(first: 5) with owner'] !== app['tasks(first: 100) with owner']) {
      failures.push({ step: 'statements', non2xx: 0, graphqlErrors: 0, sample: 'the tasks page runs more statements for a larger page' });
    }
  }
  if (steps.includes('compare')) results.compare = await compareServers({ ...context, kinds: options.smoke ? SMOKE_SERVERS : FULL_SERVERS });
  if (steps.includes('growth')) results.growth = await measureGrowth(context);
  if (steps.includes('signin')) results.signIn = await measureSignIn(context);
  if (steps.includes('footprint')) {
    results.startTime = await measureStartTime({ attempts: 3, log });
    results.webBundle = measureWebBundle();
  }
  if (steps.includes('two-processes')) results.twoProcesses = await measureTwoProcesses(context);
  if (steps.includes('profile')) results.cpuProfile = await profileServer(context);
  results.durationSeconds = (performance.now() - started) / 1000;

  fs.mkdirSync(WORK_DIR, { recursive: true });
  const resultsFile = path.join(WORK_DIR, options.smoke ? 'smoke-results.json' : `results-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
  log(`results in ${path.relative(process.cwd(), resultsFile)}`);
  if (!options.smoke) {
    writeReport(results);
    log(`report in ${path.relative(process.cwd(), REPORT_FILE)}`);
  }
  printSummary(results);

  if (failures.length > 0) {
    for (const failure of failures) {
      log(`FAILED ${failure.step}: ${failure.non2xx} non-2xx, ${failure.graphqlErrors} GraphQL errors, sample: ${failure.sample}`);
    }
    return 1;
  }
  return 0;
}

let exiting = false;
async function stopAndExit(code) {
  if (exiting) return;
  exiting = true;
  await stopAll();
  process.exit(code);
}
process.once('SIGINT', () => stopAndExit(130));
process.once('SIGTERM', () => stopAndExit(143));
main().then(stopAndExit, async (error) => {
  process.stderr.write(`Benchmark failed: ${error.stack ?? error}\n`);
  await stopAndExit(1);
});
