import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Extends the key's life only while it still holds our token. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** Deletes the key only while it still holds our token (never someone else's lease). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface Lease {
  /** Aborted once the lease may belong to someone else: renewal found another token, or could not reach Redis for a whole TTL. */
  readonly lost: AbortSignal;
  /** Stops renewing and frees the key (if still ours) so another process can take over at once. */
  release(): Promise<void>;
}

/**
 * A lease on one key across processes: `SET key token NX PX ttl`, renewed every third of the TTL
 * by its holder. When the holder dies the key expires and another process takes it. A holder that
 * cannot renew stops itself once a full TTL has passed since its last renewal, which is when
 * Redis would let someone else in.
 */
export async function tryAcquireLease(redis: Redis, key: string, ttlMs: number): Promise<Lease | null> {
  const token = randomBytes(16).toString('hex');
  if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return null;
  const lost = new AbortController();
  let renewedAt = Date.now();
  const renew = async () => {
    try {
      const still = await redis.eval(RENEW, 1, key, token, String(ttlMs));
      if (Number(still) === 1) renewedAt = Date.now();
      else lost.abort(new Error(`lease ${key} was taken over`));
    } catch {
      if (Date.now() - renewedAt >= ttlMs) lost.abort(new Error(`lease ${key} could not be renewed for ${ttlMs} ms`));
    }
  };
  const timer = setInterval(() => void renew(), Math.max(50, Math.floor(ttlMs / 3)));
  timer.unref();
  lost.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  return {
    lost: lost.signal,
    async release() {
      clearInterval(timer);
      await redis.eval(RELEASE, 1, key, token).catch(() => undefined); // unreachable Redis: the TTL frees it
    },
  };
}
