import { setTimeout as sleep } from 'node:timers/promises';
import { gql, LOGIN, parseSetCookie, PASSWORD, REFRESH, REGISTER, uniqueEmail } from './client';
import { startApiProcess } from './api-process';
import { createTestDatabase, startTestServer, TEST_SECRET, type TestServer } from './test-server';

describe('health endpoints', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  it('report the process up', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('report ready with the database migrated', async () => {
    const response = await fetch(`${server.url}/readyz`);
    const body = (await response.json()) as { status: string; checks: Record<string, string> };
    expect(response.status).toBe(200);
    expect(body.checks.database).toBe('ok');
    expect(body.checks.migrations).toBe('ok');
    if (process.env.REDIS_URL) expect(body.checks.redis).toBe('ok');
  });

  it('report not ready when the database is gone', async () => {
    const doomed = await startTestServer();
    try {
      await doomed.dataSource.query('SELECT 1');
      const { Client } = await import('pg');
      const admin = new Client({ connectionString: doomed.databaseUrl.replace(/\/[^/]+$/, '/postgres') });
      await admin.connect();
      await admin.query(`DROP DATABASE ${new URL(doomed.databaseUrl).pathname.slice(1)} WITH (FORCE)`);
      await admin.end();

      const response = await fetch(`${doomed.url}/readyz`);
      expect(response.status).toBe(503);
      expect(((await response.json()) as { checks: Record<string, string> }).checks.database).toBe('unreachable');
    } finally {
      await doomed.close().catch(() => undefined);
    }
  });
});

describe('logs', () => {
  it('write one line per request and never a secret', async () => {
    const server = await startTestServer({ RATE_LIMIT_LOGIN_FAILURES: '2' });
    try {
      const email = uniqueEmail('logged');
      const password = 'a very secret passphrase 42';
      const registered = await gql(server, REGISTER, { input: { email, password } }, { headers: { 'x-request-id': 'register-1' } });
      const cookie = parseSetCookie(registered.cookies[0]);
      const accessToken = registered.data!.register.accessToken;
      const refreshed = await gql(server, REFRESH, {}, { cookie: `${cookie.name}=${cookie.value}` });
      const body = await gql(server, LOGIN, { input: { email, password, refreshTokenDelivery: 'BODY' } });
      await gql(server, 'mutation CreateOne($input: CreateTaskInput!) { createTask(input: $input) { id } }', { input: { title: 'logged task' } }, {
        token: accessToken,
        headers: { 'x-request-id': 'create-1' },
      });
      const changed = await gql(
        server,
        'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { accessToken } }',
        { c: password, n: 'another secret passphrase 43' },
        { token: accessToken },
      );
      for (let i = 0; i < 3; i++) await gql(server, LOGIN, { input: { email, password: 'wrong secret passphrase 44' } });
      // changePassword ended the BODY session, so the registered session signs out.
      await gql(server, 'mutation { logout }', {}, { token: changed.data!.changePassword.accessToken });
      const [row] = await server.dataSource.query('SELECT password_hash FROM users WHERE email = $1', [email]);

      const text = JSON.stringify(server.logs);
      const secrets = [
        password,
        'another secret passphrase 43',
        'wrong secret passphrase 44',
        accessToken,
        cookie.value,
        refreshed.data!.refreshToken.accessToken,
        parseSetCookie(refreshed.cookies[0]).value,
        body.data!.login.refreshToken,
        row.password_hash,
        changed.data!.changePassword.accessToken,
        TEST_SECRET,
      ];
      for (const secret of secrets) expect(text).not.toContain(secret);

      const line = server.logs.find((entry) => entry.requestId === 'create-1' && entry.msg === 'request completed');
      expect(line).toMatchObject({ method: 'POST', path: '/graphql', status: 200, operationName: 'CreateOne', outcome: 'ok' });
      expect(typeof line!.userId).toBe('string');
      expect(typeof line!.durationMs).toBe('number');
      expect(server.logs.filter((entry) => entry.requestId === 'register-1' && entry.msg === 'request completed')).toHaveLength(1);

      const events = new Set(server.logs.map((entry) => entry.event));
      for (const event of ['user.registered', 'login.succeeded', 'login.failed', 'password.changed', 'logout', 'rate_limited']) {
        expect(events).toContain(event);
      }
      expect(server.logs.find((entry) => entry.outcome === 'RATE_LIMITED')).toBeDefined();
    } finally {
      await server.close();
    }
  });
});

describe('process lifecycle', () => {
  let databaseUrl: string;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase();
    databaseUrl = database.url;
    dropDatabase = database.drop;
  });

  afterAll(async () => {
    await dropDatabase();
  });

  it('finishes requests in flight on SIGTERM, then exits 0', async () => {
    // Cost 14 makes a sign-in take long enough (about a second here) to be in flight at the signal.
    const api = await startApiProcess({ DATABASE_URL: databaseUrl, BETTER_AUTH_SECRET: TEST_SECRET, BCRYPT_COST: '14' });
    const email = uniqueEmail();
    await gql(api, REGISTER, { input: { email, password: PASSWORD } });

    const inFlight = gql(api, LOGIN, { input: { email, password: PASSWORD } });
    await sleep(150);
    api.child.kill('SIGTERM');

    const response = await inFlight;
    expect(response.errors).toBeUndefined();
    expect(response.data!.login.accessToken).toBeDefined();
    expect(await api.exited).toBe(0);
    await expect(fetch(`${api.url}/healthz`)).rejects.toThrow();
    expect(api.output()).toMatch(/"msg":"stopped"/);
  });

  it('retries an unreachable database with a clear log line and no stack trace', async () => {
    const api = startApiProcess({ DATABASE_URL: 'postgres://postgres:nothing@127.0.0.1:1/none', BETTER_AUTH_SECRET: TEST_SECRET }, 4000);
    const failure = await api.catch((error: Error) => error.message);
    expect(failure).toMatch(/did not start/);
    expect(failure).toMatch(/database unreachable; retrying/);
    expect(failure).not.toMatch(/\n\s+at /);
  });
});
