import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Db } from '../../db/knex.js';
import { deliveriesRepo } from '../../db/deliveries-repo.js';
import { outboxRepo } from '../../db/outbox-repo.js';
import type { Metrics } from '../../metrics.js';
import type { DeliveryQueue } from './delivery-queue.js';
import { outboxChannel } from './outbox-wake.js';
import { followChannel } from '../../redis-channel.js';

/** Events per relay statement. */
const BATCH = 500;

export interface OutboxRelay {
  /** Turns every committed, not yet relayed event into deliveries; returns how many events. */
  drain(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The outbox relay: woken by a Redis message the moment a writer has committed events (see
 * outbox-wake.ts), and by a short poll in case a wake-up is lost, it fans each event out to one
 * delivery per subscribed endpoint and queues them. Rows are claimed with SKIP LOCKED, so any
 * number of workers can run it.
 */
export function startOutboxRelay(deps: { db: Db; redis: Redis; keyPrefix: string; deliveryQueue: DeliveryQueue; logger: Logger; pollMs: number }): OutboxRelay {
  const { db, deliveryQueue, logger } = deps;
  let closed = false;
  let running: Promise<number> | undefined;
  let again = false;

  /** One statement (claim, fan out, insert the deliveries), then one addBulk. */
  async function relayBatch(): Promise<number> {
    const relayed = await outboxRepo.relayBatch(db, BATCH);
    // After commit: a crash here leaves committed pending deliveries, which the sweeper queues.
    await deliveryQueue.enqueueMany(relayed.deliveries.map((d) => ({ deliveryId: d.id, eventId: d.event_id, endpointId: d.endpoint_id, attempt: 1 })));
    return relayed.events;
  }

  async function drainLoop(): Promise<number> {
    let total = 0;
    do {
      again = false;
      for (let n = BATCH; n === BATCH && !closed; total += n) n = await relayBatch();
    } while (again && !closed);
    return total;
  }

  /** Single flight: a wake-up during a drain makes it go round once more. */
  function drain(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = drainLoop()
      .catch((err: unknown) => {
        logger.error({ err }, 'outbox relay failed; will retry');
        return 0;
      })
      .finally(() => (running = undefined));
    return running;
  }

  // Every (re)connect drains once, for the wake-ups missed meanwhile; the poll covers the rest.
  const wakeUps = followChannel(deps.redis, outboxChannel(deps.keyPrefix), {
    subject: 'outbox wake-ups (polling meanwhile)',
    logger,
    onMessage: () => void drain(),
    onReady: () => void drain(),
  });
  const poll = setInterval(() => void drain(), deps.pollMs);
  poll.unref();

  return {
    drain,
    async close() {
      closed = true;
      clearInterval(poll);
      wakeUps.close();
      await running;
    },
  };
}

/**
 * Re-queues pending deliveries whose job is truly gone (Redis lost it, or it could never be queued).
 * A delivery qualifies only when its attempt is `graceMs` overdue (far above the queue's delay under a
 * burst), no job of its id is in the queue, and, read again after that check, it is still pending at
 * the same attempt: a job that finished meanwhile has moved it on. Finished jobs are removed, so job-id
 * dedupe alone cannot stop re-queuing a delivery that was just made. All in bulk: two statements and
 * two Redis round trips per sweep.
 */
export function startDeliverySweeper(deps: {
  db: Db;
  deliveryQueue: DeliveryQueue;
  logger: Logger;
  metrics: Metrics;
  everyMs: number;
  graceMs: number;
}): { sweep(): Promise<number>; close(): void } {
  let busy = false;
  async function sweep(): Promise<number> {
    if (busy) return 0;
    busy = true;
    try {
      const due = await deliveriesRepo.listDue(deps.db, deps.graceMs, 1000);
      const gone = await deps.deliveryQueue.missing(due.map((d) => ({ deliveryId: d.id, eventId: d.event_id, endpointId: d.endpoint_id, attempt: d.attempts + 1 })));
      const still = new Set((await deliveriesRepo.stillPending(deps.db, gone.map((j) => ({ id: j.deliveryId, attempts: j.attempt - 1 })))).map((d) => d.id));
      const lost = gone.filter((j) => still.has(j.deliveryId));
      // Redis away: the next sweep starts over.
      if (!(await deps.deliveryQueue.enqueueMany(lost))) return 0;
      if (lost.length) {
        deps.metrics.webhookRequeued.inc(lost.length);
        deps.logger.info({ deliveries: lost.length }, 'queued deliveries whose job was gone');
      }
      return lost.length;
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message }, 'delivery sweep failed; will retry');
      return 0;
    } finally {
      busy = false;
    }
  }
  const timer = setInterval(() => void sweep(), deps.everyMs);
  timer.unref();
  return { sweep, close: () => clearInterval(timer) };
}
