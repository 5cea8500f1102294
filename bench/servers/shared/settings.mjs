// Settings of a reference server, from the same environment variables as the app, and its stop on signals.
// No dependencies, so that the PostGraphile server (a package of its own) can import it too.

function required(name) {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`Missing environment variable ${name}\n`);
    process.exit(1);
  }
  return value;
}

export function loadSettings() {
  return {
    host: process.env.HOST ?? '127.0.0.1',
    port: Number(process.env.PORT ?? 4000),
    databaseUrl: required('DATABASE_URL'),
    secret: required('BETTER_AUTH_SECRET'),
    poolSize: Number(process.env.DATABASE_POOL_SIZE ?? 4),
    issuer: process.env.JWT_ISSUER ?? 'todo-api',
    audience: process.env.JWT_AUDIENCE ?? 'todo-app',
    accessTokenTtlSeconds: 30 * 60,
    sessionIdleTimeoutSeconds: 24 * 60 * 60,
  };
}

/** Closes the server and the pool on SIGTERM or SIGINT, then exits. */
export function stopOnSignals(close) {
  const stop = () => {
    close().then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`Stop failed: ${error.message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
