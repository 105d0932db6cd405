import { Gauge } from 'prom-client';
import type { Db } from '../../db/knex.js';
import { eventsRepo } from '../../db/events-repo.js';
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
      this.set((await eventsRepo.oldestUndeliveredAgeSeconds(deps.db).catch(() => null)) ?? 0);
    },
  });
}
