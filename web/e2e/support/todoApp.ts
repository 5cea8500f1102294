import type { Page, Request } from 'playwright-core';

export const PASSWORD = 'correct horse battery';

let emailCounter = 0;

/** Returns an email address that no earlier test used. */
export function uniqueEmail(name: string): string {
  emailCounter += 1;
  return `${name}-${Date.now()}-${emailCounter}@example.com`;
}

/**
 * Retries `assertion` until it passes or `timeoutMs` runs out, like Playwright Test's
 * web-first assertions (which playwright-core does not include).
 */
export async function eventually(assertion: () => Promise<void> | void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export function newTaskField(page: Page) {
  return page.getByPlaceholder('What needs to be done?');
}

export async function register(page: Page, baseUrl: string, email: string, password = PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create an account' }).click();
  await newTaskField(page).waitFor();
}

/** Signs in on the sign-in screen that the page already shows. */
export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await newTaskField(page).waitFor();
}

/**
 * Adds tasks through the new-task field and waits until the server has saved them (no request
 * for 500 ms), so that a test acting on them next does not race their creation.
 */
export async function addTasks(page: Page, titles: string[]): Promise<void> {
  for (const title of titles) {
    await newTaskField(page).fill(title);
    await newTaskField(page).press('Enter');
  }
  await page.waitForLoadState('networkidle');
}

export function titlesOf(page: Page): Promise<string[]> {
  return page.getByTestId('todo-title').allTextContents();
}

/** Records the GraphQL operations that a page sends, by operation name. */
export class GraphQLTraffic {
  readonly sent: string[] = [];
  /** The number of responses that rejected an operation as UNAUTHENTICATED. */
  rejected = 0;
  private readonly inFlight = new Set<Request>();

  constructor(page: Page) {
    page.on('request', (request) => {
      const name = operationName(request);
      if (name === null) return;
      this.sent.push(name);
      this.inFlight.add(request);
    });
    const finish = (request: Request) => this.inFlight.delete(request);
    page.on('requestfinished', finish);
    page.on('requestfailed', finish);
    page.on('response', (response) => {
      if (operationName(response.request()) === null) return;
      response.text().then(
        (body) => {
          if (body.includes('"UNAUTHENTICATED"')) this.rejected += 1;
        },
        () => {},
      );
    });
  }

  count(name: string): number {
    return this.sent.filter((sent) => sent === name).length;
  }

  /** Waits until no GraphQL request has been in flight for a moment. */
  async settled(): Promise<void> {
    await eventually(async () => {
      if (this.inFlight.size !== 0) throw new Error(`${this.inFlight.size} GraphQL requests are still in flight.`);
      await new Promise((resolve) => setTimeout(resolve, 150));
      if (this.inFlight.size !== 0) throw new Error(`${this.inFlight.size} GraphQL requests are still in flight.`);
    });
  }
}

function operationName(request: Request): string | null {
  if (!request.url().endsWith('/graphql') || request.method() !== 'POST') return null;
  try {
    const body = JSON.parse(request.postData() ?? '{}') as { operationName?: string };
    return body.operationName ?? 'anonymous';
  } catch {
    return 'unreadable';
  }
}
