// `npm run schema`: writes schema.graphql from the resolvers, through the compiled API in build/.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildApi } from './build-api.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
buildApi();
const require = createRequire(import.meta.url);
require("reflect-metadata");
const { printSchemaFile } = require(path.join(root, 'build', 'api', 'src', 'graphql', 'print-schema.js'));
fs.writeFileSync(path.join(root, 'schema.graphql'), await printSchemaFile());
process.stdout.write('Wrote schema.graphql\n');
