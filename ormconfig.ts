import 'reflect-metadata';
import { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { RefreshToken } from './api/src/auth/refresh-token.entity';
import { Session } from './api/src/auth/session.entity';
import { User } from './api/src/auth/user.entity';
import { loadDatabaseUrl } from './api/src/config';
import { InitialSchema1764806400000 } from './api/src/db/migrations/1764806400000-initial-schema';
import { TaskCountsIndex1764892800000 } from './api/src/db/migrations/1764892800000-task-counts-index';
import { Task } from './api/src/tasks/task.entity';

export const ENTITIES = [User, Session, RefreshToken, Task];

/** Every migration, oldest first. Add new ones at the end. */
export const MIGRATIONS = [InitialSchema1764806400000, TaskCountsIndex1764892800000];

/** TypeORM options of the app's DataSource. Schema changes go through MIGRATIONS only. */
export function dataSourceOptions(options: { url?: string; poolSize?: number; applicationName?: string }): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'all',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    applicationName: options.applicationName ?? 'todo-api',
    poolSize: options.poolSize,
    // Timestamps come back as UTC text, which api/src/timestamps.ts turns into RFC 3339 without a Date.
    extra: { options: '-c TimeZone=UTC' },
    logging: false,
  };
}

/** The DataSource of the TypeORM CLI (`npx typeorm-ts-node-commonjs -d ormconfig.ts migration:show`), on DATABASE_URL. */
export default new DataSource(dataSourceOptions({ url: loadDatabaseUrl(), applicationName: 'typeorm-cli' }));
