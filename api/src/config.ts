import os from 'node:os';
import path from 'node:path';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';

/** The repository root, two levels above `api/src` (and above `build/api/src` once compiled). */
export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
  const parts = start.split(path.sep);
  const apiIndex = parts.lastIndexOf('api');
  const root = apiIndex > 0 ? parts.slice(0, apiIndex).join(path.sep) : start;
  return path.basename(root) === 'build' ? path.dirname(root) : root;
}

const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** Parses "90", "90s", "30m", "24h" or "7d" into whole seconds. */
export function parseDurationSeconds(text: string): number | undefined {
  const match = /^(\d+)\s*(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * DURATION_UNITS[match[2] ?? 's'];
  return Number.isSafeInteger(Math.round(seconds)) ? Math.round(seconds) : undefined;
}

const duration = (min: number) =>
  z.string().transform((text, ctx) => {
    const seconds = parseDurationSeconds(text);
    if (seconds === undefined || seconds < min) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration of at least ${min} s, such as 90s, 30m, 24h or 7d, or a number of seconds`,
      });
      return z.NEVER;
    }
    return seconds;
  });

const integer = (min: number, max: number) =>
  z.string().transform((text, ctx) => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
      ctx.addIssue({ code: 'custom', message: `expected a whole number from ${min} to ${max}` });
      return z.NEVER;
    }
    return value;
  });

const boolean = () =>
  z.string().transform((text, ctx) => {
    const normalized = text.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(normalized)) return true;
    if (['false', '0', 'no', 'off'].includes(normalized)) return false;
    ctx.addIssue({ code: 'custom', message: 'expected true or false' });
    return z.NEVER;
  });

const list = () =>
  z.string().transform((text) =>
    text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );

const ORIGIN_PATTERN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

const originList = () =>
  list().superRefine((origins, ctx) => {
    for (const origin of origins) {
      if (!ORIGIN_PATTERN.test(origin)) {
        ctx.addIssue({ code: 'custom', message: `expected origins such as https://app.example.com, got "${origin}"` });
      }
    }
  });

/** Express's `trust proxy` accepts true, false, a hop count, or addresses, subnets and the names loopback, linklocal and uniquelocal. */
const trustProxy = () =>
  z.string().superRefine((text, ctx) => {
    const value = text.trim();
    if (value === '' || value === 'true' || value === 'false' || /^\d+$/.test(value)) return;
    try {
      proxyaddr.compile(value.split(',').map((item) => item.trim()));
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'expected true, false, a number of hops, or IP addresses, subnets and loopback, linklocal or uniquelocal, comma-separated',
      });
    }
  });

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, {
  message: 'expected a URL of the form postgres://user:password@host:port/database',
});

