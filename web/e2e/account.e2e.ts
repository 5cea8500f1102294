import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, newContext } from './support/browser';
import { startServer, type RunningServer } from './support/server';
import { addTasks, eventually, newTaskField, PASSWORD, register, signIn, titlesOf, uniqueEmail } from './support/todoApp';

const enabled = chromiumAvailable();

const NEW_PASSWORD = 'violet meadow lantern';

async function openAccountPage(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Account', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor();
}

function sessionItems(page: Page) {
  return page.getByTestId('session-item');
}

/**
 * Collects the page's uncaught exceptions and console errors, where a Content-Security-Policy
 * violation (such as a blocked chunk) shows up. Chromium also logs each HTTP error status,
 * and those are left out.
 */
function recordPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
  });
  return errors;
}

/** Records the JavaScript files that a page loads, to check what loads lazily. */
function recordScripts(page: Page): string[] {
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  return scripts;
}

describe.skipIf(!enabled)('account page in the browser', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists two sessions and revokes the other one', async () => {
    const [contextA, contextB] = await Promise.all([newContext(browser), newContext(browser)]);
    const [pageA, pageB] = await Promise.all([contextA.newPage(), contextB.newPage()]);
    const email = uniqueEmail('sessions');
    const scriptsA = recordScripts(pageA);
    const errors = [pageA, pageB].map(recordPageErrors);

    await register(pageA, server.baseUrl, email);
    await pageB.goto(`${server.baseUrl}/`);
    await signIn(pageB, email);
    await addTasks(pageB, ['added before the revocation']);
    expect(scriptsA.some((script) => script.includes('AccountPage'))).toBe(false);

    await openAccountPage(pageA);
    expect(scriptsA.some((script) => script.includes('AccountPage'))).toBe(true);
    await eventually(async () => expect(await sessionItems(pageA).count()).toBe(2));
    const current = sessionItems(pageA).filter({ hasText: '(this browser)' });
    expect(await current.count()).toBe(1);
    expect(await current.getByRole('button').textContent()).toBe('Revoke and sign out');

    const other = sessionItems(pageA).filter({ hasNotText: '(this browser)' });
    await other.getByRole('button', { name: 'Revoke', exact: true }).click();
    await eventually(async () => expect(await sessionItems(pageA).count()).toBe(1));
    await pageA.getByText('Revoked the session of').waitFor();

    // The revoked browser notices at its next request.
    await newTaskField(pageB).fill('typed after the revocation');
    await pageB.getByTestId('todo-item').getByRole('checkbox').click();
    await pageB.getByRole('heading', { name: 'Sign in' }).waitFor();
    await pageB.getByRole('status').filter({ hasText: 'Your session has ended. Sign in again to continue.' }).waitFor();
    expect(await pageB.getByTestId('todo-item').count()).toBe(0);

    // The browser that revoked it is still signed in.
    await pageA.getByRole('link', { name: '← Back to your tasks' }).click();
    await eventually(async () => expect(await titlesOf(pageA)).toEqual(['added before the revocation']));
    expect(errors).toEqual([[], []]);
    await Promise.all([contextA.close(), contextB.close()]);
  });

  it('changes the password, then signs in with the new one', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors = recordPageErrors(page);
    const email = uniqueEmail('password');
    await register(page, server.baseUrl, email);
    await addTasks(page, ['kept through the change']);
    await openAccountPage(page);

    await page.getByLabel('Current password', { exact: true }).fill('not the password');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Repeat new password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password is incorrect').waitFor();

    await page.getByLabel('Current password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your password has been changed. Every other session has been signed out.').waitFor();

    // The new access token works: the task list loads without a new sign-in.
    await page.getByRole('link', { name: '← Back to your tasks' }).click();
    await eventually(async () => expect(await titlesOf(page)).toEqual(['kept through the change']));
    await page.reload();
    await eventually(async () => expect(await titlesOf(page)).toEqual(['kept through the change']));

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Invalid email or password.').waitFor();

    await signIn(page, email, NEW_PASSWORD);
    await eventually(async () => expect(await titlesOf(page)).toEqual(['kept through the change']));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('deletes the account after the password is typed again', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors = recordPageErrors(page);
    const email = uniqueEmail('delete');
    await register(page, server.baseUrl, email);
    await addTasks(page, ['goes with the account']);
    await openAccountPage(page);

    await page.getByRole('button', { name: 'Delete account…' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Delete account…' }).click();
    await page.getByLabel('Type your password to confirm').fill('not the password');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByText('Password is incorrect').waitFor();

    await page.getByLabel('Type your password to confirm').fill(PASSWORD);
    await page.getByRole('button', { name: 'Delete my account' }).click();

    await page.getByText('Your account and its tasks have been deleted.').waitFor();
    expect(await page.getByText('goes with the account').count()).toBe(0);
    expect(new URL(page.url()).hash).toBe('#/');
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Invalid email or password.').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the password strength on the registration form', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const scripts = recordScripts(page);
    const errors = recordPageErrors(page);
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(scripts.some((script) => script.includes('strengthEstimator'))).toBe(false);

    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Email').fill(uniqueEmail('strength'));
    const password = page.getByLabel('Password', { exact: true });
    await password.fill('iloveyou');

    const meter = page.getByRole('meter', { name: 'Password strength' });
    await meter.waitFor();
    expect(scripts.some((script) => script.includes('strengthEstimator'))).toBe(true);
    expect(await meter.getAttribute('aria-valuetext')).toBe('Very weak');
    await page.getByText('This password is in a list of commonly used passwords. Choose another.').waitFor();
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create an account' }).waitFor();
    expect(await newTaskField(page).count()).toBe(0);

    await password.fill(NEW_PASSWORD);
    await eventually(async () => expect(await meter.getAttribute('aria-valuetext')).toBe('Very strong'));
    await page.getByText('Strength: Very strong').waitFor();
    await page.getByRole('button', { name: 'Create an account' }).click();
    await newTaskField(page).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
