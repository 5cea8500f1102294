// Constants shared by the benchmark steps: where things are, what the seed contains, how long each load runs.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = path.dirname(BENCH_DIR);
/** Scratch files of a run (token lists, nginx and PostgreSQL folders, profiles); ignored by git. */
export const WORK_DIR = path.join(BENCH_DIR, '.work');
/**
 * A copy of the API's build output, run instead of build/ itself, so that another build of the
 * repository during a run cannot change or remove the code under test.
 */
export const APP_COPY_DIR = path.join(WORK_DIR, 'app');
export const APP_MAIN = path.join(APP_COPY_DIR, 'build', 'api', 'src', 'main.js');
export const REPORT_FILE = path.join(REPO_ROOT, 'docs', 'benchmarks.md');

/** Server of the benchmark databases; BENCH_ADMIN_URL overrides it. The run creates and drops its own databases there. */
export const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Signing secret of the benchmark only: the servers and the token generator share it. */
export const AUTH_SECRET = 'todo-bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
export const JWT_ISSUER = 'todo-api';
export const JWT_AUDIENCE = 'todo-app';
export const ACCESS_TOKEN_TTL_SECONDS = 30 * 60;
/** Matches the app's default SESSION_IDLE_TIMEOUT (24 h); the reference servers use it in the same session check. */
export const SESSION_IDLE_TIMEOUT_SECONDS = 24 * 60 * 60;
/** Connections per server process, as the app's default DATABASE_POOL_SIZE. */
export const POOL_SIZE = 4;

/** Password of every seeded user; its bcrypt hash (cost 12) is computed once per seed. */
export const SEED_PASSWORD = 'bench password 2024';
export const BCRYPT_COST = 12;

export const FULL = {
  database: 'todo_bench',
  users: 10_000,
  tasksPerUser: 100,
  growthTasks: 100_000,
  /** Distinct users whose tokens the load scripts rotate through. */
  tokenUsers: 2_000,
  rounds: 3,
  warmupSeconds: 5,
  seconds: 15,
  /** Steps other than the side-by-side comparison (growth, sign-in, two processes). */
  extraSeconds: 10,
  connections: [50, 200],
  loginConnections: 50,
};

export const SMOKE = {
  database: 'todo_bench_smoke',
  users: 200,
  tasksPerUser: 20,
  growthTasks: 2_000,
  tokenUsers: 200,
  rounds: 1,
  warmupSeconds: 1,
  seconds: 2,
  extraSeconds: 2,
  connections: [50],
  loginConnections: 10,
};

/** Raised limits: all load comes from 127.0.0.1 and a few thousand users, far past the per-IP defaults. */
export const RAISED_RATE_LIMITS = {
  RATE_LIMIT_LOGIN_FAILURES: '1000000',
  RATE_LIMIT_LOGIN_ATTEMPTS: '1000000',
  RATE_LIMIT_REGISTER: '1000000',
  RATE_LIMIT_REFRESH: '1000000',
  RATE_LIMIT_PASSWORD_CHECKS: '1000000',
  RATE_LIMIT_TASK_MUTATIONS: '1000000',
};

/** URL of `database` on the server of `adminUrl`. */
export function databaseUrl(database, adminUrl = ADMIN_URL) {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
