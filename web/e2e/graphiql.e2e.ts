import type { BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, newContext } from './support/browser';
import { startServer, type RunningServer } from './support/server';
import { eventually, PASSWORD, uniqueEmail } from './support/todoApp';

const enabled = chromiumAvailable();

interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  /** URLs of requests that went to another origin than the server's, from the page or its workers. */
  foreignRequests: string[];
}

/** Collects console errors (Chromium reports CSP violations there too), uncaught errors and requests to other origins. */
function watchProblems(context: BrowserContext, page: Page, origin: string): PageProblems {
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], foreignRequests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) {
      problems.foreignRequests.push(url);
    }
  });
  return problems;
}

/** Records CSP violations that the page reports to itself, which covers those of its workers. */
async function recordCspViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const violations: string[] = [];
    Object.assign(window, { cspViolations: violations });
    document.addEventListener('securitypolicyviolation', (event) => {
      violations.push(`${event.effectiveDirective} blocked ${event.blockedURI}`);
    });
  });
}

function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

// GraphiQL's Monaco editors, by the end of their model URI.
const EDITORS = { operation: 'operation.graphql', headers: 'request-headers.json', response: 'response.json' };

/** Reads the text that one of GraphiQL's Monaco editors shows, with its non-breaking spaces as plain spaces. */
async function editorText(page: Page, editor: keyof typeof EDITORS): Promise<string> {
  const text = await page.locator(`.monaco-editor[data-uri$="-${EDITORS[editor]}"] .view-lines`).textContent();
  return (text ?? '').replaceAll('\u00a0', ' ');
}

/**
 * Replaces the text of the operation editor (Monaco) with one named operation, as a person
 * would: select all, then type. Returns once GraphiQL has parsed it, which it shows by naming
 * the tab after the operation. Until then the run button offers the operations of the old text.
 */
async function writeOperation(page: Page, operationName: string, text: string): Promise<void> {
  await page.getByRole('region', { name: 'Operation Editor' }).locator('.monaco-editor').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  await eventually(async () => expect(await editorText(page, 'operation')).toBe(text));
  await page.locator('.graphiql-tab-button', { hasText: operationName }).waitFor();
}

/** Runs the operation in the editor and returns the API's response to it. */
async function runOperation(page: Page): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => candidate.url().endsWith('/graphql') && candidate.request().method() === 'POST'),
    page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).click(),
  ]);
  return response;
}

/** Reads every localStorage and sessionStorage entry of the page, keys included. */
function browserStorageText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const entries: string[] = [];
    for (const storage of [window.localStorage, window.sessionStorage]) {
      for (let index = 0; index < storage.length; index += 1) {
        const key = storage.key(index)!;
        entries.push(`${key}=${storage.getItem(key)}`);
      }
    }
    return entries.join('\n');
  });
}

/** Reads the response editor's text without whitespace, since the editor wraps long lines. */
async function responseText(page: Page): Promise<string> {
  return (await editorText(page, 'response')).replace(/\s+/g, '');
}

interface SignUp {
  email: string;
  accessToken: string;
  refreshToken: string;
}

/** Registers a new account with BODY delivery from the operation editor, and waits for GraphiQL to show the result. */
async function signUp(page: Page): Promise<SignUp> {
  const email = uniqueEmail('graphiql');
  await writeOperation(
    page,
    'SignUp',
    `mutation SignUp { register(input: { email: "${email}", password: "${PASSWORD}", refreshTokenDelivery: BODY }) { accessToken refreshToken } }`,
  );
  const response = (await (await runOperation(page)).json()) as { data: { register: Omit<SignUp, 'email'> } };
  const { accessToken, refreshToken } = response.data.register;
  expect(accessToken).toMatch(/^ey/);
  expect(refreshToken).toEqual(expect.any(String));
  await eventually(async () => expect(await responseText(page)).toContain(`"accessToken":"${accessToken}"`));
  return { email, accessToken, refreshToken };
}

/** Sets "Persist headers" in GraphiQL's settings dialog. */
async function setPersistHeaders(page: Page, value: 'On' | 'Off'): Promise<void> {
  await page.getByRole('button', { name: 'Open settings dialog' }).click();
  await page.getByRole('dialog').getByRole('button', { name: value, exact: true }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}

// GraphiQL writes its tabs to storage after a 500 ms debounce, and its history at once.
function waitForStorageWrites(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1_000));
}

describe.skipIf(!enabled)('GraphiQL at /graphql', () => {
  let server: RunningServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('uses the sign-in token without storing it', async () => {
    const context = await newContext(browser);
    await recordCspViolations(context);
    const page = await context.newPage();
    const problems = watchProblems(context, page, server.baseUrl);

    await page.goto(`${server.baseUrl}/graphql`);
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.getByRole('link', { name: 'Query', exact: true }).click();
    // The fields of Query, listed from the schema that GraphiQL fetched by introspection.
    await page.getByRole('link', { name: 'taskCounts', exact: true }).waitFor();

    const { email, accessToken, refreshToken } = await signUp(page);

    await page.getByRole('button', { name: 'Use access token from result' }).click();
    await eventually(async () => expect(await editorText(page, 'headers')).toContain(`"Authorization": "Bearer ${accessToken}"`));

    await writeOperation(page, 'Me', 'query Me { me { email } }');
    const meResponse = await runOperation(page);
    expect(meResponse.request().headers().authorization).toBe(`Bearer ${accessToken}`);
    expect(await meResponse.json()).toEqual({ data: { me: { email } } });
    await eventually(async () => expect(await responseText(page)).toBe(JSON.stringify({ data: { me: { email } } })));

    await waitForStorageWrites();
    const stored = await browserStorageText(page);
    expect(stored).toContain('graphiql:queries');
    expect(stored).toContain('me { email }');
    expect(stored).not.toContain(accessToken);
    expect(stored).not.toContain(refreshToken);
    expect(stored).not.toMatch(/Bearer/);

    expect(await cspViolations(page)).toEqual([]);

    // After a reload the operation comes back from storage, and the token does not.
    await page.reload();
    await eventually(async () => expect(await editorText(page, 'operation')).toBe('query Me { me { email } }'));
    expect(await editorText(page, 'headers')).not.toContain('Bearer');

    expect(problems.consoleErrors).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    expect(problems.foreignRequests).toEqual([]);
    await context.close();
  });

  it('persists headers only when opted in', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/graphql`);
    const { accessToken } = await signUp(page);
    await page.getByRole('button', { name: 'Use access token from result' }).click();
    await eventually(async () => expect(await editorText(page, 'headers')).toContain(`Bearer ${accessToken}`));

    await setPersistHeaders(page, 'On');
    await waitForStorageWrites();
    await page.reload();
    await eventually(async () => expect(await editorText(page, 'headers')).toContain(`Bearer ${accessToken}`));
    expect(await browserStorageText(page)).toContain(accessToken);

    // The choice itself survives the reload, so turning it off now is a change that clears the headers.
    await setPersistHeaders(page, 'Off');
    await waitForStorageWrites();
    expect(await browserStorageText(page)).not.toContain(accessToken);
    await context.close();
  });

  it('flags the token button without a token', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();

    await page.goto(`${server.baseUrl}/graphql`);
    await writeOperation(page, 'Typename', 'query Typename { __typename }');
    await runOperation(page);
    await page.getByRole('button', { name: 'Use access token from result' }).click();

    const failed = page.getByRole('button', { name: /The response has no accessToken/ });
    await failed.waitFor();
    expect(await failed.getAttribute('aria-invalid')).toBe('true');
    await context.close();
  });
});
