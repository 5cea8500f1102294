import DataLoader from 'dataloader';
import type { Request, Response } from 'express';
import type {} from 'pino-http';
import type { AuthProblem, AuthService, Viewer } from '../auth/auth.service';
import type { RequestContext } from '../auth/context';
import type { User } from '../auth/user.entity';
import type { Config } from '../config';
import type { Logger } from '../logging';
import type { RateLimiter } from '../rate-limit';
import type { Sql } from '../sql';

export interface ContextDependencies {
  config: Config;
  sql: Sql;
  auth: AuthService;
  rateLimiter: RateLimiter;
  log: Logger;
}

// The scheme name is case-insensitive (RFC 9110, section 11.1).
const BEARER_PATTERN = /^Bearer +([A-Za-z0-9_.-]+) *$/i;

/**
 * Builds a request's context: the caller, resolved lazily from the `Authorization: Bearer`
 * header at most once, and a DataLoader that never outlives the request.
 */
export function buildContext(dependencies: ContextDependencies, req: Request, res: Response): RequestContext {
  const requestId = String(req.id ?? '');
  const log = (req.log as Logger | undefined) ?? dependencies.log.child({ requestId });

  const userLoader = new DataLoader<string, User | undefined>((ids) => dependencies.auth.findUsersByIds(ids));

  let viewer: Promise<Viewer | undefined> | undefined;
  let resolved: Viewer | undefined;
  let problem: AuthProblem = 'missing';
  const resolveViewer = async (): Promise<Viewer | undefined> => {
    const header = req.headers.authorization;
    if (header === undefined) return undefined;
    const match = BEARER_PATTERN.exec(header);
    if (!match) {
      problem = 'invalid';
      return undefined;
    }
    const found = await dependencies.auth.resolveViewer(match[1]);
    if (typeof found === 'string') {
      problem = found;
      return undefined;
    }
    // The caller owns every task a request can reach, so Task.owner is usually served from here.
    userLoader.prime(found.user.id, found.user);
    resolved = found;
    return found;
  };

  return {
    requestId,
    config: dependencies.config,
    log,
    client: { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null },
    req,
    res,
    sql: dependencies.sql,
    auth: dependencies.auth,
    rateLimiter: dependencies.rateLimiter,
    userLoader,
    viewer: () => (viewer ??= resolveViewer()),
    resolvedViewer: () => resolved,
    authProblem: () => problem,
  };
}
