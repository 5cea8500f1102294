import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const SECRET_FILE = 'auth-secret';

/**
 * Returns the secret kept in `<dataDir>/auth-secret`, generating it (384 random bits,
 * owner-only permissions) on first use. Only for the embedded database: with DATABASE_URL
 * the secret must come from BETTER_AUTH_SECRET.
 */
export function loadOrCreateSecret(dataDir: string): { secret: string; file: string; created: boolean } {
  const file = path.join(dataDir, SECRET_FILE);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
    return { secret: fs.readFileSync(file, 'utf8').trim(), file, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  fs.chmodSync(file, 0o600);
  return { secret: fs.readFileSync(file, 'utf8').trim(), file, created: false };
}
