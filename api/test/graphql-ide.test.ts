import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../src/config';
import { gql } from './client';
import { startTestServer, type TestServer } from './test-server';

const IDE_PAGE = path.join(REPO_ROOT, 'web', 'dist', 'graphiql', 'index.html');
const BUILD_TIMEOUT_MS = 300_000;

// What Chromium sends when a person opens a URL.
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

/** Splits a Content-Security-Policy header into its directives, by name. */
function directives(header: string | null): Map<string, string> {
  const parsed = new Map<string, string>();
  for (const directive of (header ?? '').split(';')) {
    const [name, ...values] = directive.trim().split(/\s+/);
    if (name) parsed.set(name, values.join(' '));
  }
  return parsed;
}

function openInBrowser(url: string): Promise<Response> {
  return fetch(url, { headers: { accept: BROWSER_ACCEPT } });
}

/** Lists the paths of the scripts and style sheets that an HTML page loads. */
function assetPaths(html: string): string[] {
  return [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+\.(?:js|css))"/g)].map((match) => match[1]);
}

beforeAll(() => {
  if (fs.existsSync(IDE_PAGE)) return;
  // The API serves the page from the web app's build, which a fresh clone does not have.
  console.warn(`${IDE_PAGE} is missing, so this test builds the web app first (npm run build -w web).`);
  // Jest sets NODE_ENV=test, under which Vite would bundle React's development build.
  execFileSync('npm', ['run', 'build', '--silent', '-w', 'web'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
    timeout: BUILD_TIMEOUT_MS,
  });
}, BUILD_TIMEOUT_MS + 10_000);

describe('GraphQL IDE, on by default', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  it('serves GraphiQL to a browser at GET /graphql', async () => {
    const response = await openInBrowser(server.graphqlUrl);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('vary')).toMatch(/accept/i);
    expect(html).toContain('<div id="graphiql"></div>');
    expect(assetPaths(html).some((asset) => /^\/assets\/graphiql-.*\.js$/.test(asset))).toBe(true);
  });

  it('loads every script and style sheet from its own origin', async () => {
    const html = await (await openInBrowser(server.graphqlUrl)).text();
    const assets = assetPaths(html);
    expect(assets.length).toBeGreaterThan(0);

    for (const asset of assets) {
      expect(asset).toMatch(/^\/[^/]/);
      const response = await fetch(`${server.url}${asset}`);
      await response.body?.cancel();
      expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
    }
  });

  it('sends its own minimal CSP and forbids framing', async () => {
    const response = await openInBrowser(server.graphqlUrl);
    await response.body?.cancel();
    const csp = directives(response.headers.get('content-security-policy'));

    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('style-src')).toBe("'self' 'unsafe-inline'");
    expect(csp.get('font-src')).toBe("'self' data:");
    expect(csp.get('img-src')).toBe("'self' data:");
    expect(csp.get('connect-src')).toBe("'self'");
    expect(csp.get('worker-src')).toBe("'self'");
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it("keeps the web app's CSP and keeps GraphiQL out of its page", async () => {
    const response = await openInBrowser(`${server.url}/`);
    const html = await response.text();
    const csp = directives(response.headers.get('content-security-policy'));

    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('style-src')).toBe("'self'");
    expect(csp.has('worker-src')).toBe(false);
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(assetPaths(html).filter((asset) => /graphiql|monaco/i.test(asset))).toEqual([]);
  });

  it('runs a GET query for a program asking for JSON', async () => {
    const url = `${server.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`;
    const response = await fetch(url, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('runs a GET query from a browser when the URL has one', async () => {
    const url = `${server.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`;
    const response = await fetch(url, { headers: { accept: BROWSER_ACCEPT, 'apollo-require-preflight': 'true' } });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it.each([['application/json'], ['*/*'], ['application/graphql-response+json']])(
    'leaves GET /graphql with Accept %s to Apollo Server',
    async (accept) => {
      const response = await fetch(server.graphqlUrl, { headers: { accept } });
      const text = await response.text();

      expect(response.headers.get('content-type')).not.toMatch(/^text\/html/);
      expect(text).not.toContain('id="graphiql"');
      // The GraphQL endpoint's headers, not the IDE page's.
      expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers.get('vary')).toMatch(/Accept/);
    },
  );

  it('answers POST /graphql as before', async () => {
    const response = await gql(server, '{ __typename }', undefined, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ __typename: 'Query' });
  });

  it('does not serve the built page as a static file', async () => {
    const response = await openInBrowser(`${server.url}/graphiql/index.html`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('id="graphiql"');
  });
});

describe('GraphQL IDE with GRAPHQL_IDE=false', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ GRAPHQL_IDE: 'false' });
  });

  afterAll(async () => {
    await server.close();
  });

  it("answers a browser's GET /graphql with Apollo Server's response", async () => {
    const response = await openInBrowser(server.graphqlUrl);
    const text = await response.text();

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(text).not.toContain('id="graphiql"');
    expect(JSON.parse(text).errors[0].message).toEqual(expect.any(String));
  });

  it('still runs a GET query for a program asking for JSON', async () => {
    const url = `${server.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`;
    const response = await fetch(url, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('does not serve the built page as a static file', async () => {
    const response = await openInBrowser(`${server.url}/graphiql/index.html`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('id="graphiql"');
  });
});
