import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The screenshot for the README is a separate run (`npm run screenshot`), not a test.
const takeScreenshot = process.env.E2E_SCREENSHOT === '1';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    environment: 'node',
    include: takeScreenshot ? ['e2e/screenshot.task.ts'] : ['e2e/**/*.e2e.ts'],
    // Each file starts its own API server with an embedded PostgreSQL. On a 2-core
    // machine they run one after another.
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 240_000,
  },
});
