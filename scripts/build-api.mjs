// Compiles api/src and ormconfig.ts into build/ with swc (about a second); type checking is `npm run typecheck`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function buildApi() {
  // Only this build's own output goes, so that other folders under build/ survive.
  fs.rmSync(path.join(root, 'build', 'api'), { recursive: true, force: true });
  fs.rmSync(path.join(root, 'build', 'ormconfig.js'), { force: true });
  const swc = path.join(root, 'node_modules', '.bin', 'swc');
  execFileSync(swc, ['api/src', 'ormconfig.ts', '-d', 'build', '--config-file', '.swcrc', '--ignore', '**/*.test.ts', '--quiet'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildApi();
