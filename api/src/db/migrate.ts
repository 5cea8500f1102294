import type { DataSource } from 'typeorm';
import type { Logger } from '../logging';

/** Arbitrary but fixed key of the advisory lock that lets one process at a time migrate. */
const MIGRATION_LOCK_KEY = 7_310_524_418;

/**
 * Applies pending migrations while holding a PostgreSQL advisory lock, so that API processes
 * starting together run each migration once: the others wait, then find nothing to do.
 */
export async function runMigrations(dataSource: DataSource, log: Logger): Promise<string[]> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'all' });
    const names = applied.map((migration) => migration.name);
    if (names.length > 0) log.info({ migrations: names }, 'database migrations applied');
    else log.debug('database schema is up to date');
    return names;
  } finally {
    await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockRunner.release();
  }
}