const redisUrl = z.string().regex(/^rediss?:\/\//, { message: 'expected a URL of the form redis://host:port' });

interface Variable {
  /** Applied to the raw text, or to the default when the variable is unset or empty. */
  schema: z.ZodType;
  defaultValue?: string;
  description: string;
}

/**
 * Every environment variable the API reads, with its default and meaning. The README's
 * configuration table is generated from this list (`npm run docs:config`), and a test
 * fails when the two differ.
 */
export const VARIABLES = {
  NODE_ENV: {
    schema: z.string(),
    defaultValue: 'production',
    description: '`development` gives readable logs and error details; any other value behaves as production',
  },
  HOST: { schema: z.string().min(1), defaultValue: '127.0.0.1', description: 'Address the HTTP server listens on' },
  PORT: { schema: integer(0, 65535), defaultValue: '4000', description: 'TCP port of the HTTP server (0 picks a free one)' },
  DATA_DIR: {
    schema: z.string().min(1),
    description:
      'Folder for the embedded PostgreSQL data (`postgres/`), its password and the generated secret; default `.data` in the repository',
  },
  DATABASE_URL: {
    schema: postgresUrl,
    description: 'PostgreSQL server (15 or newer) to use instead of the embedded one: postgres://user:password@host:port/database',
  },
  DATABASE_POOL_SIZE: { schema: integer(1, 100), defaultValue: '4', description: 'Connections in the PostgreSQL pool of one API process' },
  REDIS_URL: { schema: redisUrl, description: 'Redis server for state that several API processes share (rate-limit counters)' },
  BETTER_AUTH_SECRET: {
    schema: z.string(),
    description:
      'Secret of at least 32 bytes that signs access tokens and derives refresh tokens. Required with DATABASE_URL; on the embedded database one is generated into DATA_DIR when unset',
  },
  JWT_ISSUER: { schema: z.string().min(1), defaultValue: 'todo-api', description: '`iss` claim of access tokens' },
  JWT_AUDIENCE: { schema: z.string().min(1), defaultValue: 'todo-app', description: '`aud` claim of access tokens' },
  ACCESS_TOKEN_TTL: { schema: duration(5), defaultValue: '30m', description: 'Lifetime of an access token' },
  REFRESH_TOKEN_TTL: {
    schema: duration(60),
    defaultValue: '7d',
    description: 'Absolute lifetime of a session from sign-in; rotations do not extend it',
  },
  SESSION_IDLE_TIMEOUT: { schema: duration(60), defaultValue: '24h', description: 'A session unused for this long ends' },
  REFRESH_REUSE_GRACE: {
    schema: duration(0),
    defaultValue: '10s',
    description: 'Time after a rotation in which the old refresh token still gets the same successor (two tabs, a retried request)',
  },
  BCRYPT_COST: { schema: integer(4, 15), defaultValue: '12', description: 'bcrypt cost factor of new password hashes' },
  BCRYPT_CONCURRENCY: {
    schema: z.string().transform((text, ctx) => {
      if (text.trim() === 'auto') return Math.max(1, os.availableParallelism() - 1);
      const value = Number(text);
      if (!/^\d+$/.test(text.trim()) || value < 1 || value > 64) {
        ctx.addIssue({ code: 'custom', message: 'expected auto or a whole number from 1 to 64' });
        return z.NEVER;
      }
      return value;
    }),
    defaultValue: 'auto',
    description:
      'bcrypt hashes and comparisons run at once at most; the rest wait, so that sign-ins leave a core to the requests. auto is one less than the CPU cores, at least 1',
  },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    defaultValue: 'info',
    description: 'Minimum level of log lines: fatal, error, warn, info, debug, trace or silent',
  },
  GRAPHQL_INTROSPECTION: { schema: boolean(), defaultValue: 'true', description: 'Answer introspection queries (the schema is public)' },
  GRAPHQL_IDE: {
    schema: boolean(),
    defaultValue: 'true',
    description: 'Serve the GraphiQL IDE (from the built web app) to browsers that open GET /graphql',
  },
  CORS_ORIGINS: {
    schema: originList(),
    defaultValue: '',
    description: "Comma-separated origins that may call the API from a browser; the app's own origin needs no entry",
  },
  TRUST_PROXY: {
    schema: trustProxy(),
    defaultValue: '',
    description:
      'Proxies whose X-Forwarded-For is believed, in Express `trust proxy` syntax (such as `loopback` or `10.0.0.0/8`); empty trusts none',
  },
  RATE_LIMIT_KEY_PREFIX: {
    schema: z.string().regex(/^[A-Za-z0-9_.-]+$/, { message: 'expected letters, digits, dots, dashes or underscores' }),
    defaultValue: 'todo',
    description: 'Prefix of the rate-limit counter keys, to keep apart deployments that share one Redis',
  },
  RATE_LIMIT_LOGIN_FAILURES: {
    schema: integer(1, 1_000_000),
    defaultValue: '10',
    description: 'Failed sign-ins allowed per email and IP pair per 15 minutes',
  },
  RATE_LIMIT_LOGIN_ATTEMPTS: {
    schema: integer(1, 1_000_000),
    defaultValue: '50',
    description: 'Sign-in attempts allowed per IP per 15 minutes',
  },
  RATE_LIMIT_REGISTER: { schema: integer(1, 1_000_000), defaultValue: '10', description: 'Registrations allowed per IP per hour' },
  RATE_LIMIT_REFRESH: { schema: integer(1, 1_000_000), defaultValue: '60', description: 'Token refreshes allowed per session per minute' },
  RATE_LIMIT_PASSWORD_CHECKS: {
    schema: integer(1, 1_000_000),
    defaultValue: '5',
    description: 'Wrong passwords allowed per account per 15 minutes in changePassword and deleteAccount',
  },
  RATE_LIMIT_TASK_MUTATIONS: {
    schema: integer(1, 1_000_000),
    defaultValue: '300',
    description: 'Task mutations (each alias counts) allowed per user per minute',
  },
  MAX_TASKS_PER_USER: { schema: integer(1, 100_000_000), defaultValue: '100000', description: 'Tasks one account can have at most' },
} satisfies Record<string, Variable>;

type VariableName = keyof typeof VARIABLES;
type Parsed = {
  [K in VariableName]: (typeof VARIABLES)[K] extends { defaultValue: string }
    ? z.output<(typeof VARIABLES)[K]['schema']>
    : z.output<(typeof VARIABLES)[K]['schema']> | undefined;
};

export type Environment = Record<string, string | undefined>;

export interface Config {
  env: 'development' | 'production';
  host: string;
  port: number;
  dataDir: string;
  databaseUrl?: string;
  databasePoolSize: number;
  redisUrl?: string;
  /** Undefined only before the embedded database start generates one. */
  authSecret?: string;
  jwtIssuer: string;
  jwtAudience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  sessionIdleTimeoutSeconds: number;
  refreshReuseGraceSeconds: number;
  bcryptCost: number;
  bcryptConcurrency: number;
  logLevel: string;
  introspection: boolean;
  graphqlIde: boolean;
  corsOrigins: string[];
  trustProxy: string;
  rateLimitKeyPrefix: string;
  rateLimits: {
    loginFailures: number;
    loginAttempts: number;
    register: number;
    refresh: number;
    passwordChecks: number;
    taskMutations: number;
  };
  maxTasksPerUser: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const MIN_SECRET_BYTES = 32;

/** Checks a secret's length, returning a problem description or undefined. */
export function checkAuthSecret(secret: string): string | undefined {
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes < MIN_SECRET_BYTES) {
    return `BETTER_AUTH_SECRET: expected at least ${MIN_SECRET_BYTES} bytes, got ${bytes}; generate one with: openssl rand -base64 48`;
  }
  return undefined;
}

