import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's Chromium. These tests never download a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Tells whether the end-to-end tests can run. Without Chromium they are skipped outside
 * CI with the reason printed, and fail in CI (CI=true), where a skip would hide a gap.
 */
export function chromiumAvailable(): boolean {
  if (fs.existsSync(CHROMIUM_PATH)) return true;

  const reason = `Chromium not found at ${CHROMIUM_PATH}; install it with: apt-get install -y chromium`;
  if (process.env.CI === 'true') throw new Error(reason);
  console.warn(`Skipping the end-to-end tests. ${reason}`);
  return false;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // Every host name but localhost fails to resolve, so that requests the browser makes
      // on its own cannot reach another host by name. The app itself calls only its origin.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
    ],
  });
}

// Well above what any step takes here, and well below the test timeout, so that a missing
// element fails the step that waits for it.
const ACTION_TIMEOUT_MS = 15_000;

/** Opens a browser context, which is a separate browser profile with its own cookies and storage. */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext();
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  return context;
}
