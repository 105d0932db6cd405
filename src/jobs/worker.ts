import { Queue, Worker, type Job } from 'bullmq';
import type { Core } from '../wiring.js';
import { idempotencyRepo } from '../db/idempotency-repo.js';
import { QUEUES, bullConnection, type MaintenanceJobs } from './queues.js';
import { createGuardedDispatcher } from '../security/outbound-guard.js';
import { createDeliveryProcessor } from '../webhooks/outbound/delivery-processor.js';
import type { DeliveryJob } from '../webhooks/outbound/delivery-queue.js';
import { startDeliverySweeper, startOutboxRelay } from '../webhooks/outbound/outbox-relay.js';

export interface RunningWorker {
  /** Stops taking jobs and waits for the running ones to finish. */
  close(): Promise<void>;
}

/**
 * The worker process: repeatable maintenance jobs (expiry, idempotency-key purge), scheduled
 * with BullMQ job schedulers so any number of workers share one schedule.
 */
export async function startWorker(core: Core): Promise<RunningWorker> {
  const { config, logger } = core;
  const connection = bullConnection(config);
  const prefix = config.queuePrefix;
  const queue = new Queue<MaintenanceJobs[keyof MaintenanceJobs], unknown, keyof MaintenanceJobs>(QUEUES.maintenance, { connection, prefix });
  await queue.upsertJobScheduler('expire-invoices', { every: config.expireIntervalSeconds * 1000 }, { name: 'expire-invoices', data: {} });
  await queue.upsertJobScheduler('purge-idempotency-keys', { every: 3600 * 1000 }, { name: 'purge-idempotency-keys', data: {} });

  const handlers: Record<keyof MaintenanceJobs, () => Promise<unknown>> = {
    'expire-invoices': async () => {
      const expired = await core.invoices.expireOverdue();
      if (expired) logger.info({ expired }, 'expired overdue invoices');
      return { expired };
    },
    'purge-idempotency-keys': async () => ({ purged: await idempotencyRepo.purgeExpired(core.db) }),
  };
  const worker = new Worker(QUEUES.maintenance, async (job: Job) => handlers[job.name as keyof MaintenanceJobs]?.(), {
    connection,
    prefix,
    concurrency: 1,
  });
  worker.on('failed', (job, err) => logger.error({ err, job: job?.name }, 'maintenance job failed'));
  worker.on('error', (err) => logger.warn({ err: err.message }, 'worker connection error'));

  // Outbound webhooks: outbox relay → delivery jobs → HTTP attempts; the sweeper catches what Redis lost.
  const dispatcher = createGuardedDispatcher({ allowPrivate: config.allowPrivateWebhookUrls, allowList: config.webhook.allowedHosts });
  const deliver = createDeliveryProcessor({ ...core, dispatcher });
  const deliveries = new Worker<DeliveryJob>(QUEUES.deliveries, async (job) => deliver(job.data), {
    connection,
    prefix,
    concurrency: config.webhook.concurrency,
    // Far above the HTTP timeout, so a slow endpoint never makes a second worker take the job.
    lockDuration: config.webhook.timeoutMs + 15_000,
    stalledInterval: config.webhook.timeoutMs + 15_000,
  });
  deliveries.on('failed', (job, err) => logger.error({ err, delivery: job?.data.deliveryId }, 'delivery job failed; the sweeper will retry it'));
  deliveries.on('error', (err) => logger.warn({ err: err.message }, 'delivery worker connection error'));
  const relay = startOutboxRelay({ db: core.db, databaseUrl: config.databaseUrl, deliveryQueue: core.deliveryQueue, logger, pollMs: config.webhook.outboxPollMs });
  const sweeper = startDeliverySweeper({ db: core.db, deliveryQueue: core.deliveryQueue, logger, everyMs: config.webhook.sweepMs });

  await Promise.all([worker.waitUntilReady(), deliveries.waitUntilReady()]);
  logger.info({ queues: [QUEUES.maintenance, QUEUES.deliveries] }, 'worker started');
  return {
    async close() {
      sweeper.close();
      await relay.close();
      await Promise.all([worker.close(), deliveries.close()]);
      await queue.close();
      await dispatcher.close();
    },
  };
}
