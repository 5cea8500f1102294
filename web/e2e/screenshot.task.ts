import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { chromiumAvailable, launchBrowser, newContext } from './support/browser';
import { REPO_ROOT, startServer, type RunningServer } from './support/server';
import { addTasks, eventually, GraphQLTraffic, newTaskField, register, titlesOf } from './support/todoApp';
import type { Browser, Page } from 'playwright-core';

/** Takes docs/screenshot.png for the README. Run it with `npm run screenshot -w web`. */

const SCREENSHOT_FILE = path.join(REPO_ROOT, 'docs', 'screenshot.png');

async function setDetails(page: Page, title: string, details: { description?: string; priority?: string; dueDate?: string }) {
  await page.getByRole('button', { name: `Edit details of “${title}”` }).click();
  if (details.description) await page.getByLabel('Description').fill(details.description);
  if (details.priority) await page.getByLabel('Priority').selectOption(details.priority);
  if (details.dueDate) await page.getByLabel('Due date').fill(details.dueDate);
  await page.getByRole('button', { name: 'Save' }).click();
}

describe.skipIf(!chromiumAvailable())('README screenshot', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the main screen with tasks', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.setViewportSize({ width: 820, height: 760 });
    const traffic = new GraphQLTraffic(page);

    await register(page, server.baseUrl, 'alex@example.com');
    await addTasks(page, ['Buy groceries', 'Call the plumber about the kitchen sink', 'Renew passport', 'Read chapter 4', 'Plan the weekend trip']);
    await eventually(async () => {
      if ((await titlesOf(page)).length !== 5) throw new Error('The tasks are not all shown yet.');
    });

    await setDetails(page, 'Buy groceries', { priority: 'HIGH', dueDate: '2027-01-15' });
    await setDetails(page, 'Plan the weekend trip', { description: 'Trains, not planes. Book the hotel by Thursday.', priority: 'LOW' });
    await page.getByTestId('todo-item').filter({ hasText: 'Renew passport' }).getByRole('checkbox').check();
    await traffic.settled();

    await newTaskField(page).click();
    await page.mouse.move(0, 0);
    fs.mkdirSync(path.dirname(SCREENSHOT_FILE), { recursive: true });
    await page.screenshot({ path: SCREENSHOT_FILE, fullPage: true });
    await context.close();
  });
});
