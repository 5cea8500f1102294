import type DataLoader from 'dataloader';
import type { Request, Response } from 'express';
import type { Sql } from '../sql';
import type { Config } from '../config';
import { UnauthenticatedError } from '../errors';
import type { Logger } from '../logging';
import type { RateLimiter } from '../rate-limit';
import { AUTH_PROBLEMS, type AuthProblem, type AuthService, type ClientInfo, type Viewer } from './auth.service';
import type { User } from './user.entity';

/** Context that every resolver receives, built once per request by graphql/context.ts. */
export interface RequestContext {
  requestId: string;
  config: Config;
  log: Logger;
  client: ClientInfo;
  req: Request;
  res: Response;
  sql: Sql;
  auth: AuthService;
  rateLimiter: RateLimiter;
  /** Users by id, batched and cached for this request only. */
  userLoader: DataLoader<string, User | undefined>;
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
