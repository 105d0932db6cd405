import pg from 'pg';
import type { Logger } from 'pino';
import type { Db } from '../../db/knex.js';
import { deliveriesRepo } from '../../db/deliveries-repo.js';
import { webhookEndpointsRepo, type WebhookEndpointRow } from '../../db/webhook-endpoints-repo.js';
import { eventsRepo } from '../../db/events-repo.js';
import type { DeliveryQueue } from './delivery-queue.js';

const BATCH = 200;

export interface OutboxRelay {
  /** Turns every committed, not yet relayed event into deliveries; returns how many events. */
  drain(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The outbox relay: woken by LISTEN/NOTIFY the moment an event commits (and by a short poll in
 * case a notification is missed), it fans each event out to one delivery per subscribed
 * endpoint and queues them. Rows are claimed with SKIP LOCKED, so any number of workers can run it.
 */
export function startOutboxRelay(deps: { db: Db; databaseUrl: string; deliveryQueue: DeliveryQueue; logger: Logger; pollMs: number }): OutboxRelay {
  const { db, deliveryQueue, logger } = deps;
  let closed = false;
  let running: Promise<number> | undefined;
  let again = false;

  async function relayBatch(): Promise<number> {
    const created = await db.transaction(async (trx) => {
      const events = await eventsRepo.lockUnrelayed(trx, BATCH);
      if (!events.length) return { count: 0, deliveries: [] as Array<{ id: string }> };
      const subscribers = new Map<string, Promise<WebhookEndpointRow[]>>();
      const rows = [];
      for (const event of events) {
        const key = `${event.tenant_id}:${event.livemode}:${event.type}`;
        if (!subscribers.has(key)) subscribers.set(key, webhookEndpointsRepo.listSubscribed(trx, event.tenant_id, event.livemode, event.type));
        for (const endpoint of await subscribers.get(key)!) rows.push({ event_id: event.id, endpoint_id: endpoint.id, tenant_id: event.tenant_id, origin: 'relay' as const });
      }
      const deliveries = await deliveriesRepo.insertMany(trx, rows);
      await eventsRepo.markRelayed(trx, events.map((e) => e.id));
      return { count: events.length, deliveries };
    });
    // After commit: a crash here leaves committed pending deliveries, which the sweeper queues.
    await Promise.all(created.deliveries.map((d) => deliveryQueue.enqueue({ deliveryId: d.id, attempt: 1 })));
    return created.count;
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

  let listener: pg.Client | undefined;
  async function listen(): Promise<void> {
    if (closed) return;
    const client = new pg.Client({ connectionString: deps.databaseUrl });
    client.on('notification', () => void drain());
    client.on('error', (err) => {
      logger.warn({ err: err.message }, 'outbox LISTEN connection lost; reconnecting');
      client.end().catch(() => undefined);
      if (listener === client) listener = undefined;
      setTimeout(() => void listen().catch(() => undefined), 1000).unref();
    });
    try {
      await client.connect();
      await client.query('LISTEN switchyard_events');
      listener = client;
      void drain();
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'could not LISTEN for events; polling only until it works');
      client.end().catch(() => undefined);
      setTimeout(() => void listen().catch(() => undefined), 1000).unref();
    }
  }
  void listen();
  const poll = setInterval(() => void drain(), deps.pollMs);
  poll.unref();

  return {
    drain,
    async close() {
      closed = true;
      clearInterval(poll);
      await running;
      await listener?.end().catch(() => undefined);
    },
  };
}

/**
 * Re-queues every pending delivery whose attempt is overdue (Redis was down, a job was lost).
 * Queuing an attempt that is already queued is a no-op (one job id per attempt).
 */
export function startDeliverySweeper(deps: { db: Db; deliveryQueue: DeliveryQueue; logger: Logger; everyMs: number }): { sweep(): Promise<number>; close(): void } {
  let busy = false;
  async function sweep(): Promise<number> {
    if (busy) return 0;
    busy = true;
    try {
      const due = await deliveriesRepo.listDue(deps.db, deps.everyMs, 1000);
      let queued = 0;
      for (const d of due) {
        // Redis still away: stop here, the next sweep starts over.
        if (!(await deps.deliveryQueue.enqueue({ deliveryId: d.id, attempt: d.attempts + 1 }))) break;
        queued++;
      }
      return queued;
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
