import type { Redis } from 'ioredis';
import { gatewayAccountsRepo } from '../db/gateway-accounts-repo.js';
import { runPaymentWaiter, type PaymentWaiterDeps } from '../invoices/payment-waiter.js';
import { tryAcquireLease } from './redis-lease.js';

export interface PaymentWaitersOptions {
  /** Redis key prefix (QUEUE_PREFIX), shared by every worker of one deployment. */
  keyPrefix: string;
  /** How often accounts are listed again (new ones get a waiter, removed ones lose theirs). */
  scanMs: number;
  /** Lease TTL: how long a dead worker's accounts wait before another worker takes them over. */
  leaseMs: number;
}

export interface RunningPaymentWaiters {
  /** Accounts this process is waiting on now. */
  accounts(): string[];
  /** Stops every waiter at once (their long polls are aborted) and frees their leases. */
  close(): Promise<void>;
}

/**
 * The worker's payment waiters: one long poll per enabled account of a connector that has them
 * (`paymentWaits`), across all worker processes. Each account's waiter runs where its Redis
 * lease was taken; every scan, this process tries to take the leases of accounts nobody waits on,
 * stops the waiters of accounts that were disabled or deleted, and restarts those whose account
 * changed (new credentials end a refusal back-off at once). Two waiters on one account
 * (a lease lost during a Redis outage) would only apply a payment twice, which is harmless.
 */
export function startPaymentWaiters(deps: PaymentWaiterDeps & { redis: Redis }, opts: PaymentWaitersOptions): RunningPaymentWaiters {
  const connectorIds = deps.connectors
    .all()
    .filter((c) => c.paymentWaits)
    .map((c) => c.manifest.id);
  /** `version`: the account's updated_at when its waiter started; a change (new credentials) restarts it. */
  const running = new Map<string, { stop: AbortController; done: Promise<void>; version: number }>();
  let closing = false;
  let scanning: Promise<void> | undefined;

  function start(accountId: string, version: number, lease: { lost: AbortSignal; release(): Promise<void> }) {
    const stop = new AbortController();
    const signal = AbortSignal.any([stop.signal, lease.lost]);
    lease.lost.addEventListener('abort', () => deps.logger.warn({ account: accountId, reason: String(lease.lost.reason) }, 'payment waiter lease lost; stopping it here'), { once: true });
    deps.logger.info({ account: accountId }, 'payment waiter started');
    const done = runPaymentWaiter(deps, accountId, signal)
      .catch((err: unknown) => deps.logger.error({ err, account: accountId }, 'payment waiter crashed; the next scan starts it again'))
      .finally(async () => {
        await lease.release();
        running.delete(accountId);
        deps.logger.info({ account: accountId }, 'payment waiter stopped');
      });
    running.set(accountId, { stop, done, version });
  }

  async function scan() {
    const accounts = new Map((await gatewayAccountsRepo.listEnabledOf(deps.db, connectorIds)).map((a) => [a.id, a.updated_at.getTime()]));
    // Disabled or deleted: stop. Changed (e.g. a revoked rune replaced): stop now, start afresh at the next scan.
    for (const [id, waiter] of running) if (accounts.get(id) !== waiter.version) waiter.stop.abort();
    for (const [id, version] of accounts) {
      if (closing || running.has(id)) continue;
      const lease = await tryAcquireLease(deps.redis, `${opts.keyPrefix}:payment-waiter:${id}`, opts.leaseMs);
      if (lease && closing) await lease.release();
      else if (lease) start(id, version, lease);
    }
  }

  const tick = () => {
    if (closing || scanning) return;
    scanning = scan()
      .catch((err: unknown) => deps.logger.warn({ err: (err as Error).message }, 'payment waiter scan failed; retrying at the next one'))
      .finally(() => (scanning = undefined));
  };
  const timer = connectorIds.length ? setInterval(tick, opts.scanMs) : undefined;
  timer?.unref();
  if (timer) tick();

  return {
    accounts: () => [...running.keys()],
    async close() {
      closing = true;
      clearInterval(timer);
      await scanning;
      const waiters = [...running.values()];
      for (const w of waiters) w.stop.abort();
      await Promise.all(waiters.map((w) => w.done));
    },
  };
}