/**
 * Reads and validates the configuration. Throws a ConfigError naming each invalid variable
 * and what it accepts. This is the only place that reads `process.env`.
 */
export function loadConfig(source: Environment = process.env): Config {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(VARIABLES) as Array<[string, Variable]>) {
    const raw = source[name];
    const text = raw === undefined || raw === '' ? variable.defaultValue : raw;
    if (text === undefined) continue;
    const parsed = variable.schema.safeParse(text);
    if (parsed.success) {
      values[name] = parsed.data;
    } else {
      const shown = SECRET_VARIABLES.has(name) ? '' : ` (got "${text}")`;
      problems.push(`${name}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}${shown}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const env = values as Parsed;

  if (env.BETTER_AUTH_SECRET !== undefined) {
    const problem = checkAuthSecret(env.BETTER_AUTH_SECRET);
    if (problem) problems.push(problem);
  } else if (env.DATABASE_URL !== undefined) {
    problems.push(
      'BETTER_AUTH_SECRET: required when DATABASE_URL is set, at least 32 bytes; generate one with: openssl rand -base64 48',
    );
  }
  if (env.REFRESH_REUSE_GRACE >= env.ACCESS_TOKEN_TTL) {
    problems.push(
      `REFRESH_REUSE_GRACE: expected less than ACCESS_TOKEN_TTL (got ${env.REFRESH_REUSE_GRACE} s and ${env.ACCESS_TOKEN_TTL} s); lower REFRESH_REUSE_GRACE too`,
    );
  }
  if (env.SESSION_IDLE_TIMEOUT > env.REFRESH_TOKEN_TTL) {
    problems.push(
      `SESSION_IDLE_TIMEOUT: expected at most REFRESH_TOKEN_TTL (got ${env.SESSION_IDLE_TIMEOUT} s and ${env.REFRESH_TOKEN_TTL} s)`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env: env.NODE_ENV === 'development' ? 'development' : 'production',
    host: env.HOST,
    port: env.PORT,
    dataDir: path.resolve(env.DATA_DIR ?? path.join(REPO_ROOT, '.data')),
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    redisUrl: env.REDIS_URL,
    authSecret: env.BETTER_AUTH_SECRET,
    jwtIssuer: env.JWT_ISSUER,
    jwtAudience: env.JWT_AUDIENCE,
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL,
    refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL,
    sessionIdleTimeoutSeconds: env.SESSION_IDLE_TIMEOUT,
    refreshReuseGraceSeconds: env.REFRESH_REUSE_GRACE,
    bcryptCost: env.BCRYPT_COST,
    bcryptConcurrency: env.BCRYPT_CONCURRENCY,
    logLevel: env.LOG_LEVEL,
    introspection: env.GRAPHQL_INTROSPECTION,
    graphqlIde: env.GRAPHQL_IDE,
    corsOrigins: env.CORS_ORIGINS,
    trustProxy: env.TRUST_PROXY,
    rateLimitKeyPrefix: env.RATE_LIMIT_KEY_PREFIX,
    rateLimits: {
      loginFailures: env.RATE_LIMIT_LOGIN_FAILURES,
      loginAttempts: env.RATE_LIMIT_LOGIN_ATTEMPTS,
      register: env.RATE_LIMIT_REGISTER,
      refresh: env.RATE_LIMIT_REFRESH,
      passwordChecks: env.RATE_LIMIT_PASSWORD_CHECKS,
      taskMutations: env.RATE_LIMIT_TASK_MUTATIONS,
    },
    maxTasksPerUser: env.MAX_TASKS_PER_USER,
  };
}

/** Lists each variable with its default and description, for the README's table. */
export function describeEnvironment(): Array<{ name: string; defaultValue?: string; description: string }> {
  return (Object.entries(VARIABLES) as Array<[string, Variable]>).map(([name, variable]) => ({
    name,
    defaultValue: variable.defaultValue,
    description: variable.description,
  }));
}

const SECRET_VARIABLES = new Set(['BETTER_AUTH_SECRET', 'DATABASE_URL', 'REDIS_URL']);

/**
 * Reads DATABASE_URL alone, for the TypeORM CLI, which has no use for the rest. An invalid
 * value gives undefined here: loadConfig reports it when the app starts.
 */
export function loadDatabaseUrl(source: Environment = process.env): string | undefined {
  const parsed = VARIABLES.DATABASE_URL.schema.safeParse(source.DATABASE_URL);
  return parsed.success ? parsed.data : undefined;
}
