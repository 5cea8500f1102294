import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, newContext } from './support/browser';
import { startServer, type RunningServer } from './support/server';
import {
  addTasks,
  eventually,
  GraphQLTraffic,
  newTaskField,
  PASSWORD,
  register,
  signIn,
  titlesOf,
  uniqueEmail,
} from './support/todoApp';

const enabled = chromiumAvailable();

describe.skipIf(!enabled)('todo list in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let email: string;
  let pageErrors: string[];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  beforeEach(async () => {
    context = await newContext(browser);
    page = await context.newPage();
    pageErrors = [];
    // A Content-Security-Policy violation or an uncaught exception shows up here.
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // Chromium logs every HTTP error status, and the app's own handling of those is tested.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        pageErrors.push(message.text());
      }
    });

    email = uniqueEmail('todo');
    await register(page, server.baseUrl, email);
  });

  afterEach(async () => {
    await context?.close();
    expect(pageErrors).toEqual([]);
  });

  it('shows the email and focuses the new-task field after registration', async () => {
    expect(await page.getByText(email).isVisible()).toBe(true);
    expect(await newTaskField(page).evaluate((element) => element === document.activeElement)).toBe(true);
  });

  it('adds trimmed tasks at the bottom and ignores empty input', async () => {
    await addTasks(page, ['buy some cheese', '   feed the cat   ', 'book a doctors appointment']);
    await newTaskField(page).press('Enter');
    await newTaskField(page).fill('   ');
    await newTaskField(page).press('Enter');

    await eventually(async () =>
      expect(await titlesOf(page)).toEqual(['buy some cheese', 'feed the cat', 'book a doctors appointment']),
    );
    expect(await newTaskField(page).inputValue()).toBe('   ');
    expect(await page.getByTestId('todo-count').textContent()).toBe('3 items left');

    await page.reload();
    await eventually(async () =>
      expect(await titlesOf(page)).toEqual(['buy some cheese', 'feed the cat', 'book a doctors appointment']),
    );
  });

  it('edits a title: Enter and blur save, Escape cancels, empty deletes', async () => {
    const traffic = new GraphQLTraffic(page);
    await addTasks(page, ['first', 'second', 'third', 'fourth']);
    await traffic.settled();
    const items = page.getByTestId('todo-item');

    await items.nth(0).dblclick();
    const edit = items.nth(0).getByRole('textbox', { name: 'Edit' });
    expect(await edit.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await items.nth(0).getAttribute('class')).toBe('editing');
    expect(await items.nth(0).getByRole('checkbox').isVisible()).toBe(false);
    await edit.fill('  first, renamed  ');
    await edit.press('Enter');

    await items.nth(1).dblclick();
    await items.nth(1).getByRole('textbox', { name: 'Edit' }).fill('second, blurred');
    await items.nth(1).getByRole('textbox', { name: 'Edit' }).dispatchEvent('blur');

    await items.nth(2).dblclick();
    await items.nth(2).getByRole('textbox', { name: 'Edit' }).fill('never saved');
    await items.nth(2).getByRole('textbox', { name: 'Edit' }).press('Escape');

    await items.nth(3).dblclick();
    await items.nth(3).getByRole('textbox', { name: 'Edit' }).fill('');
    await items.nth(3).getByRole('textbox', { name: 'Edit' }).press('Enter');

    const expected = ['first, renamed', 'second, blurred', 'third'];
    await eventually(async () => expect(await titlesOf(page)).toEqual(expected));
    await traffic.settled();
    await page.reload();
    await eventually(async () => expect(await titlesOf(page)).toEqual(expected));
  });

  it('completes tasks, marks all complete and clears completed', async () => {
    await addTasks(page, ['one', 'two', 'three']);
    const items = page.getByTestId('todo-item');
    await eventually(async () => expect(await items.count()).toBe(3));

    await items.nth(1).getByRole('checkbox').check();
    await eventually(async () => expect(await items.nth(1).getAttribute('class')).toBe('completed'));
    await eventually(async () => expect(await page.getByTestId('todo-count').textContent()).toBe('2 items left'));
    await eventually(async () => expect(await page.getByRole('button', { name: 'Clear completed' }).isVisible()).toBe(true));

    const toggleAll = page.getByLabel('Mark all as complete');
    await toggleAll.check();
    await eventually(async () =>
      expect(await items.evaluateAll((elements) => elements.map((element) => element.className))).toEqual([
        'completed',
        'completed',
        'completed',
      ]),
    );
    await eventually(async () => expect(await page.getByTestId('todo-count').textContent()).toBe('0 items left'));

    await items.nth(0).getByRole('checkbox').uncheck();
    await eventually(async () => expect(await toggleAll.isChecked()).toBe(false));

    await page.getByRole('button', { name: 'Clear completed' }).click();
    await eventually(async () => expect(await titlesOf(page)).toEqual(['one']));
    await eventually(async () => expect(await page.getByRole('button', { name: 'Clear completed' }).count()).toBe(0));
    await eventually(async () => expect(await page.getByTestId('todo-count').textContent()).toBe('1 item left'));
    await page.waitForLoadState('networkidle');

    await page.reload();
    await eventually(async () => expect(await titlesOf(page)).toEqual(['one']));
    await eventually(async () => expect(await items.nth(0).getAttribute('class')).toBe(''));
  });

  it('filters through the URL, with the back button and a reload', async () => {
    await addTasks(page, ['active one', 'done', 'active two']);
    const items = page.getByTestId('todo-item');
    await eventually(async () => expect(await items.count()).toBe(3));
    await items.nth(1).getByRole('checkbox').check();
    await page.waitForLoadState('networkidle');

    await page.getByRole('link', { name: 'Active' }).click();
    await eventually(async () => expect(await titlesOf(page)).toEqual(['active one', 'active two']));
    expect(page.url()).toMatch(/#\/active$/);
    await eventually(async () => expect(await page.getByRole('link', { name: 'Active' }).getAttribute('class')).toBe('selected'));

    await page.getByRole('link', { name: 'Completed' }).click();
    await eventually(async () => expect(await titlesOf(page)).toEqual(['done']));

    await page.getByRole('link', { name: 'All' }).click();
    await eventually(async () => expect(await titlesOf(page)).toEqual(['active one', 'done', 'active two']));

    await page.goBack();
    await eventually(async () => expect(await titlesOf(page)).toEqual(['done']));
    await page.goBack();
    await eventually(async () => expect(await titlesOf(page)).toEqual(['active one', 'active two']));

    await page.reload();
    await eventually(async () => expect(await titlesOf(page)).toEqual(['active one', 'active two']));
    await eventually(async () => expect(await page.getByRole('link', { name: 'Active' }).getAttribute('class')).toBe('selected'));
  });

  it('stays signed in across a reload, and signs out and back in', async () => {
    await addTasks(page, ['remember me']);
    await eventually(async () => expect(await titlesOf(page)).toEqual(['remember me']));

    await page.reload();
    await eventually(async () => expect(await titlesOf(page)).toEqual(['remember me']));
    expect(await page.getByText(email).isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Invalid email or password.').waitFor();

    await signIn(page, email, PASSWORD);
    await eventually(async () => expect(await titlesOf(page)).toEqual(['remember me']));
    expect(await newTaskField(page).evaluate((element) => element === document.activeElement)).toBe(true);
  });

  it('keeps the tokens out of Web Storage and the refresh cookie HttpOnly', async () => {
    await addTasks(page, ['anything']);
    await eventually(async () => expect(await titlesOf(page)).toEqual(['anything']));

    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(storage).toBe('{}');
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const cookies = await context.cookies();
    expect(cookies.map((cookie) => ({ httpOnly: cookie.httpOnly, sameSite: cookie.sameSite, path: cookie.path }))).toEqual([
      { httpOnly: true, sameSite: 'Strict', path: '/graphql' },
    ]);
  });

  it('sets and shows description, priority and due date', async () => {
    await addTasks(page, ['plan the trip']);
    await eventually(async () => expect(await titlesOf(page)).toEqual(['plan the trip']));

    await page.getByRole('button', { name: 'Edit details of “plan the trip”' }).click();
    await page.getByLabel('Description').fill('Trains, not planes.');
    await page.getByLabel('Priority').selectOption('HIGH');
    await page.getByLabel('Due date').fill('2030-05-17');
    await page.getByRole('button', { name: 'Save' }).click();

    const item = page.getByTestId('todo-item');
    await eventually(async () => expect(await item.textContent()).toContain('High priority'));
    await page.reload();
    await eventually(async () => expect(await item.textContent()).toContain('Trains, not planes.'));
    expect(await item.textContent()).toContain('High priority');
    expect(await item.locator('time').getAttribute('datetime')).toBe('2030-05-17T00:00:00.000Z');
  });

  it('searches, sorts and loads more pages', async () => {
    const traffic = new GraphQLTraffic(page);
    const titles = Array.from({ length: 52 }, (_, index) => `task ${String(index + 1).padStart(2, '0')}`);
    await addTasks(page, titles);
    await traffic.settled();
    await page.reload();

    const items = page.getByTestId('todo-item');
    await eventually(async () => expect(await items.count()).toBe(50));
    await page.getByRole('button', { name: 'Load more' }).click();
    await eventually(async () => expect(await titlesOf(page)).toEqual(titles));

    await page.getByLabel('Sort by').selectOption({ label: 'Newest first' });
    await eventually(async () => expect((await titlesOf(page))[0]).toBe('task 52'));

    await page.getByLabel('Search').fill('task 1');
    await eventually(async () =>
      expect(await titlesOf(page)).toEqual(['task 19', 'task 18', 'task 17', 'task 16', 'task 15', 'task 14', 'task 13', 'task 12', 'task 11', 'task 10']),
    );
  });

  it('works with the keyboard alone', async () => {
    await newTaskField(page).fill('keyboard task');
    await page.keyboard.press('Enter');
    await eventually(async () => expect(await titlesOf(page)).toEqual(['keyboard task']));

    // Tab from the new-task field through search, sort and "Mark all" to the task's checkbox.
    const focusedLabel = () =>
      page.evaluate(() => {
        const element = document.activeElement;
        return element?.getAttribute('aria-label') ?? (element as HTMLInputElement | null)?.labels?.[0]?.textContent ?? '';
      });
    for (let step = 0; step < 10 && !(await page.getByTestId('todo-item').getByRole('checkbox').evaluate((element) => element === document.activeElement)); step += 1) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Space');
    await eventually(async () => expect(await page.getByTestId('todo-item').getAttribute('class')).toBe('completed'));

    await page.keyboard.press('Tab');
    expect(await focusedLabel()).toBe('Edit details of “keyboard task”');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('renamed by keyboard');
    await page.keyboard.press('Enter');
    await eventually(async () => expect(await titlesOf(page)).toEqual(['renamed by keyboard']));
  });
});
