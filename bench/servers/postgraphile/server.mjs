// Reference server (e): PostGraphile 4 over the app's tables. Tokens are verified by PostGraphile
// (secret as a key function), their claims become jwt.claims.* settings, and row-level security
// (row-level-security.sql) limits every statement to the caller's live session.
import http from 'node:http';
import { createSecretKey } from 'node:crypto';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { loadSettings, stopOnSignals } from '../shared/settings.mjs';

const settings = loadSettings();
const key = createSecretKey(Buffer.from(settings.secret, 'utf8'));
const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: settings.poolSize, application_name: 'todo-bench-postgraphile' });
pool.on('error', (error) => process.stderr.write(`PostgreSQL pool error: ${error.message}\n`));

const middleware = postgraphile(pool, 'public', {
  // jsonwebtoken's key-function form: (header, callback) => callback(error, key).
  jwtSecret: (_header, callback) => callback(null, key),
  jwtVerifyOptions: { algorithms: ['HS256'], issuer: settings.issuer, audience: settings.audience, maxAge: settings.accessTokenTtlSeconds },
  pgDefaultRole: 'todo_bench_viewer',
  graphqlRoute: '/graphql',
  graphiql: false,
  watchPg: false,
  retryOnInitFail: false,
  disableQueryLog: true,
  dynamicJson: true,
  setofFunctionsContainNulls: false,
  legacyRelations: 'omit',
  bodySizeLimit: '100kB',
});

const server = http.createServer(middleware);
server.keepAliveTimeout = 65_000;
server.listen(settings.port, settings.host);
stopOnSignals(async () => {
  await new Promise((resolve) => {
    server.close(resolve);
    server.closeIdleConnections();
  });
  await middleware.release?.();
  await pool.end();
});
