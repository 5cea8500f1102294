import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from '@apollo/server';
import bodyParser from 'body-parser';
import * as cookie from 'cookie';
import cors from 'cors';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import proxyaddr from 'proxy-addr';
import type { CookieJar, RequestContext } from '../auth/context';
import type { Logger } from '../logging';
import { buildContext, type ContextDependencies } from './context';

const MAX_BODY_BYTES = 100 * 1024;
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Returns the request's id: the caller's X-Request-Id when it is a plain token, else a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID_PATTERN.test(header) ? header : randomUUID();
}

/** Trust in the X-Forwarded-For and X-Forwarded-Proto headers of proxies, set by TRUST_PROXY in Express's `trust proxy` syntax. */
export interface ProxyTrust {
  /** Whether the proxy at `address`, `hop` steps from the server, is trusted. Express's `trust proxy` setting uses it too. */
  trusts(address: string, hop: number): boolean;
  /** The client's address: the socket's, or the nearest untrusted one in X-Forwarded-For. */
  clientIp(req: IncomingMessage): string | null;
  /** Whether the client used HTTPS: a TLS socket, or X-Forwarded-Proto from a trusted proxy. */
  secure(req: IncomingMessage): boolean;
}

export function createProxyTrust(setting: string): ProxyTrust {
  const value = setting.trim();
  let trust: (address: string, hop: number) => boolean;
  if (value === 'true') trust = () => true;
  else if (/^\d+$/.test(value)) trust = (_address, hop) => hop < Number(value);
  else if (value === '' || value === 'false') trust = proxyaddr.compile([]);
  else trust = proxyaddr.compile(value.split(',').map((item) => item.trim()));
  return {
    trusts: trust,
    clientIp: (req) => (req.socket.remoteAddress === undefined ? null : proxyaddr(req, trust)),
    secure: (req) => {
      if ((req.socket as { encrypted?: boolean }).encrypted) return true;
      if (!trust(req.socket.remoteAddress ?? '', 0)) return false;
      const header = req.headers['x-forwarded-proto'];
      const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim();
      return first === 'https';
    },
  };
}

/** Cookies read from the request when first asked for, and written as Set-Cookie headers of the response. */
export function createCookieJar(req: IncomingMessage, res: ServerResponse, secure: boolean): CookieJar {
  let parsed: Record<string, string | undefined> | undefined;
  return {
    secure,
    get(name) {
      parsed ??= req.headers.cookie === undefined ? {} : cookie.parse(req.headers.cookie);
      return parsed[name];
    },
    set(name, value, options) {
      res.appendHeader('Set-Cookie', cookie.serialize(name, value, options));
    },
  };
}

/**
 * Returns the fields of a request's completion log line: method, path without the query string
 * (which can carry GraphQL variables), status and duration since `started` (process.hrtime.bigint()).
 */
export function completionFields(req: IncomingMessage, res: ServerResponse, started: bigint) {
  const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
  return { method: req.method, path: (req.url ?? '').split('?')[0], status: res.statusCode, durationMs };
}

/** Status, message and code of an HTTP-level failure (an unreadable or oversized body), in GraphQL's error shape. */
export function describeHttpError(error: unknown): { status: number; message: string; code: string } {
  const details = (error ?? {}) as { status?: unknown; type?: unknown };
  const status = typeof details.status === 'number' && details.status >= 400 && details.status < 600 ? details.status : 500;
  if (details.type === 'entity.too.large') {
    return { status, message: `Request body too large: the limit is ${MAX_BODY_BYTES / 1024} kB`, code: 'PAYLOAD_TOO_LARGE' };
  }
  if (details.type === 'entity.parse.failed') {
    return { status, message: 'Request body is not a JSON object: send {"query": "…"} as application/json', code: 'BAD_REQUEST' };
  }
  if (status < 500) return { status, message: 'Bad request', code: 'BAD_REQUEST' };
  return { status, message: 'Internal server error', code: 'INTERNAL_SERVER_ERROR' };
}

/** Headers of every /graphql response: JSON for programs, never rendered or framed. */
const RESPONSE_HEADERS: [string, string][] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
];

