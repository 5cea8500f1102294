import type { AuthProblem, AuthService, ClientInfo, Viewer } from '../auth/auth.service';
import type { CookieJar, OperationSummary, RequestContext } from '../auth/context';
import type { Config } from '../config';
import type { Logger } from '../logging';
import type { RateLimiter } from '../rate-limit';
import type { Sql } from '../sql';

export interface ContextDependencies {
  config: Config;
  sql: Sql;
  auth: AuthService;
  rateLimiter: RateLimiter;
}

// The scheme name is case-insensitive (RFC 9110, section 11.1).
const BEARER_PATTERN = /^Bearer +([A-Za-z0-9_.-]+) *$/i;

/** Request details that the HTTP handler passes in to build the context. */
export interface RequestInfo {
  requestId: string;
  /** The request's logger, carrying its id. It is made on first use, since most requests log only their completion line. */
  log: () => Logger;
  /** The request's abort signal (see RequestContext.signal), made on first use. */
  signal: () => AbortSignal;
  /** The Authorization header, if any. */
  authorization: string | undefined;
  client: ClientInfo;
  cookies: CookieJar;
}

/**
 * A request's context, with the caller resolved lazily from the `Authorization: Bearer` header.
 * Apollo Server passes resolvers a shallow copy of the context, so the lookup is cached in the
 * shared `state` object, and `log` is an accessor on the prototype, which the copy does not call.
 */
class GraphqlRequestContext implements RequestContext {
  readonly requestId: string;
  readonly config: Config;
  readonly client: ClientInfo;
  readonly cookies: CookieJar;
  readonly completion: { operation?: OperationSummary } = {};
  readonly sql: Sql;
  readonly auth: AuthService;
  readonly rateLimiter: RateLimiter;
  private readonly state: { viewer?: Promise<Viewer | undefined>; resolved?: Viewer; problem: AuthProblem } = { problem: 'missing' };

  constructor(
    dependencies: ContextDependencies,
    private readonly request: RequestInfo,
  ) {
    this.requestId = request.requestId;
    this.config = dependencies.config;
    this.client = request.client;
    this.cookies = request.cookies;
    this.sql = dependencies.sql;
    this.auth = dependencies.auth;
    this.rateLimiter = dependencies.rateLimiter;
  }

  get log(): Logger {
    return this.request.log();
  }

  get signal(): AbortSignal {
    return this.request.signal();
  }

  viewer(): Promise<Viewer | undefined> {
    return (this.state.viewer ??= this.resolveViewer());
  }

  resolvedViewer(): Viewer | undefined {
    return this.state.resolved;
  }

  authProblem(): AuthProblem {
    return this.state.problem;
  }

  private async resolveViewer(): Promise<Viewer | undefined> {
    const header = this.request.authorization;
    if (header === undefined) return undefined;
    const match = BEARER_PATTERN.exec(header);
    if (!match) {
      this.state.problem = 'invalid';
      return undefined;
    }
    const found = await this.auth.resolveViewer(match[1]);
    if (typeof found === 'string') {
      this.state.problem = found;
      return undefined;
    }
    this.state.resolved = found;
    return found;
  }
}

export function buildContext(dependencies: ContextDependencies, request: RequestInfo): RequestContext {
  return new GraphqlRequestContext(dependencies, request);
}
