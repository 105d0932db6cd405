import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../src/security/rate-limiter.js';
import { AuthError } from '../src/domain/errors.js';
import { deleteRedisKeys, TEST_REDIS_URL } from './helpers/harness.js';

const prefix = `sytest:rl:${randomBytes(4).toString('hex')}`;
const connections: Redis[] = [];
const connect = () => {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 });
  connections.push(redis);
  return redis;
};
const ready = async (redis: Redis) => {
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
};

afterAll(async () => {
  await deleteRedisKeys(prefix);
  for (const c of connections) c.disconnect();
});

/** Spends until refused; the number admitted. */
async function admitted(limiter: ReturnType<typeof createRateLimiter>, subject: string, atMost: number): Promise<number> {
  let n = 0;
  for (; n < atMost; n++) {
    try {
      await limiter.consume(subject);
    } catch (err) {
      expect(err).toBeInstanceOf(AuthError);
      expect((err as AuthError).code).toBe('rate_limited');
      break;
    }
  }
  return n;
}

describe('the rate limiter (leases of a shared Redis budget)', () => {
  it('one process admits exactly the limit, counting down RateLimit-Remaining one by one', async () => {
    const redis = connect();
    await ready(redis);
    const limiter = createRateLimiter(redis, { max: 500, windowSeconds: 60, keyPrefix: prefix });
    const remaining: number[] = [];
    for (let i = 0; i < 500; i++) remaining.push(Number((await limiter.consume('one')).headers['RateLimit-Remaining']));
    expect(remaining).toEqual(Array.from({ length: 500 }, (_, i) => 499 - i));
    expect(await admitted(limiter, 'one', 10)).toBe(0);
  });

  it('processes sharing Redis never admit more than the limit together, and only a lease fewer at worst', async () => {
    const [a, b, c] = [connect(), connect(), connect()];
    await Promise.all([a, b, c].map(ready));
    const limiters = [a, b, c].map((r) => createRateLimiter(r, { max: 1000, windowSeconds: 60, keyPrefix: prefix }));
    // Interleaved and concurrent, as three API processes under load would spend it.
    const results = await Promise.all(limiters.map((l) => admitted(l, 'shared', 2000)));
    const total = results.reduce((x, y) => x + y, 0);
    expect(total).toBeLessThanOrEqual(1000);
    // Lease size is max/50 = 20: at most two processes' unspent leases are lost.
    expect(total).toBeGreaterThanOrEqual(1000 - 2 * 20);
    expect(Number(await a.get(`${prefix}:rl:shared`))).toBeLessThanOrEqual(1000);
  });

  it('with Redis unreachable, each process limits on its own at once instead of waiting', async () => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    connections.push(down);
    const limiter = createRateLimiter(down, { max: 5, windowSeconds: 60, keyPrefix: prefix });
    expect(await admitted(limiter, 'offline', 10)).toBe(5);
  });
});
