// `npm run docs:config`: rewrites the README's configuration table from api/src/config.ts.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildApi } from './build-api.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
buildApi();
const require = createRequire(import.meta.url);
const { renderConfigurationTable } = require(path.join(root, 'build', 'api', 'src', 'config-docs.js'));
const readmePath = path.join(root, 'README.md');
const readme = fs.readFileSync(readmePath, 'utf8');
const updated = readme.replace(/<!-- config:start -->[\s\S]*<!-- config:end -->/, renderConfigurationTable());
fs.writeFileSync(readmePath, updated);
process.stdout.write(updated === readme ? 'README.md is up to date\n' : 'Updated the configuration table in README.md\n');
