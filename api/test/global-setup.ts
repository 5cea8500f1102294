import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ADMIN_URL_VARIABLE, startDatabaseServer } from './database-server';

export default async function globalSetup(): Promise<void> {
  // Tests that start the API as its own process run the compiled build/, made once here.
  execFileSync(process.execPath, [path.resolve(__dirname, '..', '..', 'scripts', 'build-api.mjs')], { stdio: 'inherit' });
  // Workers start after this and inherit the variable.
  process.env[ADMIN_URL_VARIABLE] = await startDatabaseServer();
}
