import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { loadConfig, type Config, type Environment } from '../src/config';
import { connectDatabase } from '../src/db/data-source';
import { runMigrations } from '../src/db/migrate';
import { createLogger } from '../src/logging';
import { createApp, type App } from '../src/server';
import { ADMIN_URL_VARIABLE } from './database-server';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-bytes-long';

/** A log line captured from the API under test. */
export type LogLine = Record<string, unknown> & { level: number; msg?: string };

export interface TestServer {
  url: string;
  graphqlUrl: string;
  config: Config & { authSecret: string };
  dataSource: DataSource;
  databaseUrl: string;
  logs: LogLine[];
  close(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env[ADMIN_URL_VARIABLE];
  if (!url) throw new Error(`${ADMIN_URL_VARIABLE} is not set: run the tests through jest, whose global setup starts the database`);
  return url;
}

/** Creates an empty database of its own on the test run's server and returns its URL. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `todo_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: adminUrl() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Builds the environment of a test server: fast bcrypt, generous rate limits, counters apart from other test files. */
export function testEnvironment(overrides: Environment = {}): Environment {
  return {
    NODE_ENV: 'test',
    BETTER_AUTH_SECRET: TEST_SECRET,
    BCRYPT_COST: '4',
    LOG_LEVEL: 'debug',
    RATE_LIMIT_KEY_PREFIX: `test-${randomBytes(6).toString('hex')}`,
    RATE_LIMIT_LOGIN_FAILURES: '1000',
    RATE_LIMIT_LOGIN_ATTEMPTS: '100000',
    RATE_LIMIT_REGISTER: '100000',
    RATE_LIMIT_REFRESH: '100000',
    RATE_LIMIT_PASSWORD_CHECKS: '100000',
    RATE_LIMIT_TASK_MUTATIONS: '100000',
    REDIS_URL: process.env.REDIS_URL,
    ...overrides,
  };
}

/**
 * Starts the real API on 127.0.0.1 and a free port, on a fresh database of its own, with its
 * log lines collected in `logs`. Uses Redis when REDIS_URL is set, as the app does.
 */
export async function startTestServer(overrides: Environment = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const config = loadConfig(testEnvironment({ ...overrides, DATABASE_URL: database.url })) as Config & { authSecret: string };

  const logs: LogLine[] = [];
  const logger = createLogger(config, { write: (line: string) => logs.push(JSON.parse(line) as LogLine) });

  const dataSource = await connectDatabase(database.url, config.databasePoolSize, logger);
  await runMigrations(dataSource, logger);

  let redis: Redis | undefined;
  if (config.redisUrl) {
    redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
  }

  const app: App = await createApp({ config, dataSource, logger, redis });
  app.httpServer.listen(0, '127.0.0.1');
  await once(app.httpServer, 'listening');
  const { port } = app.httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    graphqlUrl: `${url}/graphql`,
    config,
    dataSource,
    databaseUrl: database.url,
    logs,
    close: async () => {
      await app.stop();
      await dataSource.destroy();
      await redis?.quit();
      await database.drop();
    },
  };
}
