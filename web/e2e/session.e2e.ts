import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, newContext } from './support/browser';
import { startServer, type RunningServer } from './support/server';
import {
  addTasks,
  eventually,
  GraphQLTraffic,
  newTaskField,
  register,
  signIn,
  titlesOf,
  uniqueEmail,
} from './support/todoApp';

const enabled = chromiumAvailable();

// Short enough that a test can outwait a token. The API requires a shorter reuse grace.
const ACCESS_TOKEN_TTL_SECONDS = 6;
const REFRESH_REUSE_GRACE_SECONDS = 3;

function outwaitAccessToken(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, (ACCESS_TOKEN_TTL_SECONDS + 1.5) * 1000));
}

async function expectSignedIn(page: Page, titles: string[]): Promise<void> {
  await eventually(async () => expect(await titlesOf(page)).toEqual(titles));
  expect(await page.getByRole('heading', { name: 'Sign in' }).count()).toBe(0);
}

describe.skipIf(!enabled)('sessions in the browser', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServer({
        ACCESS_TOKEN_TTL: `${ACCESS_TOKEN_TTL_SECONDS}s`,
        REFRESH_REUSE_GRACE: `${REFRESH_REUSE_GRACE_SECONDS}s`,
      }),
      launchBrowser(),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('renews an expired access token without the person noticing', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await register(page, server.baseUrl, uniqueEmail('renewal'));
    await addTasks(page, ['before expiry', 'also before']);
    await expectSignedIn(page, ['before expiry', 'also before']);

    await outwaitAccessToken();
    const traffic = new GraphQLTraffic(page);
    await page.getByTestId('todo-item').nth(0).getByRole('checkbox').check();
    await addTasks(page, ['after expiry']);
    await page.getByRole('link', { name: 'Active' }).click();

    await expectSignedIn(page, ['also before', 'after expiry']);
    await traffic.settled();
    expect(traffic.count('RefreshToken')).toBe(1);
    expect(traffic.rejected).toBeGreaterThanOrEqual(1);

    await page.getByRole('link', { name: 'All' }).click();
    await page.reload();
    await expectSignedIn(page, ['before expiry', 'also before', 'after expiry']);
    expect(await page.getByTestId('todo-item').nth(0).getAttribute('class')).toBe('completed');
    await context.close();
  });

  it('keeps the tasks of two users apart', async () => {
    const [contextA, contextB] = await Promise.all([newContext(browser), newContext(browser)]);
    const [pageA, pageB] = await Promise.all([contextA.newPage(), contextB.newPage()]);

    await register(pageA, server.baseUrl, uniqueEmail('alice'));
    await addTasks(pageA, ['alice private']);
    await register(pageB, server.baseUrl, uniqueEmail('bob'));
    await addTasks(pageB, ['bob private']);

    await expectSignedIn(pageA, ['alice private']);
    await expectSignedIn(pageB, ['bob private']);
    await Promise.all([pageA.reload(), pageB.reload()]);
    await expectSignedIn(pageA, ['alice private']);
    await expectSignedIn(pageB, ['bob private']);
    expect(await pageB.getByText('alice private').count()).toBe(0);

    await Promise.all([contextA.close(), contextB.close()]);
  });

  it('keeps two tabs of one session signed in through renewals', async () => {
    const context = await newContext(browser);
    const first = await context.newPage();
    await register(first, server.baseUrl, uniqueEmail('tabs'));
    await addTasks(first, ['seen in both tabs']);
    await expectSignedIn(first, ['seen in both tabs']);

    const second = await context.newPage();
    await second.goto(`${server.baseUrl}/`);
    await expectSignedIn(second, ['seen in both tabs']);

    // Both tabs renew at the same moment with the same refresh cookie.
    await outwaitAccessToken();
    await Promise.all([first.reload(), second.reload()]);
    await expectSignedIn(first, ['seen in both tabs']);
    await expectSignedIn(second, ['seen in both tabs']);

    // Both tabs' access tokens expire and are renewed by requests sent together.
    await outwaitAccessToken();
    const traffic = [new GraphQLTraffic(first), new GraphQLTraffic(second)];
    await Promise.all([addTasks(first, ['from the first tab']), addTasks(second, ['from the second tab'])]);
    await Promise.all(traffic.map((each) => each.settled()));
    expect(traffic.map((each) => each.count('RefreshToken'))).toEqual([1, 1]);

    await Promise.all([first.reload(), second.reload()]);
    const everything = ['seen in both tabs', 'from the first tab', 'from the second tab'];
    await eventually(async () => expect((await titlesOf(first)).sort()).toEqual([...everything].sort()));
    await eventually(async () => expect((await titlesOf(second)).sort()).toEqual([...everything].sort()));
    expect(await first.getByRole('heading', { name: 'Sign in' }).count()).toBe(0);
    expect(await second.getByRole('heading', { name: 'Sign in' }).count()).toBe(0);
    await context.close();
  });

  it('signs out the other tab when one tab signs out', async () => {
    const context = await newContext(browser);
    const first = await context.newPage();
    await register(first, server.baseUrl, uniqueEmail('signout'));
    await addTasks(first, ['private']);
    const second = await context.newPage();
    await second.goto(`${server.baseUrl}/`);
    await expectSignedIn(second, ['private']);
    await newTaskField(second).fill('typed in the second tab');

    await first.getByRole('button', { name: 'Sign out' }).click();

    await second.getByText('You signed out in another tab.').waitFor();
    expect(await second.getByText('private').count()).toBe(0);
    await second.reload();
    await second.getByRole('heading', { name: 'Sign in' }).waitFor();
    await context.close();
  });

  it('returns to sign-in without losing the new-task text when renewal fails', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const email = uniqueEmail('lost-cookie');
    await register(page, server.baseUrl, email);
    await addTasks(page, ['existing']);
    await expectSignedIn(page, ['existing']);

    await context.clearCookies();
    await outwaitAccessToken();
    await newTaskField(page).fill('an idea worth keeping');
    // click() rather than check(), because the list is gone before check() could confirm
    // the new state.
    await page.getByTestId('todo-item').getByRole('checkbox').click();

    await page.getByText('Your session has ended. Sign in again to continue.').waitFor();
    await signIn(page, email);
    expect(await newTaskField(page).inputValue()).toBe('an idea worth keeping');
    await context.close();
  });
});
