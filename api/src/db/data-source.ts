import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../../ormconfig';
import type { Logger } from '../logging';

/** Hides the password of a connection URL, for log lines. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an invalid URL';
  }
}

/**
 * Connects to PostgreSQL, retrying with exponential backoff (0.5 s doubling up to 8 s) for
 * about a minute, so that an API started together with its database waits for it.
 */
export async function connectDatabase(url: string, poolSize: number, log: Logger, maxAttempts = 10): Promise<DataSource> {
  let delayMs = 500;
  for (let attempt = 1; ; attempt++) {
    const dataSource = new DataSource(dataSourceOptions({ url, poolSize }));
    try {
      await dataSource.initialize();
      return dataSource;
    } catch (error) {
      if (attempt >= maxAttempts) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      log.warn({ database: redactUrl(url), attempt, retryInMs: delayMs, reason }, 'database unreachable; retrying');
      await sleep(delayMs);
      delayMs = Math.min(delayMs * 2, 8000);
    }
  }
}
