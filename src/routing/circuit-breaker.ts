import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitView {
  state: CircuitState;
  consecutive_failures: number;
  open_until: string | null;
}

/**
 * One circuit per gateway account, in Redis so every API process sees the same state: after
 * `failures` consecutive retryable failures the account is skipped for `openSeconds`, then a single
 * request (whoever takes the probe lock) tries it. Redis being away means "closed": availability first.
 */
export function createCircuitBreaker(redis: Redis, opts: { keyPrefix: string; failures: number; openSeconds: number; logger: Logger }) {
  const key = (accountId: string) => `${opts.keyPrefix}:cb:${accountId}`;
  const read = async (accountId: string) => {
    const h = await redis.hgetall(key(accountId));
    return { failures: Number(h.failures ?? 0), openUntil: Number(h.open_until ?? 0) };
  };
  const safely = async <T>(fallback: T, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      opts.logger.warn({ err: (err as Error).message }, 'circuit breaker state unavailable; treating as closed');
      return fallback;
    }
  };

  return {
    /** Whether this request may call the account now (taking the single half-open probe if due). */
    allow: (accountId: string): Promise<boolean> =>
      safely(true, async () => {
        const { openUntil } = await read(accountId);
        if (!openUntil) return true;
        if (Date.now() < openUntil) return false;
        // Half open: one probe per open period, across all processes.
        return (await redis.set(`${key(accountId)}:probe`, '1', 'PX', opts.openSeconds * 1000, 'NX')) === 'OK';
      }),
    recordSuccess: (accountId: string): Promise<void> =>
      safely(undefined, async () => {
        await redis.del(key(accountId), `${key(accountId)}:probe`);
      }),
    /** A retryable failure (network, timeout, 5xx, 429); declines do not count. Resolves true when it opened the circuit. */
    recordFailure: (accountId: string): Promise<boolean> =>
      safely(false, async () => {
        const failures = await redis.hincrby(key(accountId), 'failures', 1);
        // Forget old streaks eventually, so a rare failure a week later does not count.
        await redis.pexpire(key(accountId), Math.max(opts.openSeconds * 1000 * 10, 600_000));
        if (failures < opts.failures) return false;
        await redis.hset(key(accountId), 'open_until', String(Date.now() + opts.openSeconds * 1000));
        await redis.del(`${key(accountId)}:probe`);
        opts.logger.warn({ account: accountId, failures }, 'circuit opened for gateway account');
        return true;
      }),
    view: (accountId: string): Promise<CircuitView> =>
      safely<CircuitView>({ state: 'closed', consecutive_failures: 0, open_until: null }, async () => {
        const { failures, openUntil } = await read(accountId);
        const state: CircuitState = !openUntil ? 'closed' : Date.now() < openUntil ? 'open' : 'half_open';
        return { state, consecutive_failures: failures, open_until: openUntil ? new Date(openUntil).toISOString() : null };
      }),
  };
}

export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;
