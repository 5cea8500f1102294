import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Parameterized SQL on the DataSource's connection pool. Services write their statements
 * by hand, so that each one shows its owner condition and costs no entity hydration.
 */
export interface Sql {
  /** Runs one statement and returns its rows (the RETURNING rows of a write). */
  query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<Row[]>;
  /** Runs `work` in one transaction on one connection, committed when it resolves and rolled back when it throws. */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
}

class ClientSql implements Sql {
  constructor(private readonly client: Pool | PoolClient) {}

  async query<Row>(text: string, values: unknown[] = []): Promise<Row[]> {
    const result = await this.client.query(text, values);
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