export interface GraphqlEndpointOptions {
  apollo: ApolloServer<RequestContext>;
  context: ContextDependencies;
  logger: Logger;
  proxyTrust: ProxyTrust;
  corsOrigins: string[];
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Serves GraphQL requests at /graphql straight on Node's HTTP server: request id, CORS, the JSON
 * body, Apollo Server's HTTP handling (CSRF prevention, parsing, validation, execution, errors)
 * and one completion log line. Express serves everything else. Skipping its router and response
 * helpers saved about a tenth of the CPU time of a tasks page in the benchmark.
 */
export function createGraphqlEndpoint({ apollo, context, logger, proxyTrust, corsOrigins }: GraphqlEndpointOptions): Handler {
  const allowCors = cors({
    origin: corsOrigins.length > 0 ? corsOrigins : false,
    credentials: true,
    methods: ['GET', 'POST'],
    // Lets web apps on other origins read the id that error reports should quote.
    exposedHeaders: ['X-Request-Id'],
  });
  const parseJson = bodyParser.json({ limit: MAX_BODY_BYTES });
  const logLines = logger.isLevelEnabled('info');

  return (req, res) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdOf(req);
    let log: Logger | undefined;
    const requestLog = () => (log ??= logger.child({ requestId }));
    let aborter: AbortController | undefined;
    const abortSignal = () => {
      if (aborter === undefined) {
        const controller = new AbortController();
        aborter = controller;
        if (req.socket.destroyed) {
          controller.abort();
        } else {
          res.once('close', () => {
            if (!res.writableFinished) controller.abort();
          });
        }
      }
      return aborter.signal;
    };
    res.setHeader('X-Request-Id', requestId);
    for (const [name, value] of RESPONSE_HEADERS) res.setHeader(name, value);

    let requestContext: RequestContext | undefined;
    // The error codes of a request rejected before its operation ran, for the log line.
    let rejectedWith: string | undefined;
    if (logLines) {
      res.once('finish', () => {
        const operation = requestContext?.completion.operation ?? (rejectedWith === undefined ? undefined : { outcome: rejectedWith });
        requestLog().info({ ...completionFields(req, res, started), ...operation }, 'request completed');
      });
    }

    const fail = (error: unknown) => {
      const { status, message, code } = describeHttpError(error);
      if (status >= 500) requestLog().error({ err: error }, 'unexpected error in an HTTP request');
      else requestLog().warn({ status, code }, 'HTTP request rejected');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      rejectedWith = code;
      sendJson(res, status, JSON.stringify({ errors: [{ message, extensions: { code } }] }));
    };

    // cors ends preflight (OPTIONS) requests itself and calls back only for the others.
    allowCors(req, res, () => {
      if (req.method === 'OPTIONS') {
        // A preflight from an origin outside CORS_ORIGINS: no CORS headers, so the browser stops there.
        res.setHeader('Allow', 'GET, HEAD, POST');
        res.statusCode = 204;
        res.end();
        return;
      }
      parseJson(req, res, (parseError?: unknown) => {
        if (parseError) {
          fail(parseError);
          return;
        }
        const httpGraphQLRequest = toApolloRequest(req);
        apollo
          .executeHTTPGraphQLRequest({
            httpGraphQLRequest,
            context: async () => {
              requestContext = buildContext(context, {
                requestId,
                log: requestLog,
                signal: abortSignal,
                authorization: req.headers.authorization,
                client: { ip: proxyTrust.clientIp(req), userAgent: req.headers['user-agent'] ?? null },
                cookies: createCookieJar(req, res, proxyTrust.secure(req)),
              });
              return requestContext;
            },
          })
          .then(async (response) => {
            const status = response.status ?? 200;
            for (const [name, value] of response.headers) res.setHeader(name, value);
            if (response.body.kind === 'complete') {
              // Apollo Server rejected the request before any plugin saw an operation.
              const rejected = status >= 400 && requestContext?.completion.operation === undefined;
              if (logLines && rejected) rejectedWith = errorCodesOf(response.body.string);
              sendJson(res, status, response.body.string);
              return;
            }
            res.statusCode = status;
            for await (const chunk of response.body.asyncIterator) res.write(chunk);
            res.end();
          })
          .catch(fail);
      });
    });
  };
}

/** Returns the distinct error codes of a GraphQL error response, comma-separated. */
function errorCodesOf(body: string): string {
  try {
    const errors = (JSON.parse(body) as { errors?: Array<{ extensions?: { code?: unknown } }> }).errors ?? [];
    return [...new Set(errors.map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))].join(',');
  } catch {
    return 'INTERNAL_SERVER_ERROR';
  }
}

function sendJson(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  if (!res.hasHeader('Content-Type')) res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

function toApolloRequest(req: IncomingMessage & { body?: unknown }): HTTPGraphQLRequest {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = req.url ?? '';
  const queryStart = url.indexOf('?');
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    headers,
    search: queryStart === -1 ? '' : url.slice(queryStart),
    body: req.body,
  };
}
