import 'reflect-metadata';
import { expressMiddleware } from '@as-integrations/express5';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import cors from 'cors';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pinoHttp } from 'pino-http';
import type { DataSource } from 'typeorm';
import { AuthService } from './auth/auth.service';
import { REPO_ROOT, type Config } from './config';
import { createApolloServer, type OperationSummary } from './graphql/apollo';
import { buildContext } from './graphql/context';
import { createSchema } from './graphql/schema';
import type { Logger } from './logging';
import { RateLimiter } from './rate-limit';
import { createSql } from './sql';

export const MAX_BODY_BYTES = 100 * 1024;
const WEB_DIST = path.join(REPO_ROOT, 'web', 'dist');
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export interface AppDependencies {
  config: Config & { authSecret: string };
  dataSource: DataSource;
  logger: Logger;
  redis?: Redis;
}

export interface App {
  express: Express;
  httpServer: http.Server;
  /** Stops Apollo Server, waiting for requests in flight. Closing the DataSource and Redis is the caller's job. */
  stop(): Promise<void>;
}

/** Turns TRUST_PROXY into Express's `trust proxy` setting; empty trusts no proxy, so the socket address is the client. */
function trustProxySetting(value: string): boolean | number | string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === 'false') return false;
  if (trimmed === 'true') return true;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  return trimmed;
}

/** Builds the HTTP app: the GraphQL API at /graphql and the built web app at /. Used by main.ts and the tests. */
export async function createApp({ config, dataSource, logger, redis }: AppDependencies): Promise<App> {
  const sql = createSql(dataSource);
  const rateLimiter = new RateLimiter(config, redis);
  const auth = new AuthService(sql, config, logger, rateLimiter);

  const app = express();
  const httpServer = http.createServer(app);
  app.disable('x-powered-by');
  // GraphQL POST responses are never revalidated, and hashing each body for an ETag costs CPU.
  app.set('etag', false);
  app.set('trust proxy', trustProxySetting(config.trustProxy));

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const header = req.headers['x-request-id'];
        const id = typeof header === 'string' && REQUEST_ID_PATTERN.test(header) ? header : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customAttributeKeys: { reqId: 'requestId' },
      // Child loggers of a request (req.log) carry only its id; logRequests writes the completion line.
      quietReqLogger: true,
      autoLogging: false,
    }),
  );
  app.use(logRequests);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (req, res) => {
    const checks = await checkReadiness(dataSource, redis);
    const ready = Object.values(checks).every((value) => value === 'ok');
    if (!ready) req.log.warn({ checks }, 'not ready');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });

  const webHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  app.use((req, res, next) => {
    // GraphQL POST responses are JSON for programs, never rendered, so they get the two headers
    // that matter for JSON instead of helmet's dozen, which showed in the CPU profile.
    if (req.method === 'POST' && req.path === '/graphql') {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
      next();
      return;
    }
    webHeaders(req, res, next);
  });

  serveGraphqlIde(app, config.graphqlIde);

  const schema = await createSchema();
  const apollo = createApolloServer({ schema, config, httpServer });
  await apollo.start();

  app.use(
    '/graphql',
    cors({ origin: config.corsOrigins.length > 0 ? config.corsOrigins : false, credentials: true }),
    cookieParser(),
    express.json({ limit: MAX_BODY_BYTES }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => buildContext({ config, sql, auth, rateLimiter, log: logger }, req, res),
    }),
  );

  serveWebApp(app);
  app.use(errorHandler);

  return {
    express: app,
    httpServer,
    stop: async () => {
      const stopping = apollo.stop();
      // Keep-alive connections with no request in flight would otherwise hold the stop for its whole grace period.
      httpServer.closeIdleConnections();
      await stopping;
    },
  };
}

/**
 * Writes one line per request when its response is sent: method, path (without the query
 * string, which can carry GraphQL variables), status, duration, and for GraphQL the operation
 * name, the caller's user id and the outcome.
 */
const logRequests: RequestHandler = (req, res, next) => {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
    const graphql = res.locals.graphql as OperationSummary | undefined;
    req.log.info(
      { method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, durationMs, ...graphql },
      'request completed',
    );
  });
  next();
};

