// The PostgreSQL pool and token checker of the node:http, Apollo Server and Mercurius reference servers.
import pg from 'pg';
import { ViewerResolver } from './auth.mjs';

/**
 * Wraps a pool so that every statement text runs as a named prepared statement, planned once
 * per connection, as the app's api/src/sql.ts does.
 */
function preparedStatements(pool) {
  const names = new Map();
  return {
    query(text, values) {
      let name = names.get(text);
      if (name === undefined) {
        name = `s${names.size}`;
        names.set(text, name);
      }
      return pool.query({ name, text, values });
    },
  };
}

/** Opens the pool and the token checker of a reference server. `db` is what the resolvers query. */
export function createBackend(settings) {
  const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: settings.poolSize, application_name: 'todo-bench-reference' });
  pool.on('error', (error) => process.stderr.write(`PostgreSQL pool error: ${error.message}\n`));
  const db = preparedStatements(pool);
  const viewers = new ViewerResolver({ pool: db, ...settings });
  return { pool, viewers };
}
