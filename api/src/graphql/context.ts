import DataLoader from 'dataloader';
import type { Request, Response } from 'express';
import type {} from 'pino-http';
import type { AuthService, Viewer } from '../auth/auth.service';
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

const BEARER_PATTERN = /^Bearer ([A-Za-z0-9_.-]+)$/;

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
  const resolveViewer = (): Promise<Viewer | undefined> => {
    const match = BEARER_PATTERN.exec(req.headers.authorization ?? '');
    if (!match) return Promise.resolve(undefined);
    return dependencies.auth.resolveViewer(match[1]).then((found) => {
      // The caller owns every task a request can reach, so Task.owner is usually served from here.
      if (found) userLoader.prime(found.user.id, found.user);
      resolved = found;
      return found;
    });
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
  };
}
