import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AuthError } from '../domain/errors.js';

export interface RateLimitOutcome {
  headers: Record<string, string>;
}

export interface RateLimiter {
  /** Spends one request of `subject`'s window; throws a rate_limited AuthError (with headers) when none is left. */
  consume(subject: string): Promise<RateLimitOutcome>;
}

/**
 * Takes up to ARGV[1] requests of a fixed window (ARGV[2] requests, ARGV[3] ms long, started by
 * its first request) in one step. Whatever it cannot grant goes straight back, so a refusal does
 * not use the window up and the counter never exceeds the limit. Returns {granted, used, ms left}.
 */
const LEASE_SCRIPT = `
local want = tonumber(ARGV[1])
local used = redis.call('INCRBY', KEYS[1], want)
if used == want then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
local granted = math.max(0, math.min(want, tonumber(ARGV[2]) - (used - want)))
if granted < want then used = redis.call('DECRBY', KEYS[1], want - granted) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]); ttl = tonumber(ARGV[3]) end
return {granted, used, ttl}
`;

/** What this process holds of one subject's current window. */
interface Lease {
  /** Requests taken from Redis and not spent yet. */
  left: number;
  /** The window's count in Redis when last asked (this process's unspent lease included). */
  used: number;
  /** When the window ends (ms since epoch, by this process's clock). */
  resetAt: number;
}

interface LeaseCommand {
  rateLimitLease?(key: string, want: number, max: number, windowMs: number): Promise<[number, number, number]>;
}

/**
 * Fixed-window limit per subject (an API key), shared by every API process through Redis, without
 * a Redis round trip per request: a process takes a small lease of the window's budget (1/50 of
 * it, 1 to 100 requests) and spends it locally. Leases never exceed the limit, so the processes
 * together never admit more than `max` per window; a lease a process does not spend before the
 * window ends is lost, so several processes can refuse up to (processes - 1) leases early.
 */
export function createRateLimiter(redis: Redis, opts: { max: number; windowSeconds: number; keyPrefix: string }): RateLimiter {
  const windowMs = opts.windowSeconds * 1000;
  const leaseSize = Math.min(100, Math.max(1, Math.floor(opts.max / 50)));
  // The most recent subjects' leases (lru-cache allocates for `max` up front); an evicted lease's
  // unspent requests are simply lost: that can refuse early, never admit more.
  const leases = new LRUCache<string, Lease>({ max: 10_000, ttl: windowMs, ttlAutopurge: false });
  // While Redis is unreachable each process limits on its own, at once, instead of waiting for it.
  const insurance = new RateLimiterMemory({ points: opts.max, duration: opts.windowSeconds });
  const withLease = redis as unknown as LeaseCommand;
  if (!withLease.rateLimitLease) redis.defineCommand('rateLimitLease', { numberOfKeys: 1, lua: LEASE_SCRIPT });

  const headers = (remaining: number, resetMs: number) => ({
    'RateLimit-Limit': String(opts.max),
    'RateLimit-Remaining': String(Math.max(0, remaining)),
    'RateLimit-Reset': String(Math.max(1, Math.ceil(resetMs / 1000))),
  });
  const refuse = (resetMs: number) => {
    const h = headers(0, resetMs);
    return new AuthError('rate_limited', `Rate limit of ${opts.max} requests per ${opts.windowSeconds}s exceeded`, {
      headers: { ...h, 'Retry-After': h['RateLimit-Reset'] },
    });
  };
  const spend = (lease: Lease, now: number): RateLimitOutcome => {
    lease.left -= 1;
    return { headers: headers(opts.max - lease.used + lease.left, lease.resetAt - now) };
  };

  async function lease(subject: string, now: number): Promise<Lease> {
    const key = `${opts.keyPrefix}:rl:${subject}`;
    const [granted, used, ttl] = await withLease.rateLimitLease!(key, leaseSize, opts.max, windowMs);
    if (granted === 0) throw refuse(ttl);
    // Requests that raced this one for the same subject may have leased too: their leftovers add up.
    const held = leases.get(subject);
    const fresh: Lease = { left: granted + (held && held.resetAt > now ? held.left : 0), used, resetAt: now + ttl };
    leases.set(subject, fresh, { ttl });
    return fresh;
  }

  return {
    async consume(subject) {
      const now = Date.now();
      const held = leases.get(subject);
      if (held && held.left > 0 && held.resetAt > now) return spend(held, now);
      if (redis.status === 'ready') {
        try {
          return spend(await lease(subject, now), now);
        } catch (err) {
          if (err instanceof AuthError) throw err;
          // Redis failed mid-call: fall through to this process's own limit.
        }
      }
      try {
        const res = await insurance.consume(subject);
        return { headers: headers(res.remainingPoints, res.msBeforeNext) };
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        throw refuse(err.msBeforeNext);
      }
    },
  };
}
