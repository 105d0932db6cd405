import { Gauge } from 'prom-client';
import type { Db } from '../../db/knex.js';
import type { Metrics } from '../../metrics.js';
import type { DeliveryQueue } from './delivery-queue.js';

/** Gauges computed when Prometheus scrapes: queue depth and the age of the oldest undelivered event. */
export function registerWebhookGauges(metrics: Metrics, deps: { db: Db; deliveryQueue: DeliveryQueue }): void {
  new Gauge({
    name: 'switchyard_webhook_queue_jobs',
    help: 'Delivery jobs in the queue, by state',
    labelNames: ['state'] as const,
    registers: [metrics.registry],
    async collect() {
      const counts = await deps.deliveryQueue.counts().catch(() => ({}) as Record<string, number>);
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'switchyard_webhook_oldest_undelivered_seconds',
    help: 'Age of the oldest event not yet relayed or with a delivery still pending (0 when none)',
    registers: [metrics.registry],
    async collect() {
      const row = (await deps.db
        .raw(
          `SELECT EXTRACT(EPOCH FROM now() - LEAST(
             (SELECT min(created_at) FROM events WHERE relayed_at IS NULL),
             (SELECT min(e.created_at) FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.status = 'pending'))) AS age`,
        )
        .catch(() => ({ rows: [{ age: null }] }))) as { rows: Array<{ age: string | null }> };
      this.set(Number(row.rows[0]?.age ?? 0));
    },
  });
}
