import bcrypt from 'bcrypt';
import { randomBytes } from 'node:crypto';
import { errorCode, gql, LOGIN, parseSetCookie, PASSWORD, REFRESH, REGISTER, registerUser, uniqueEmail } from './client';
import { startApiProcess, type ApiProcess } from './api-process';
import { createTestDatabase, startTestServer, TEST_SECRET, type TestServer } from './test-server';

const ME = 'query { me { id } }';

describe('session limits', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ SESSION_IDLE_TIMEOUT: '1h', REFRESH_TOKEN_TTL: '2h' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('end a session unused for longer than SESSION_IDLE_TIMEOUT', async () => {
    const user = await registerUser(server);
    await server.dataSource.query(`UPDATE sessions SET last_used_at = now() - interval '61 minutes' WHERE user_id = $1`, [user.id]);

    expect(errorCode(await gql(server, ME, {}, { token: user.accessToken }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(server, REFRESH, { token: user.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('end a session at its absolute expiry, whatever its rotations', async () => {
    const user = await registerUser(server);
    const rotated = (await gql(server, REFRESH, { token: user.refreshToken })).data!.refreshToken;
    const sessions = await server.dataSource.query(`SELECT expires_at - created_at AS lifetime FROM sessions WHERE user_id = $1`, [user.id]);
    expect(sessions[0].lifetime).toEqual({ hours: 2 });

    await server.dataSource.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
    expect(errorCode(await gql(server, ME, {}, { token: rotated.accessToken }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(server, REFRESH, { token: rotated.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('record use of the access token as the session’s last use', async () => {
    const user = await registerUser(server);
    await server.dataSource.query(`UPDATE sessions SET last_used_at = now() - interval '50 minutes' WHERE user_id = $1`, [user.id]);

    expect((await gql(server, ME, {}, { token: user.accessToken })).data!.me.id).toBe(user.id);
    const [session] = await server.dataSource.query(`SELECT now() - last_used_at < interval '1 minute' AS recent FROM sessions WHERE user_id = $1`, [user.id]);
    expect(session.recent).toBe(true);
  });

  it('keep a refresh from extending the absolute expiry', async () => {
    const user = await registerUser(server);
    const [before] = await server.dataSource.query(`SELECT expires_at FROM sessions WHERE user_id = $1`, [user.id]);
    await gql(server, REFRESH, { token: user.refreshToken });
    const [after] = await server.dataSource.query(`SELECT expires_at FROM sessions WHERE user_id = $1`, [user.id]);
    expect(after.expires_at).toEqual(before.expires_at);
  });
});

describe('passwords', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_PASSWORD_CHECKS: '3' });
  });

  afterAll(async () => {
    await server.close();
  });

  it.each([['password1'], ['Password123'], ['qwertyuiop']])('rejects the common password %s', async (password) => {
    const response = await gql(server, REGISTER, { input: { email: uniqueEmail(), password } });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.errors![0].message).toMatch(/commonly used passwords/);
  });

  it('runs one bcrypt comparison for an unknown email, as for a known one', async () => {
    const user = await registerUser(server);
    const compare = jest.spyOn(bcrypt, 'compare');
    try {
      await gql(server, LOGIN, { input: { email: user.email, password: 'a wrong password' } });
      expect(compare).toHaveBeenCalledTimes(1);

      compare.mockClear();
      await gql(server, LOGIN, { input: { email: uniqueEmail('nobody'), password: 'a wrong password' } });
      expect(compare).toHaveBeenCalledTimes(1);
      expect(compare.mock.calls[0][1]).toMatch(/^\$2[ab]\$04\$/);
    } finally {
      compare.mockRestore();
    }
  });

  it('limits wrong passwords in changePassword and deleteAccount per account', async () => {
    const user = await registerUser(server);
    const change = (current: string) =>
      gql(server, 'mutation($c: String!) { changePassword(currentPassword: $c, newPassword: "another long passphrase") { accessToken } }', { c: current }, {
        token: user.accessToken,
      });
    expect(errorCode(await change('wrong one 1'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await change('wrong one 2'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(server, 'mutation { deleteAccount(password: "wrong one 3") }', {}, { token: user.accessToken }))).toBe('BAD_USER_INPUT');

    const blocked = await change(PASSWORD);
    expect(errorCode(blocked)).toBe('RATE_LIMITED');
    expect(blocked.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe('account failure warning', () => {
  it('logs a warning when one account fails from many IPs', async () => {
    const server = await startTestServer({ TRUST_PROXY: 'loopback' });
    try {
      const user = await registerUser(server);
      for (let i = 0; i < 20; i++) {
        await gql(server, LOGIN, { input: { email: user.email, password: 'wrong password' } }, { headers: { 'x-forwarded-for': `203.0.113.${i}` } });
      }
      const warning = server.logs.find((line) => line.event === 'login.failures_on_account');
      expect(warning).toBeDefined();
      expect(warning!.userId).toBe(user.id);
      expect(warning!.level).toBe(40);

      // Another IP still signs in: no limit is keyed on the account alone.
      const login = await gql(server, LOGIN, { input: { email: user.email, password: PASSWORD } }, { headers: { 'x-forwarded-for': '198.51.100.7' } });
      expect(login.errors).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});

describe('client IP', () => {
  it('ignores a forged X-Forwarded-For unless TRUST_PROXY names the proxy', async () => {
    const server = await startTestServer({ RATE_LIMIT_LOGIN_ATTEMPTS: '3' });
    try {
      const email = uniqueEmail();
      for (let i = 0; i < 3; i++) {
        await gql(server, LOGIN, { input: { email, password: 'wrong password' } }, { headers: { 'x-forwarded-for': `192.0.2.${i}` } });
      }
      const forged = await gql(server, LOGIN, { input: { email, password: 'wrong password' } }, { headers: { 'x-forwarded-for': '192.0.2.99' } });
      expect(errorCode(forged)).toBe('RATE_LIMITED');
    } finally {
      await server.close();
    }
  });

  it('records the forwarded IP from a trusted proxy', async () => {
    const server = await startTestServer({ TRUST_PROXY: 'loopback' });
    try {
      const response = await gql(server, REGISTER, { input: { email: uniqueEmail(), password: PASSWORD, refreshTokenDelivery: 'BODY' } }, {
        headers: { 'x-forwarded-for': '198.51.100.23' },
      });
      const sessions = await gql(server, 'query { sessions { ip } }', {}, { token: response.data!.register.accessToken });
      expect(sessions.data!.sessions[0].ip).toBe('198.51.100.23');
    } finally {
      await server.close();
    }
  });
});

describe('refresh cookie over HTTPS', () => {
  it('takes the __Secure- prefix behind a trusted TLS proxy', async () => {
    const server = await startTestServer({ TRUST_PROXY: 'loopback' });
    try {
      const headers = { 'x-forwarded-proto': 'https' };
      const registered = await gql(server, REGISTER, { input: { email: uniqueEmail(), password: PASSWORD } }, { headers });
      const cookie = parseSetCookie(registered.cookies[0]);
      expect(cookie.name).toBe('__Secure-refresh_token');
      expect(cookie.attributes.secure).toBe(true);
      expect(cookie.attributes.httponly).toBe(true);

      const refreshed = await gql(server, REFRESH, {}, { headers: { ...headers, cookie: `${cookie.name}=${cookie.value}` } });
      expect(refreshed.errors).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});

describe('CORS', () => {
  it('allows only the configured origins', async () => {
    const server = await startTestServer({ CORS_ORIGINS: 'https://app.example.com' });
    try {
      const preflight = (origin: string) =>
        fetch(server.graphqlUrl, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
        });
      const allowed = await preflight('https://app.example.com');
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
      expect(allowed.headers.get('access-control-allow-methods')).toBe('GET,POST');

      const request = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { origin: 'https://app.example.com', 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(request.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(request.headers.get('access-control-expose-headers')).toBe('X-Request-Id');

      const other = await preflight('https://evil.example.net');
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await server.close();
    }
  });
});

describe('query limits', () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer();
    token = (await registerUser(server)).accessToken;
  });

  afterAll(async () => {
    await server.close();
  });

  it('reject an over-deep query before running it', async () => {
    let selection = 'id';
    for (let i = 0; i < 8; i++) selection = `nested${i} { ${selection} }`;
    const response = await gql(server, `query { tasks { edges { node { owner { ${selection} } } } } }`, {}, { token });
    const messages = response.errors!.map((error) => error.message).join('\n');
    expect(messages).toMatch(/depth/i);
    expect(response.data ?? null).toBeNull();
  });

  it('reject more than 15 aliases', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: me { id }`).join(' ');
    const response = await gql(server, `query { ${aliases} }`, {}, { token });
    expect(response.errors?.[0].message).toMatch(/aliases/i);
  });

  it('reject an operation of too many tokens', async () => {
    const fields = Array.from({ length: 2100 }, () => 'id').join(' ');
    const response = await gql(server, `query { me { ${fields} } }`, {}, { token });
    expect(response.status).toBe(400);
    expect(response.errors?.[0].message).toMatch(/token/i);
  });

  it('reject too many directives', async () => {
    const directives = Array.from({ length: 11 }, () => '@include(if: true)').join(' ');
    const response = await gql(server, `query { me { id ${directives} } }`, {}, { token });
    expect(response.errors?.[0].message).toMatch(/directives/i);
  });

  it('let the largest app query through', async () => {
    const response = await gql(
      server,
      `query { tasks(first: 100) { totalCount edges { cursor node { id title description completed completedAt priority dueDate createdAt updatedAt owner { id email createdAt } } } pageInfo { hasNextPage endCursor } } taskCounts { all active completed } me { id email } }`,
      {},
      { token },
    );
    expect(response.errors).toBeUndefined();
  });

  it('hide field suggestions', async () => {
    const response = await gql(server, 'query { tsks { totalCount } }', {}, { token });
    expect(response.errors?.[0].message).not.toMatch(/Did you mean/);
  });
});

describe('task limits', () => {
  it('limit task mutations per user per minute, every alias counting', async () => {
    const server = await startTestServer({ RATE_LIMIT_TASK_MUTATIONS: '5' });
    try {
      const { accessToken } = await registerUser(server);
      const aliases = Array.from({ length: 6 }, (_, i) => `t${i}: createTask(input: { title: "task ${i}" }) { id }`).join(' ');
      const response = await gql(server, `mutation { ${aliases} }`, {}, { token: accessToken });

      expect(errorCode(response)).toBe('RATE_LIMITED');
      expect(response.errors![0].path).toEqual(['t5']);
      const counts = await gql(server, 'query { taskCounts { all } }', {}, { token: accessToken });
      expect(counts.data!.taskCounts.all).toBe(5);
    } finally {
      await server.close();
    }
  });

  it('cap the number of tasks per user', async () => {
    const server = await startTestServer({ MAX_TASKS_PER_USER: '3' });
    try {
      const { accessToken } = await registerUser(server);
      for (let i = 0; i < 3; i++) {
        expect((await gql(server, 'mutation { createTask(input: { title: "x" }) { id } }', {}, { token: accessToken })).errors).toBeUndefined();
      }
      const over = await gql(server, 'mutation { createTask(input: { title: "one too many" }) { id } }', {}, { token: accessToken });
      expect(errorCode(over)).toBe('BAD_USER_INPUT');
      expect(over.errors![0].message).toMatch(/at most 3 tasks/);
    } finally {
      await server.close();
    }
  });
});

// Two API processes on different ports, sharing PostgreSQL and Redis, as in a deployment of several replicas.
const describeWithServers = process.env.DATABASE_URL && process.env.REDIS_URL ? describe : describe.skip;

describeWithServers('two API processes', () => {
  const processes: ApiProcess[] = [];
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    const environment = {
      DATABASE_URL: database.url,
      REDIS_URL: process.env.REDIS_URL,
      BETTER_AUTH_SECRET: TEST_SECRET,
      BCRYPT_COST: '4',
      LOG_LEVEL: 'info',
      RATE_LIMIT_KEY_PREFIX: `test-processes-${randomBytes(6).toString('hex')}`,
      RATE_LIMIT_LOGIN_FAILURES: '6',
      RATE_LIMIT_REGISTER: '1000',
      REFRESH_REUSE_GRACE: '0s',
    };
    processes.push(await startApiProcess(environment), await startApiProcess(environment));
  });

  afterAll(async () => {
    for (const api of processes) {
      api.child.kill('SIGTERM');
      await api.exited;
    }
    await dropDatabase?.();
  });

  it('enforce one login limit for parallel requests to both', async () => {
    const email = uniqueEmail();
    const attempts = Array.from({ length: 10 }, (_, i) => gql(processes[i % 2], LOGIN, { input: { email, password: 'wrong password' } }));
    const codes = (await Promise.all(attempts)).map(errorCode);
    expect(codes.filter((code) => code === 'UNAUTHENTICATED')).toHaveLength(6);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(4);
  });

  it('share sessions, rotation and revocation', async () => {
    const [first, second] = processes;
    const user = await registerUser(first);
    expect((await gql(second, ME, {}, { token: user.accessToken })).data!.me.id).toBe(user.id);

    const rotated = (await gql(second, REFRESH, { token: user.refreshToken })).data!.refreshToken;
    expect(errorCode(await gql(first, REFRESH, { token: user.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(second, ME, {}, { token: rotated.accessToken }))).toBe('UNAUTHENTICATED');
  });
});