/** Checks what the API needs to serve requests: the database, its migrations, and Redis when configured. */
async function checkReadiness(dataSource: DataSource, redis: Redis | undefined): Promise<Record<string, string>> {
  const checks: Record<string, string> = {};
  try {
    await dataSource.query('SELECT 1');
    checks.database = 'ok';
    checks.migrations = (await dataSource.showMigrations()) ? 'pending' : 'ok';
  } catch {
    checks.database = 'unreachable';
  }
  if (redis) {
    try {
      checks.redis = (await redis.ping()) === 'PONG' ? 'ok' : 'unexpected reply';
    } catch {
      checks.redis = 'unreachable';
    }
  }
  return checks;
}

/** Serves web/dist with index.html for every other GET, so that the app's own routes load it. */
function serveWebApp(app: Express): void {
  const indexFile = path.join(WEB_DIST, 'index.html');
  // Only the web app's files are compressed: GraphQL responses are small and frequent, and
  // compressing them would cost CPU on every API call.
  app.use(compression());
  app.use(express.static(WEB_DIST, { index: false, maxAge: '1h' }));
  app.get(/^\/(?!graphql).*/, (_req, res) => {
    if (fs.existsSync(indexFile)) {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(indexFile);
    } else {
      res.status(404).type('text/plain').send('The web app is not built. Run `npm run build`, or use the API at /graphql.');
    }
  });
}

const GRAPHQL_IDE_FILE = path.join(WEB_DIST, 'graphiql', 'index.html');

/**
 * The IDE page's headers: the app's CSP plus what GraphiQL 5 needs, which is inline styles
 * (Monaco and GraphiQL add <style> elements at run time), data: fonts (GraphiQL's CSS embeds
 * them) and same-origin workers (Monaco's language services). It may not be framed at all.
 */
const graphqlIdeHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      workerSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  xFrameOptions: { action: 'deny' },
});

// Apollo Server's media types come first, so that they win ties such as `Accept: */*`.
const GRAPHQL_MEDIA_TYPES = ['application/json', 'application/graphql-response+json', 'text/html'];

/**
 * Serves GraphiQL (web/dist/graphiql/index.html) for browser navigation to GET /graphql when
 * `enabled`: a request that prefers text/html and has no `query` parameter. Every other
 * request goes on to Apollo Server.
 */
function serveGraphqlIde(app: Express, enabled: boolean): void {
  // The built page is served only at /graphql with the headers above, never as a static file.
  app.use('/graphiql', (_req, res) => {
    res
      .status(404)
      .type('text/plain')
      .send(enabled ? 'Not found. The GraphQL IDE is at /graphql.' : 'Not found.');
  });
  if (!enabled) return;

  app.get('/graphql', (req, res, next) => {
    // The same URL returns HTML or JSON depending on Accept, so caches must keep them apart.
    res.vary('Accept');
    if (req.query.query !== undefined || req.accepts(GRAPHQL_MEDIA_TYPES) !== 'text/html') {
      next();
      return;
    }
    graphqlIdeHeaders(req, res, () => {
      res.setHeader('Cache-Control', 'no-cache');
      if (fs.existsSync(GRAPHQL_IDE_FILE)) {
        res.sendFile(GRAPHQL_IDE_FILE);
      } else {
        req.log.warn({ file: GRAPHQL_IDE_FILE }, 'GraphQL IDE page not found: run npm run build');
        res
          .status(404)
          .type('text/plain')
          .send('The GraphQL IDE is not built. Run `npm run build`, or send GraphQL requests with POST /graphql.');
      }
    });
  });
}

/** Sends body-parser and other HTTP-level failures in GraphQL's error shape, without a stack trace. */
const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 600 ? error.status : 500;
  let message = 'Internal server error';
  let code = 'INTERNAL_SERVER_ERROR';
  if (error?.type === 'entity.too.large') {
    message = `Request body too large: the limit is ${MAX_BODY_BYTES / 1024} kB`;
    code = 'PAYLOAD_TOO_LARGE';
  } else if (error?.type === 'entity.parse.failed') {
    message = 'Request body is not valid JSON';
    code = 'BAD_REQUEST';
  } else if (status < 500) {
    message = 'Bad request';
    code = 'BAD_REQUEST';
  }
  if (status >= 500) req.log.error({ err: error }, 'unexpected error in an HTTP request');
  else req.log.warn({ status, code }, 'HTTP request rejected');
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
};
