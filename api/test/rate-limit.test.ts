import { randomBytes } from 'node:crypto';
import { errorCode, gql, LOGIN, PASSWORD, REFRESH, REGISTER, registerUser, uniqueEmail } from './client';
import { startTestServer, type TestServer } from './test-server';

const LIMITS = {
  RATE_LIMIT_LOGIN_FAILURES: '3',
  RATE_LIMIT_LOGIN_ATTEMPTS: '20',
  RATE_LIMIT_REGISTER: '3',
  RATE_LIMIT_REFRESH: '3',
};

describe('rate limits', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer(LIMITS);
  });

  afterEach(async () => {
    await server.close();
  });

  function login(email: string, password: string) {
    return gql(server, LOGIN, { input: { email, password } });
  }

  it('lock an email and IP pair after 3 failed sign-ins, even with the right password', async () => {
    const email = uniqueEmail();
    await gql(server, REGISTER, { input: { email, password: PASSWORD } });
    for (let i = 0; i < 3; i++) expect(errorCode(await login(email, 'wrong password'))).toBe('UNAUTHENTICATED');

    const blocked = await login(email, PASSWORD);
    expect(errorCode(blocked)).toBe('RATE_LIMITED');
    const retryAfter = blocked.errors![0].extensions!.retryAfterSeconds;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  });

  it('count failures only, and reset them on success', async () => {
    const email = uniqueEmail();
    await gql(server, REGISTER, { input: { email, password: PASSWORD } });
    for (let round = 0; round < 3; round++) {
      expect(errorCode(await login(email, 'wrong password'))).toBe('UNAUTHENTICATED');
      expect(errorCode(await login(email, 'wrong password'))).toBe('UNAUTHENTICATED');
      expect((await login(email, PASSWORD)).errors).toBeUndefined();
    }
  });

  it('count every alias of one request', async () => {
    const limited = await startTestServer({ ...LIMITS, RATE_LIMIT_LOGIN_ATTEMPTS: '3' });
    try {
      const email = uniqueEmail();
      await gql(limited, REGISTER, { input: { email, password: PASSWORD } });
      const aliases = Array.from({ length: 5 }, (_, i) => `a${i}: login(input: { email: "${email}", password: "${PASSWORD}" }) { accessToken }`);

      const batch = await gql(limited, `mutation { ${aliases.join(' ')} }`);
      expect(errorCode(batch)).toBe('RATE_LIMITED');
      expect(batch.errors![0].path).toEqual(['a3']);
      expect(errorCode(await gql(limited, LOGIN, { input: { email, password: PASSWORD } }))).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });

  it('limit registrations per IP', async () => {
    for (let i = 0; i < 3; i++) expect((await gql(server, REGISTER, { input: { email: uniqueEmail(), password: PASSWORD } })).errors).toBeUndefined();
    expect(errorCode(await gql(server, REGISTER, { input: { email: uniqueEmail(), password: PASSWORD } }))).toBe('RATE_LIMITED');
  });

  it('limit refreshes per session', async () => {
    const user = await registerUser(server);
    let token = user.refreshToken;
    for (let i = 0; i < 3; i++) {
      const response = await gql(server, REFRESH, { token });
      expect(response.errors).toBeUndefined();
      token = response.data!.refreshToken.refreshToken;
    }
    expect(errorCode(await gql(server, REFRESH, { token }))).toBe('RATE_LIMITED');
  });
});

// With REDIS_URL set (as in CI's second run), two API processes share the counters exactly.
const describeWithRedis = process.env.REDIS_URL ? describe : describe.skip;

describeWithRedis('rate limits across API servers sharing Redis', () => {
  it('enforce one limit for parallel requests to both', async () => {
    const prefix = `test-shared-${randomBytes(6).toString('hex')}`;
    const first = await startTestServer({ ...LIMITS, RATE_LIMIT_LOGIN_FAILURES: '6', RATE_LIMIT_KEY_PREFIX: prefix });
    const second = await startTestServer({ ...LIMITS, RATE_LIMIT_LOGIN_FAILURES: '6', RATE_LIMIT_KEY_PREFIX: prefix });
    try {
      const email = uniqueEmail();
      const attempts = Array.from({ length: 10 }, (_, i) =>
        gql(i % 2 === 0 ? first : second, LOGIN, { input: { email, password: 'wrong password' } }),
      );
      const codes = (await Promise.all(attempts)).map(errorCode);
      expect(codes.filter((code) => code === 'UNAUTHENTICATED')).toHaveLength(6);
      expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(4);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
