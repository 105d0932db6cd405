import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AuthError } from '../domain/errors.js';

export interface RateLimitOutcome {
  headers: Record<string, string>;
}

export interface RateLimiter {
  /** Spends one request of `subject`'s window; throws a rate_limited AuthError (with headers) when none is left. */
  consume(subject: string): Promise<RateLimitOutcome>;
}

/** Fixed-window limit per API key in Redis, shared by every API process. */
export function createRateLimiter(redis: Redis, opts: { max: number; windowSeconds: number; keyPrefix: string }): RateLimiter {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${opts.keyPrefix}:rl`,
    points: opts.max,
    duration: opts.windowSeconds,
    // While Redis is unreachable each process limits on its own, at once, instead of waiting for it.
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ points: opts.max, duration: opts.windowSeconds }),
  });
  const headersFor = (res: RateLimiterRes) => ({
    'RateLimit-Limit': String(opts.max),
    'RateLimit-Remaining': String(Math.max(0, res.remainingPoints)),
    'RateLimit-Reset': String(Math.max(1, Math.ceil(res.msBeforeNext / 1000))),
  });
  return {
    async consume(subject) {
      try {
        return { headers: headersFor(await limiter.consume(subject)) };
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        const headers = headersFor(err);
        throw new AuthError('rate_limited', `Rate limit of ${opts.max} requests per ${opts.windowSeconds}s exceeded`, {
          headers: { ...headers, 'Retry-After': headers['RateLimit-Reset'] },
        });
      }
    },
  };
}
