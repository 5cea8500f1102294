import type { SerializeOptions } from 'cookie';
import type { Sql } from '../sql';
import type { Config } from '../config';
import { UnauthenticatedError } from '../errors';
import type { Logger } from '../logging';
import type { RateLimiter } from '../rate-limit';
import { AUTH_PROBLEMS, type AuthProblem, type AuthService, type ClientInfo, type Viewer } from './auth.service';

/** The request's cookies and the response's Set-Cookie headers, whichever HTTP handler serves the request. */
export interface CookieJar {
  /** Whether the client reached the API over HTTPS, directly or through a trusted proxy (TRUST_PROXY). */
  readonly secure: boolean;
  get(name: string): string | undefined;
  set(name: string, value: string, options: SerializeOptions): void;
}

/** Fields of the request's completion log line that describe its GraphQL operation. */
export interface OperationSummary {
  operationName: string | null;
  userId?: string;
  /** "ok", or the distinct error codes of the response. */
  outcome: string;
}

/** Context that every resolver receives, built once per request by graphql/context.ts. */
export interface RequestContext {
  requestId: string;
  config: Config;
  log: Logger;
  client: ClientInfo;
  cookies: CookieJar;
  /** Aborts when the client closes the connection before the response is sent. */
  readonly signal: AbortSignal;
  /** Filled in by the GraphQL layer once the response is known, for the request's completion log line. */
  readonly completion: { operation?: OperationSummary };
  sql: Sql;
  auth: AuthService;
  rateLimiter: RateLimiter;
  /** The caller, resolved from the bearer token at most once per request; undefined when anonymous or invalid. */
  viewer(): Promise<Viewer | undefined>;
  /** The caller if viewer() has already resolved, without a lookup: for the request log line. */
  resolvedViewer(): Viewer | undefined;
  /** Reason viewer() found no caller, meaningful once it has resolved to undefined. */
  authProblem(): AuthProblem;
}

/** Returns the caller, or throws UNAUTHENTICATED. The authChecker has run before any resolver that calls this. */
export async function requireViewer(context: RequestContext): Promise<Viewer> {
  const viewer = await context.viewer();
  if (!viewer) throw new UnauthenticatedError(AUTH_PROBLEMS[context.authProblem()]);
  return viewer;
}
