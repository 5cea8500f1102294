import { errorCode, gql, registerUser } from './client';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

describe('unexpected errors', () => {
  it('reach the client as INTERNAL_SERVER_ERROR without details, and the log with the request id', async () => {
    const broken = await startTestServer();
    try {
      const user = await registerUser(broken);
      await broken.dataSource.query('ALTER TABLE tasks RENAME COLUMN title TO renamed_title');

      const response = await gql(broken, 'query { tasks { edges { node { title } } } }', {}, {
        token: user.accessToken,
        headers: { 'x-request-id': 'trace-me-123' },
      });

      expect(errorCode(response)).toBe('INTERNAL_SERVER_ERROR');
      expect(response.errors![0].message).toBe('Internal server error');
      const { message, extensions } = response.errors![0];
      expect(extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
      expect(message).not.toMatch(/title|column|SELECT|\.ts|node_modules/i);
      expect(response.headers.get('x-request-id')).toBe('trace-me-123');

      const logged = broken.logs.find((line) => line.level === 50 && line.requestId === 'trace-me-123');
      expect(logged).toBeDefined();
      expect(JSON.stringify(logged)).toContain('does not exist');
    } finally {
      await broken.close();
    }
  });
});

describe('HTTP', () => {
  it('echoes or generates a request id', async () => {
    const response = await gql(server, '{ __typename }');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects a body over 100 kB with 413 and no stack trace', async () => {
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(110 * 1024) } }),
    });
    const text = await response.text();
    expect(response.status).toBe(413);
    expect(JSON.parse(text).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(text).not.toMatch(/at |node_modules/);
  });

  it('rejects malformed JSON with 400', async () => {
    const response = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('rejects a non-object JSON body', async () => {
    const response = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '"hello"' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0].message).toMatch(/not a JSON object/);
  });

  it.each([
    ['query A { __typename }', 'B', 'Unknown operation named "B".'],
    ['query A { __typename } query C { __typename }', 'B', 'Unknown operation named "B".'],
    ['query A { __typename } query C { __typename }', undefined, 'Must provide operation name if query contains multiple operations.'],
  ])('names the operation mistake in %s with operationName %s', async (query, operationName, message) => {
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, operationName }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors[0].extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
    expect(body.errors[0].message).toBe(message);
  });

  it('ends a preflight without CORS headers', async () => {
    const response = await fetch(server.graphqlUrl, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('logs codes of rejected requests', async () => {
    await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'batch-1' },
      body: JSON.stringify([{ query: '{ __typename }' }]),
    });
    const line = server.logs.find((entry) => entry.requestId === 'batch-1' && entry.msg === 'request completed');
    expect(line).toMatchObject({ status: 400, outcome: 'BAD_REQUEST' });
  });

  it('blocks a simple cross-site POST (CSRF prevention)', async () => {
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: 'mutation { clearCompletedTasks }' }),
    });
    expect(response.status).toBe(400);
  });

  it('never runs a mutation over GET', async () => {
    const url = `${server.graphqlUrl}?query=${encodeURIComponent('mutation { logout }')}`;
    const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(405);
  });

  it('refuses batched requests', async () => {
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBe(400);
  });

  it('sends security headers with a Content Security Policy', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});
