import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { MiddlewareFn } from 'type-graphql';
import type { Config } from './config';
import { RateLimitedError } from './errors';

const FIFTEEN_MINUTES = 15 * 60;
const ONE_HOUR = 60 * 60;
const ONE_MINUTE = 60;

/** Failed sign-ins on one account, from any IPs, after which a warning is logged (nothing is blocked). */
export const ACCOUNT_FAILURE_WARNING_THRESHOLD = 20;

/**
 * Counters of sign-in, registration, refresh, password-check and task-mutation attempts, built
 * on rate-limiter-flexible: atomic in Redis (shared by every API process) when REDIS_URL is
 * set, in memory otherwise. Each consuming method throws RATE_LIMITED with the seconds until
 * the caller may retry. No limit is keyed on an account alone before sign-in, so that no one
 * can lock a person out of their own account from another IP.
 */
export class RateLimiter {
  private readonly loginFailures: RateLimiterAbstract;
  private readonly loginAttempts: RateLimiterAbstract;
  private readonly accountFailures: RateLimiterAbstract;
  private readonly registrations: RateLimiterAbstract;
  private readonly refreshes: RateLimiterAbstract;
  private readonly passwordChecks: RateLimiterAbstract;
  private readonly taskMutations: RateLimiterAbstract;

  constructor(config: Pick<Config, 'rateLimits' | 'rateLimitKeyPrefix'>, redis?: Redis) {
    const make = (name: string, points: number, duration: number): RateLimiterAbstract => {
      const keyPrefix = `${config.rateLimitKeyPrefix}:${name}`;
      return redis
        ? new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration })
        : new RateLimiterMemory({ keyPrefix, points, duration });
    };
    const limits = config.rateLimits;
    this.loginFailures = make('login-failures', limits.loginFailures, FIFTEEN_MINUTES);
    this.loginAttempts = make('login-attempts', limits.loginAttempts, FIFTEEN_MINUTES);
    // Only counted, never enforced: its points are set far above the warning threshold.
    this.accountFailures = make('account-failures', Number.MAX_SAFE_INTEGER, FIFTEEN_MINUTES);
    this.registrations = make('register', limits.register, ONE_HOUR);
    this.refreshes = make('refresh', limits.refresh, ONE_MINUTE);
    this.passwordChecks = make('password-checks', limits.passwordChecks, FIFTEEN_MINUTES);
    this.taskMutations = make('task-mutations', limits.taskMutations, ONE_MINUTE);
  }

  /**
   * Counts a sign-in attempt against the IP's limit and its email and IP pair's failure limit.
   * The failure point is taken before the password check, so that parallel attempts cannot all
   * pass a check first. A successful sign-in then resets the pair with `loginSucceeded`.
   */
  async beginLogin(email: string, ip: string): Promise<void> {
    await consume(this.loginAttempts, ip);
    await consume(this.loginFailures, pairKey(email, ip));
  }

  async loginSucceeded(email: string, ip: string): Promise<void> {
    await this.loginFailures.delete(pairKey(email, ip));
  }

  /**
   * Counts a failed sign-in on an account from any IP, and returns true when the count reaches
   * ACCOUNT_FAILURE_WARNING_THRESHOLD within 15 minutes, so that the caller logs one warning.
   */
  async loginFailed(email: string): Promise<boolean> {
    const result = await this.accountFailures.penalty(email, 1);
    return result.consumedPoints === ACCOUNT_FAILURE_WARNING_THRESHOLD;
  }

  async register(ip: string): Promise<void> {
    await consume(this.registrations, ip);
  }

  async refresh(sessionId: string): Promise<void> {
    await consume(this.refreshes, sessionId);
  }

  /** Counts a password check of a signed-in account (changePassword, deleteAccount); a correct one resets it. */
  async beginPasswordCheck(userId: string): Promise<void> {
    await consume(this.passwordChecks, userId);
  }

  async passwordCheckSucceeded(userId: string): Promise<void> {
    await this.passwordChecks.delete(userId);
  }

  async taskMutation(userId: string): Promise<void> {
    await consume(this.taskMutations, userId);
  }
}

/** Part of a request's context that the task mutation middleware uses. */
export interface RateLimitedContext {
  rateLimiter: RateLimiter;
  viewer(): Promise<{ user: { id: string } } | undefined>;
}

/**
 * Resolver middleware that counts each call of a task mutation, every alias included, against
 * the caller's per-minute limit. It runs after @Authorized, so the caller is known.
 */
export const TaskMutationRateLimit: MiddlewareFn<RateLimitedContext> = async ({ context }, next) => {
  const viewer = await context.viewer();
  if (viewer) await context.rateLimiter.taskMutation(viewer.user.id);
  return next();
};

function pairKey(email: string, ip: string): string {
  return `${email}|${ip}`;
}

async function consume(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    // rate-limiter-flexible rejects with a RateLimiterRes when the limit is reached, and with an Error when its store fails.
    if (rejection instanceof RateLimiterRes) throw new RateLimitedError(rejection.msBeforeNext / 1000);
    throw rejection;
  }
}
