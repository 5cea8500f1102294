import { errorCode, gql, LOGIN, PASSWORD, REGISTER, registerUser, uniqueEmail } from './client';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

const ME = 'query { me { id email createdAt } }';

function register(email: string, password = PASSWORD) {
  return gql(server, REGISTER, { input: { email, password, refreshTokenDelivery: 'BODY' } });
}

function login(email: string, password = PASSWORD) {
  return gql(server, LOGIN, { input: { email, password, refreshTokenDelivery: 'BODY' } });
}

describe('register', () => {
  it('creates an account and signs it in', async () => {
    const email = uniqueEmail();
    const response = await register(email);

    expect(response.errors).toBeUndefined();
    const payload = response.data!.register;
    expect(payload.user.email).toBe(email);
    expect(payload.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(new Date(payload.accessTokenExpiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(payload.refreshToken).toMatch(/^[\w-]{43}$/);

    const me = await gql(server, ME, {}, { token: payload.accessToken });
    expect(me.data!.me).toEqual(payload.user);
  });

  it('trims and lower-cases the email', async () => {
    const email = uniqueEmail('Mixed.Case');
    const response = await register(`  ${email.toUpperCase()}  `);

    expect(response.data!.register.user.email).toBe(email.toLowerCase());
    const signedIn = await login(email.toLowerCase());
    expect(signedIn.errors).toBeUndefined();
  });

  it.each([
    ['no at sign', 'not-an-email'],
    ['no domain', 'someone@'],
    ['spaces inside', 'some one@example.com'],
    ['empty', ''],
    ['over 254 characters', `${'a'.repeat(250)}@example.com`],
    ['a NUL character', 'a\u0000b@example.com'],
  ])('rejects an email with %s', async (_case, email) => {
    const response = await register(email);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.data).toBeNull();
  });

  it('rejects a taken email, whatever its case', async () => {
    const email = uniqueEmail();
    await register(email);

    const again = await register(email.toUpperCase());
    expect(errorCode(again)).toBe('EMAIL_TAKEN');
  });

  it('creates one account under concurrent registration', async () => {
    const email = uniqueEmail('race');
    const responses = await Promise.all(Array.from({ length: 8 }, () => register(email)));

    const succeeded = responses.filter((response) => response.data?.register);
    const taken = responses.filter((response) => errorCode(response) === 'EMAIL_TAKEN');
    expect(succeeded).toHaveLength(1);
    expect(taken).toHaveLength(7);
    const rows = await server.dataSource.query('SELECT count(*)::int AS count FROM users WHERE email = $1', [email]);
    expect(rows[0].count).toBe(1);
  });
});

describe('password policy', () => {
  it('rejects a password under 8 characters', async () => {
    const response = await register(uniqueEmail(), 'short77');
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.errors![0].message).toMatch(/at least 8 characters/);
  });

  it('counts characters, not bytes, for the minimum', async () => {
    // Seven emoji are 28 bytes but 7 characters.
    const response = await register(uniqueEmail(), '😀'.repeat(7));
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
  });

  it('accepts exactly 72 bytes', async () => {
    const response = await register(uniqueEmail(), 'é'.repeat(36));
    expect(response.errors).toBeUndefined();
  });

  it('rejects 73 bytes instead of truncating', async () => {
    const response = await register(uniqueEmail(), `${'a'.repeat(72)}b`);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.errors![0].message).toMatch(/at most 72 bytes/);
  });

  it('never accepts a longer password sharing the first 72 bytes', async () => {
    const email = uniqueEmail();
    const password = 'p'.repeat(72);
    await register(email, password);

    expect((await login(email, password)).errors).toBeUndefined();
    expect(errorCode(await login(email, `${password}extra`))).toBe('UNAUTHENTICATED');
  });

  it('stores a bcrypt hash, never the password', async () => {
    const user = await registerUser(server);
    const rows = await server.dataSource.query('SELECT password_hash FROM users WHERE id = $1', [user.id]);
    expect(rows[0].password_hash).toMatch(/^\$2[ab]\$04\$/);
    expect(rows[0].password_hash).not.toContain(PASSWORD);
  });
});

describe('login', () => {
  it('signs in with the right password', async () => {
    const user = await registerUser(server);
    const response = await login(user.email);

    expect(response.errors).toBeUndefined();
    expect(response.data!.login.user.id).toBe(user.id);
  });

  it('answers a wrong password and an unknown email alike', async () => {
    const user = await registerUser(server);
    const wrongPassword = await login(user.email, 'wrong password');
    const unknownEmail = await login(uniqueEmail('nobody'), PASSWORD);

    expect(errorCode(wrongPassword)).toBe('UNAUTHENTICATED');
    expect(errorCode(unknownEmail)).toBe('UNAUTHENTICATED');
    expect(wrongPassword.errors![0].message).toBe('Invalid email or password');
    expect(unknownEmail.errors![0].message).toBe(wrongPassword.errors![0].message);
  });

  it('rejects me without a token', async () => {
    const response = await gql(server, ME);
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
    expect(response.data).toBeNull();
  });
});

describe('default bcrypt cost', () => {
  it('hashes with cost 12', async () => {
    const defaults = await startTestServer({ BCRYPT_COST: undefined });
    try {
      const user = await registerUser(defaults);
      const rows = await defaults.dataSource.query('SELECT password_hash FROM users WHERE id = $1', [user.id]);
      expect(rows[0].password_hash).toMatch(/^\$2[ab]\$12\$/);
    } finally {
      await defaults.close();
    }
  });
});
