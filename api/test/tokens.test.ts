import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorCode, gql, LOGIN, parseSetCookie, PASSWORD, REFRESH, REGISTER, registerUser, uniqueEmail } from './client';
import { startTestServer, TEST_SECRET, type TestServer } from './test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ REFRESH_REUSE_GRACE: '2s' });
});

afterAll(async () => {
  await server.close();
});

const ME = 'query { me { id email } }';

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Signs a token with any claims and key, the way an attacker or a buggy client might. */
function forge(claims: Record<string, unknown>, options: { secret?: string; header?: Record<string, unknown> } = {}): string {
  const header = { alg: 'HS256', typ: 'JWT', ...options.header };
  const body = `${base64url(header)}.${base64url(claims)}`;
  const signature = createHmac('sha256', options.secret ?? TEST_SECRET).update(body).digest('base64url');
  return `${body}.${signature}`;
}

function claimsOf(token: string): Record<string, any> {
  return jwt.decode(token) as Record<string, any>;
}

describe('access tokens', () => {
  it('carry the user, session, issuer and audience', async () => {
    const user = await registerUser(server);
    const claims = claimsOf(user.accessToken);

    expect(claims.sub).toBe(user.id);
    expect(claims.sid).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.iss).toBe('todo-api');
    expect(claims.aud).toBe('todo-app');
    expect(typeof claims.jti).toBe('string');
    expect(claims.exp - claims.iat).toBe(30 * 60);
  });

  describe('rejects as UNAUTHENTICATED', () => {
    let user: Awaited<ReturnType<typeof registerUser>>;
    let valid: Record<string, any>;

    beforeAll(async () => {
      user = await registerUser(server);
      valid = claimsOf(user.accessToken);
    });

    const now = () => Math.floor(Date.now() / 1000);
    const cases: Array<[string, () => string]> = [
      ['a malformed token', () => 'not.a.jwt'],
      ['a token with a changed payload', () => {
        const [header, , signature] = user.accessToken.split('.');
        return `${header}.${base64url({ ...valid, sub: '00000000-0000-4000-8000-000000000000' })}.${signature}`;
      }],
      ['a token with a changed signature', () => `${user.accessToken.slice(0, -4)}AAAA`],
      ['alg none', () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(valid)}.`],
      ['another algorithm (HS512)', () => jwt.sign(valid, TEST_SECRET, { algorithm: 'HS512' })],
      ['a wrong secret', () => forge(valid, { secret: 'another-secret-that-is-32-bytes-long!!' })],
      ['an expired token', () => forge({ ...valid, iat: now() - 3600, exp: now() - 1800 })],
      ['no exp', () => {
        const { exp: _exp, ...rest } = valid;
        return forge(rest);
      }],
      ['a lifetime over ACCESS_TOKEN_TTL', () => forge({ ...valid, iat: now(), exp: now() + 24 * 3600 })],
      ['a wrong issuer', () => forge({ ...valid, iss: 'someone-else' })],
      ['a wrong audience', () => forge({ ...valid, aud: 'another-app' })],
      ['no session id', () => {
        const { sid: _sid, ...rest } = valid;
        return forge(rest);
      }],
      ['an unknown session', () => forge({ ...valid, sid: '00000000-0000-4000-8000-000000000000' })],
      ['another user in a valid session', () => forge({ ...valid, sub: '00000000-0000-4000-8000-000000000000' })],
    ];

    it.each(cases)('%s', async (_name, makeToken) => {
      const response = await gql(server, ME, {}, { token: makeToken() });
      expect(errorCode(response)).toBe('UNAUTHENTICATED');
      expect(response.data).toBeNull();
    });

    it('a non-Bearer Authorization header', async () => {
      const response = await gql(server, ME, {}, { headers: { authorization: `Basic ${user.accessToken}` } });
      expect(errorCode(response)).toBe('UNAUTHENTICATED');
    });

    it('the token of a deleted user', async () => {
      const doomed = await registerUser(server);
      await server.dataSource.query('DELETE FROM users WHERE id = $1', [doomed.id]);

      const response = await gql(server, ME, {}, { token: doomed.accessToken });
      expect(errorCode(response)).toBe('UNAUTHENTICATED');
    });
  });

  it('tells an expired token from an invalid one or an ended session', async () => {
    const user = await registerUser(server);
    const valid = claimsOf(user.accessToken);
    const now = Math.floor(Date.now() / 1000);

    const expired = await gql(server, ME, {}, { token: forge({ ...valid, iat: now - 3600, exp: now - 1800 }) });
    expect(expired.errors![0].message).toMatch(/expired: get a new one with the refreshToken mutation/);
    const invalid = await gql(server, ME, {}, { token: forge(valid, { secret: 'x'.repeat(40) }) });
    expect(invalid.errors![0].message).toMatch(/Invalid access token/);
    const missing = await gql(server, ME);
    expect(missing.errors![0].message).toMatch(/Authentication required/);

    await gql(server, 'mutation { logout }', {}, { token: user.accessToken });
    const ended = await gql(server, ME, {}, { token: user.accessToken });
    expect(ended.errors![0].message).toMatch(/Session ended/);
  });

  it('accepts the bearer scheme in any case', async () => {
    const user = await registerUser(server);
    const response = await gql(server, ME, {}, { headers: { authorization: `bearer ${user.accessToken}` } });
    expect(response.data!.me.id).toBe(user.id);
  });

  it('still works for public fields with a bad token', async () => {
    const response = await gql(server, LOGIN, { input: { email: uniqueEmail(), password: PASSWORD } }, { token: 'garbage' });
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
    expect(response.errors![0].message).toBe('Invalid email or password');
  });
});

describe('BODY sessions', () => {
  it('rotate the refresh token on every refresh', async () => {
    const user = await registerUser(server);

    const first = await gql(server, REFRESH, { token: user.refreshToken });
    expect(first.errors).toBeUndefined();
    const rotated = first.data!.refreshToken;
    expect(rotated.refreshToken).not.toBe(user.refreshToken);
    expect(rotated.user.id).toBe(user.id);
    expect(first.cookies).toHaveLength(0);

    const me = await gql(server, ME, {}, { token: rotated.accessToken });
    expect(me.data!.me.id).toBe(user.id);

    const second = await gql(server, REFRESH, { token: rotated.refreshToken });
    expect(second.data!.refreshToken.refreshToken).not.toBe(rotated.refreshToken);
  });

  it('stores only a hash of each refresh token', async () => {
    const user = await registerUser(server);
    const rows = await server.dataSource.query(
      `SELECT rt.token_hash FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id WHERE s.user_id = $1`,
      [user.id],
    );
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0].token_hash).toString('base64url')).not.toBe(user.refreshToken);
    expect(rows[0].token_hash).toHaveLength(32);
  });

  it('give the same successor to a concurrent refresh within the grace period', async () => {
    const user = await registerUser(server);
    const [a, b] = await Promise.all([
      gql(server, REFRESH, { token: user.refreshToken }),
      gql(server, REFRESH, { token: user.refreshToken }),
    ]);

    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    expect(a.data!.refreshToken.refreshToken).toBe(b.data!.refreshToken.refreshToken);
    const next = await gql(server, REFRESH, { token: a.data!.refreshToken.refreshToken });
    expect(next.errors).toBeUndefined();
  });

  it('revoke the whole session when a rotated token is reused after the grace period', async () => {
    const user = await registerUser(server);
    const rotated = (await gql(server, REFRESH, { token: user.refreshToken })).data!.refreshToken;
    await sleep(2500);

    const replay = await gql(server, REFRESH, { token: user.refreshToken });
    expect(errorCode(replay)).toBe('UNAUTHENTICATED');

    const successor = await gql(server, REFRESH, { token: rotated.refreshToken });
    expect(errorCode(successor)).toBe('UNAUTHENTICATED');
    const me = await gql(server, ME, {}, { token: rotated.accessToken });
    expect(errorCode(me)).toBe('UNAUTHENTICATED');
    const warning = server.logs.find((line) => line.event === 'refresh_token.reused' && line.userId === user.id);
    expect(warning).toBeDefined();
    expect(warning!.level).toBe(40);
  });

  it('reject an unknown refresh token', async () => {
    const response = await gql(server, REFRESH, { token: 'x'.repeat(43) });
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
  });

  it('reject a refresh without any token', async () => {
    const response = await gql(server, REFRESH, {});
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
  });

  it('end at logout, for access and refresh tokens alike', async () => {
    const user = await registerUser(server);
    const logout = await gql(server, 'mutation { logout }', {}, { token: user.accessToken });
    expect(logout.data!.logout).toBe(true);

    expect(errorCode(await gql(server, ME, {}, { token: user.accessToken }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(server, REFRESH, { token: user.refreshToken }))).toBe('UNAUTHENTICATED');
  });
});

describe('COOKIE sessions', () => {
  async function registerWithCookie() {
    const response = await gql(server, REGISTER, { input: { email: uniqueEmail(), password: PASSWORD } });
    const cookie = parseSetCookie(response.cookies[0]);
    return { response, cookie, header: `${cookie.name}=${cookie.value}` };
  }

  it('deliver the refresh token only in an HttpOnly cookie', async () => {
    const { response, cookie } = await registerWithCookie();

    expect(response.data!.register.refreshToken).toBeNull();
    expect(cookie.name).toBe('refresh_token');
    expect(cookie.value).toMatch(/^[\w-]{43}$/);
    expect(cookie.attributes.httponly).toBe(true);
    expect(cookie.attributes.secure).toBe(true);
    expect(cookie.attributes.samesite).toBe('Strict');
    expect(cookie.attributes.path).toBe('/graphql');
    expect(cookie.attributes.expires).toBeDefined();
  });

  it('refresh from the cookie and set the rotated one', async () => {
    const { header, cookie } = await registerWithCookie();

    const refreshed = await gql(server, REFRESH, {}, { cookie: header });
    expect(refreshed.errors).toBeUndefined();
    expect(refreshed.data!.refreshToken.refreshToken).toBeNull();
    const rotated = parseSetCookie(refreshed.cookies[0]);
    expect(rotated.value).not.toBe(cookie.value);
  });

  it('refuse their token as a body argument', async () => {
    const { cookie } = await registerWithCookie();
    const response = await gql(server, REFRESH, { token: cookie.value });
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
  });

  it('clear the cookie at logout', async () => {
    const { response, header } = await registerWithCookie();
    const logout = await gql(server, 'mutation { logout }', {}, { token: response.data!.register.accessToken, cookie: header });

    const cleared = parseSetCookie(logout.cookies[0]);
    expect(cleared.name).toBe('refresh_token');
    expect(cleared.value).toBe('');
    expect(new Date(cleared.attributes.expires as string).getTime()).toBeLessThan(Date.now());
    expect(errorCode(await gql(server, REFRESH, {}, { cookie: header }))).toBe('UNAUTHENTICATED');
  });
});

describe('sessions', () => {
  it('lists the caller’s sessions and marks the current one', async () => {
    const user = await registerUser(server);
    const second = (await gql(server, LOGIN, { input: { email: user.email, password: PASSWORD, refreshTokenDelivery: 'BODY' } }, {
      headers: { 'user-agent': 'test-agent/1.0' },
    })).data!.login;

    const response = await gql(server, 'query { sessions { id current userAgent ip createdAt lastUsedAt } }', {}, { token: second.accessToken });
    const sessions = response.data!.sessions;
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((session: { current: boolean }) => session.current)).toHaveLength(1);
    const current = sessions.find((session: { current: boolean }) => session.current);
    expect(current.userAgent).toBe('test-agent/1.0');
    expect(current.ip).toMatch(/127\.0\.0\.1/);
  });

  it('revoke one session, and not another user’s', async () => {
    const user = await registerUser(server);
    const other = await registerUser(server);
    const otherSession = claimsOf(other.accessToken).sid;

    const foreign = await gql(server, 'mutation($id: ID!) { revokeSession(id: $id) }', { id: otherSession }, { token: user.accessToken });
    expect(errorCode(foreign)).toBe('NOT_FOUND');
    expect((await gql(server, ME, {}, { token: other.accessToken })).data!.me.id).toBe(other.id);

    const own = await gql(server, 'mutation($id: ID!) { revokeSession(id: $id) }', { id: claimsOf(user.accessToken).sid }, { token: user.accessToken });
    expect(own.data!.revokeSession).toBe(true);
    expect(errorCode(await gql(server, ME, {}, { token: user.accessToken }))).toBe('UNAUTHENTICATED');
  });

  it('end everywhere with logoutAllSessions', async () => {
    const user = await registerUser(server);
    const second = (await gql(server, LOGIN, { input: { email: user.email, password: PASSWORD, refreshTokenDelivery: 'BODY' } })).data!.login;

    await gql(server, 'mutation { logoutAllSessions }', {}, { token: user.accessToken });
    expect(errorCode(await gql(server, ME, {}, { token: second.accessToken }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(server, REFRESH, { token: second.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('end the others when the password changes', async () => {
    const user = await registerUser(server);
    const second = (await gql(server, LOGIN, { input: { email: user.email, password: PASSWORD, refreshTokenDelivery: 'BODY' } })).data!.login;
    const CHANGE = `mutation($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) { accessToken refreshToken } }`;

    const wrong = await gql(server, CHANGE, { current: 'not the password', next: 'a brand new password' }, { token: user.accessToken });
    expect(errorCode(wrong)).toBe('BAD_USER_INPUT');

    const changed = await gql(server, CHANGE, { current: PASSWORD, next: 'a brand new password' }, { token: user.accessToken });
    expect(changed.errors).toBeUndefined();
    expect(errorCode(await gql(server, ME, {}, { token: second.accessToken }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(server, REFRESH, { token: user.refreshToken }))).toBe('UNAUTHENTICATED');
    expect((await gql(server, ME, {}, { token: changed.data!.changePassword.accessToken })).data!.me.id).toBe(user.id);
    expect((await gql(server, REFRESH, { token: changed.data!.changePassword.refreshToken })).errors).toBeUndefined();

    const oldPassword = await gql(server, LOGIN, { input: { email: user.email, password: PASSWORD } });
    expect(errorCode(oldPassword)).toBe('UNAUTHENTICATED');
  });

  it('delete the account with its tasks and sessions', async () => {
    const user = await registerUser(server);
    await gql(server, 'mutation { createTask(input: { title: "gone soon" }) { id } }', {}, { token: user.accessToken });

    const wrong = await gql(server, 'mutation { deleteAccount(password: "nope nope nope") }', {}, { token: user.accessToken });
    expect(errorCode(wrong)).toBe('BAD_USER_INPUT');

    const deleted = await gql(server, 'mutation($p: String!) { deleteAccount(password: $p) }', { p: PASSWORD }, { token: user.accessToken });
    expect(deleted.data!.deleteAccount).toBe(true);
    const rows = await server.dataSource.query(
      `SELECT (SELECT count(*) FROM tasks WHERE owner_id = $1)::int AS tasks, (SELECT count(*) FROM sessions WHERE user_id = $1)::int AS sessions`,
      [user.id],
    );
    expect(rows[0]).toEqual({ tasks: 0, sessions: 0 });
    expect(errorCode(await gql(server, ME, {}, { token: user.accessToken }))).toBe('UNAUTHENTICATED');
  });
});
