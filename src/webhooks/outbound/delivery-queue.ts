import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import { QUEUES, bullConnection } from '../../jobs/queues.js';

export interface DeliveryJob {
  deliveryId: string;
  /** The attempt this job makes (1-based); a job whose attempt is no longer next does nothing. */
  attempt: number;
}

export interface DeliveryQueue {
  /**
   * Best effort: a job that cannot be queued (Redis away) is not lost, because the delivery row
   * is already committed and the sweeper queues every overdue pending delivery.
   */
  enqueue(job: DeliveryJob, delayMs?: number): Promise<boolean>;
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** One job id per delivery attempt: queuing the same attempt twice (relay + sweeper) is a no-op. */
export const deliveryJobId = (job: DeliveryJob) => `${job.deliveryId}-a${job.attempt}`;

const ENQUEUE_TIMEOUT_MS = 2000;

export function createDeliveryQueue(config: Config, logger: Logger): DeliveryQueue {
  const queue = new Queue<DeliveryJob>(QUEUES.deliveries, {
    connection: bullConnection(config),
    prefix: config.queuePrefix,
    // Secrets never go into job data: only ids. Finished jobs are dropped; the database keeps the record.
    defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: 1 },
  });
  queue.on('error', (err) => logger.warn({ err: err.message }, 'delivery queue connection error'));
  return {
    async enqueue(job, delayMs = 0) {
      try {
        // While Redis is away the command waits in ioredis' offline queue; don't hold the caller.
        const added = queue.add('deliver', job, { jobId: deliveryJobId(job), delay: Math.max(0, Math.round(delayMs)) });
        added.catch(() => undefined);
        await Promise.race([added, new Promise((_, reject) => setTimeout(() => reject(new Error('queue timeout')), ENQUEUE_TIMEOUT_MS).unref())]);
        return true;
      } catch (err) {
        logger.warn({ err: (err as Error).message, delivery: job.deliveryId }, 'could not queue delivery; the sweeper will');
        return false;
      }
    },
    counts: () => queue.getJobCounts('waiting', 'active', 'delayed', 'failed') as Promise<Record<string, number>>,
    close: () => queue.close(),
  };
}
