import 'reflect-metadata';
import accepts from 'accepts';
import compression from 'compression';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pinoHttp } from 'pino-http';
import type { DataSource } from 'typeorm';
import { AuthService } from './auth/auth.service';
import { REPO_ROOT, type Config } from './config';
import { createApolloServer } from './graphql/apollo';
import { completionFields, createGraphqlEndpoint, createProxyTrust, describeHttpError, requestIdOf } from './graphql/http-endpoint';
import { createSchema } from './graphql/schema';
import type { Logger } from './logging';
import { RateLimiter } from './rate-limit';
import { createSql } from './sql';

const WEB_DIST = path.join(REPO_ROOT, 'web', 'dist');

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

/**
 * Builds the HTTP app: the GraphQL API at /graphql and the built web app at /. Used by main.ts
 * and the tests. GraphQL requests go straight to the GraphQL endpoint; Express serves the rest
 * (the web app, GraphiQL's page, health checks).
 */
export async function createApp({ config, dataSource, logger, redis }: AppDependencies): Promise<App> {
  const sql = createSql(dataSource);
  const rateLimiter = new RateLimiter(config, redis);
  const auth = new AuthService(sql, config, logger, rateLimiter);

  const proxyTrust = createProxyTrust(config.trustProxy);
  const app = express();
  const httpServer = http.createServer();
  app.disable('x-powered-by');
  // GraphQL POST responses are never revalidated, and hashing each body for an ETag costs CPU.
  app.set('etag', false);
  app.set('trust proxy', proxyTrust.trusts);

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = requestIdOf(req);
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
  app.use(webHeaders);
  serveGraphqlIde(app, config.graphqlIde);
  serveWebApp(app);
  app.use(errorHandler);

  const schema = await createSchema();
  const apollo = createApolloServer({ schema, config, httpServer });
  await apollo.start();
  const graphqlEndpoint = createGraphqlEndpoint({
    apollo,
    context: { config, sql, auth, rateLimiter },
    logger,
    proxyTrust,
    corsOrigins: config.corsOrigins,
  });

  httpServer.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (isGraphqlUrl(req.url) && !(config.graphqlIde && wantsGraphqlIde(req, res))) graphqlEndpoint(req, res);
    else app(req, res);
  });

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

/** Writes one log line per request that Express serves, when its response is sent (see completionFields). */
const logRequests: RequestHandler = (req, res, next) => {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    req.log.info(completionFields(req, res, started), 'request completed');
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

function isGraphqlUrl(url: string | undefined): boolean {
  return url === '/graphql' || (url !== undefined && url.startsWith('/graphql?'));
}

/**
 * Whether a request to /graphql is a browser's navigation to GraphiQL: a GET that prefers
 * text/html and has no `query` parameter. Every other request goes to the GraphQL endpoint.
 */
function wantsGraphqlIde(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  // The same URL returns HTML or JSON depending on Accept, so caches must keep them apart.
  res.setHeader('Vary', 'Accept');
  const search = req.url?.slice('/graphql'.length) ?? '';
  if (new URLSearchParams(search).has('query')) return false;
  return accepts(req).type(GRAPHQL_MEDIA_TYPES) === 'text/html';
}

/** Serves GraphiQL (web/dist/graphiql/index.html) at GET /graphql when `enabled`; see wantsGraphqlIde. */
function serveGraphqlIde(app: Express, enabled: boolean): void {
  // The built page is served only at /graphql with the headers above, never as a static file.
  app.use('/graphiql', (_req, res) => {
    res
      .status(404)
      .type('text/plain')
      .send(enabled ? 'Not found. The GraphQL IDE is at /graphql.' : 'Not found.');
  });
  if (!enabled) return;

  app.get('/graphql', (req, res) => {
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
  const { status, message, code } = describeHttpError(error);
  if (status >= 500) req.log.error({ err: error }, 'unexpected error in an HTTP request');
  else req.log.warn({ status, code }, 'HTTP request rejected');
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
};
