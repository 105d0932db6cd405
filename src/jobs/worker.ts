import { Queue, Worker, type Job } from 'bullmq';
import type { Core } from '../wiring.js';
import { idempotencyRepo } from '../db/idempotency-repo.js';
import { QUEUES, bullConnection, type MaintenanceJobs } from './queues.js';

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
  await worker.waitUntilReady();
  logger.info({ queues: [QUEUES.maintenance] }, 'worker started');
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
