// The servers under test: how to start each one on a database and a port.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, startProcess, waitForGraphql } from './processes.mjs';
import { APP_COPY_DIR, APP_MAIN, AUTH_SECRET, BENCH_DIR, POOL_SIZE, RAISED_RATE_LIMITS, REPO_ROOT, databaseUrl } from './settings.mjs';

/** Label, description and dialect of each server; `dialect` picks the GraphQL documents of the load scripts. */
export const SERVERS = {
  app: { label: '(a) app', description: 'the app as shipped, production mode', dialect: 'app' },
  http: { label: '(b) node:http + graphql-js', description: 'node:http, graphql-js with a validated-document cache, pg', dialect: 'app', script: 'http-graphql.mjs' },
  apollo: { label: '(c) Apollo standalone', description: 'the same schema on @apollo/server startStandaloneServer', dialect: 'app', script: 'apollo.mjs' },
  mercurius: { label: '(d) fastify + mercurius', description: 'the same schema on fastify + mercurius, graphql-jit and its cache', dialect: 'app', script: 'mercurius.mjs' },
  postgraphile: { label: '(e) PostGraphile 4', description: 'PostGraphile 4 over the same tables, JWT claims and row-level security', dialect: 'postgraphile', script: 'postgraphile/server.mjs' },
};

/**
 * Compiles the API into build/ with the repository's own build script and copies the output to
 * APP_COPY_DIR/build. The copy resolves packages through a link to the repository's
 * node_modules, and its REPO_ROOT (config.ts looks for the folder above build/) is APP_COPY_DIR,
 * which gets a link to web/ so that it serves the same web app.
 */
export function buildApp() {
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build-api.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
  fs.rmSync(APP_COPY_DIR, { recursive: true, force: true });
  fs.mkdirSync(path.join(APP_COPY_DIR, 'build'), { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'build', 'api'), path.join(APP_COPY_DIR, 'build', 'api'), { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'build', 'ormconfig.js'), path.join(APP_COPY_DIR, 'build', 'ormconfig.js'));
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(APP_COPY_DIR, 'node_modules'));
  fs.symlinkSync(path.join(REPO_ROOT, 'web'), path.join(APP_COPY_DIR, 'web'));
  // The build output is CommonJS, as under the repository's package.json; bench/package.json says "module".
  fs.writeFileSync(path.join(APP_COPY_DIR, 'package.json'), '{ "private": true, "type": "commonjs" }\n');
  if (!fs.existsSync(APP_MAIN)) throw new Error(`The API build has no ${APP_MAIN}; did scripts/build-api.mjs fail?`);
}

export function appEnvironment({ database, port, adminUrl, extra = {} }) {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl(database, adminUrl),
    BETTER_AUTH_SECRET: AUTH_SECRET,
    LOG_LEVEL: 'warn',
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    ...RAISED_RATE_LIMITS,
    ...extra,
  };
}

/**
 * Starts server `kind` against `database` and waits until POST /graphql answers. Returns the
 * process handle with its `url` and start time in ms. `adminUrl` picks another PostgreSQL server than
 * ADMIN_URL's; `nodeArgs` go before the script (for --cpu-prof).
 */
export async function startServer(kind, { database, adminUrl, port, nodeArgs = [], name = kind, extraEnv = {} }) {
  port ??= await freePort();
  const env = appEnvironment({ database, port, adminUrl, extra: extraEnv });
  const script = kind === 'app' ? APP_MAIN : path.join(BENCH_DIR, 'servers', SERVERS[kind].script);
  const started = performance.now();
  const handle = startProcess(name, process.execPath, [...nodeArgs, script], { env, cwd: REPO_ROOT });
  handle.url = `http://127.0.0.1:${port}/graphql`;
  handle.port = port;
  handle.kind = kind;
  try {
    handle.startMs = await waitForGraphql(handle, handle.url, { since: started });
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return handle;
}
