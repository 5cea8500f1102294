import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { SQL_TYPE_PARSERS } from './timestamps';

/**
 * Parameterized SQL on the DataSource's connection pool. Services write their statements
 * by hand, so that each one shows its owner condition and costs no entity hydration.
 * `timestamptz` columns arrive as Timestamp text (see timestamps.ts), not as Date objects.
 */
export interface Sql {
  /** Runs one statement and returns its rows (the RETURNING rows of a write). */
  query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<Row[]>;
  /** Runs `work` in one transaction on one connection, committed when it resolves and rolled back when it throws. */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
}

/** Distinct statement texts that get a prepared statement; services build a few hundred at most. */
const MAX_PREPARED_STATEMENTS = 1000;
const statementNames = new Map<string, string>();

/**
 * Returns the name under which PostgreSQL keeps `text` prepared on each connection, so that
 * a repeated statement is parsed and planned once per connection rather than on every call.
 * Past MAX_PREPARED_STATEMENTS distinct texts, new ones run unnamed.
 */
function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_PREPARED_STATEMENTS) {
    name = `s${statementNames.size}`;
    statementNames.set(text, name);
  }
  return name;
}

class ClientSql implements Sql {
  constructor(private readonly client: Pool | PoolClient) {}

  async query<Row>(text: string, values: unknown[] = []): Promise<Row[]> {
    const result = await this.client.query({ name: statementName(text), text, values, types: SQL_TYPE_PARSERS });
    return result.rows as Row[];
  }

  async transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    if (!('connect' in this.client) || typeof (this.client as Pool).totalCount !== 'number') {
      throw new Error('Nested transactions are not supported');
    }
    const client = await (this.client as Pool).connect();
    try {
      await client.query('BEGIN');
      const result = await work(new ClientSql(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/** Wraps the pg pool of an initialized TypeORM DataSource. */
export function createSql(dataSource: DataSource): Sql {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  return new ClientSql(pool);
}
