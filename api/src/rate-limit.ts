import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from './config';
import { RateLimitedError } from './errors';

const FIFTEEN_MINUTES = 15 * 60;
const ONE_HOUR = 60 * 60;
const ONE_MINUTE = 60;

/**
 * Counters of sign-in, registration and refresh attempts, built on rate-limiter-flexible:
 * atomic in Redis (shared by every API process) when REDIS_URL is set, in memory otherwise.
 * Each method throws RATE_LIMITED with the seconds until the caller may retry.
 */
export class RateLimiter {
  private readonly loginFailures: RateLimiterAbstract;
  private readonly loginAttempts: RateLimiterAbstract;
  private readonly registrations: RateLimiterAbstract;
  private readonly refreshes: RateLimiterAbstract;

  constructor(config: Pick<Config, 'rateLimits' | 'rateLimitKeyPrefix'>, redis?: Redis) {
    const make = (name: string, points: number, duration: number): RateLimiterAbstract => {
      const keyPrefix = `${config.rateLimitKeyPrefix}:${name}`;
      return redis
        ? new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration })
        : new RateLimiterMemory({ keyPrefix, points, duration });
    };
    this.loginFailures = make('login-failures', config.rateLimits.loginFailures, FIFTEEN_MINUTES);
    this.loginAttempts = make('login-attempts', config.rateLimits.loginAttempts, FIFTEEN_MINUTES);
    this.registrations = make('register', config.rateLimits.register, ONE_HOUR);
    this.refreshes = make('refresh', config.rateLimits.refresh, ONE_MINUTE);
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

  async register(ip: string): Promise<void> {
    await consume(this.registrations, ip);
  }

  async refresh(sessionId: string): Promise<void> {
    await consume(this.refreshes, sessionId);
  }
}

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
