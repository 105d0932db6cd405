import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { followChannel } from '../redis-channel.js';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitView {
  state: CircuitState;
  consecutive_failures: number;
  open_until: string | null;
}

/** What this process knows of one account's circuit: its streak of failures and until when it is open. */
interface Known {
  failures: number;
  openUntil: number;
}

/** A failure or a reset, published so every process's copy follows at once. */
interface Change {
  account: string;
  failures: number;
  openUntil: number;
}

/**
 * One circuit per gateway account, shared by every API process: after `failures` consecutive
 * retryable failures the account is skipped for `openSeconds`, then a single request (whoever
 * takes the probe lock) tries it.
 *
 * The state lives in Redis, and each process keeps a copy that Redis pub/sub keeps current, so the
 * healthy path costs no round trip: an account is read from Redis once per process, and a success
 * touches Redis only when there was a streak to clear. Failures (rare) write to Redis and publish.
 * Redis being away means "closed": availability first.
 */
export function createCircuitBreaker(redis: Redis, opts: { keyPrefix: string; failures: number; openSeconds: number; logger: Logger }) {
  const key = (accountId: string) => `${opts.keyPrefix}:cb:${accountId}`;
  const channel = `${opts.keyPrefix}:cb:changes`;
  const known = new Map<string, Known>();

  const read = async (accountId: string): Promise<Known> => {
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
  const publish = (change: Change) => redis.publish(channel, JSON.stringify(change));

  // Other processes' failures and resets. A missed message only means this copy is stale until
  // the next change or the account's next failure here; the probe lock stays in Redis.
  let subscription: { close(): void } | undefined;
  function follow(): void {
    subscription ??= followChannel(redis, channel, {
      subject: 'other processes\' circuit breaker changes',
      logger: opts.logger,
      onMessage: (message) => {
        try {
          const change = JSON.parse(message) as Change;
          known.set(change.account, { failures: change.failures, openUntil: change.openUntil });
        } catch {
          // not ours
        }
      },
    });
  }

  /** This process's copy of an account's circuit, read from Redis the first time. */
  async function current(accountId: string): Promise<Known> {
    follow();
    const seen = known.get(accountId);
    if (seen) return seen;
    const fresh = await safely<Known>({ failures: 0, openUntil: 0 }, () => read(accountId));
    known.set(accountId, fresh);
    return fresh;
  }

  return {
    /** Whether this request may call the account now (taking the single half-open probe if due). */
    async allow(accountId: string): Promise<boolean> {
      const { openUntil } = await current(accountId);
      if (!openUntil) return true;
      if (Date.now() < openUntil) return false;
      // Half open: one probe per open period, across all processes.
      return safely(true, async () => (await redis.set(`${key(accountId)}:probe`, '1', 'PX', opts.openSeconds * 1000, 'NX')) === 'OK');
    },
    /** A success clears the streak; Redis is only written when there is one to clear. */
    async recordSuccess(accountId: string): Promise<void> {
      const seen = await current(accountId);
      if (!seen.failures && !seen.openUntil) return;
      known.set(accountId, { failures: 0, openUntil: 0 });
      await safely(undefined, async () => {
        await redis.del(key(accountId), `${key(accountId)}:probe`);
        await publish({ account: accountId, failures: 0, openUntil: 0 });
      });
    },
    /** A retryable failure (network, timeout, 5xx, 429); declines do not count. Resolves true when it opened the circuit. */
    recordFailure: (accountId: string): Promise<boolean> =>
      safely(false, async () => {
        follow();
        const failures = await redis.hincrby(key(accountId), 'failures', 1);
        // Forget old streaks eventually, so a rare failure a week later does not count.
        await redis.pexpire(key(accountId), Math.max(opts.openSeconds * 1000 * 10, 600_000));
        if (failures < opts.failures) {
          known.set(accountId, { failures, openUntil: known.get(accountId)?.openUntil ?? 0 });
          await publish({ account: accountId, failures, openUntil: known.get(accountId)!.openUntil });
          return false;
        }
        const openUntil = Date.now() + opts.openSeconds * 1000;
        await redis.hset(key(accountId), 'open_until', String(openUntil));
        await redis.del(`${key(accountId)}:probe`);
        known.set(accountId, { failures, openUntil });
        await publish({ account: accountId, failures, openUntil });
        opts.logger.warn({ account: accountId, failures }, 'circuit opened for gateway account');
        return true;
      }),
    /** The shared state as Redis holds it (what the account's `circuit` shows). */
    view: (accountId: string): Promise<CircuitView> =>
      safely<CircuitView>({ state: 'closed', consecutive_failures: 0, open_until: null }, async () => {
        const { failures, openUntil } = await read(accountId);
        const state: CircuitState = !openUntil ? 'closed' : Date.now() < openUntil ? 'open' : 'half_open';
        return { state, consecutive_failures: failures, open_until: openUntil ? new Date(openUntil).toISOString() : null };
      }),
    /** Whether this process currently skips the account (no Redis round trip; the checkout's offer uses it). */
    async isOpen(accountId: string): Promise<boolean> {
      const { openUntil } = await current(accountId);
      return openUntil > Date.now();
    },
    async close(): Promise<void> {
      subscription?.close();
    },
  };
}

export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;
