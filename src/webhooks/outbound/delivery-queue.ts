import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import { QUEUES, bullConnection } from '../../jobs/queues.js';
import { withTimeout } from '../../with-timeout.js';

/** What the worker needs to make one attempt (never secrets: ids only). */
export interface DeliveryJob {
  deliveryId: string;
  /** Optional only for jobs queued by earlier versions; the worker then reads them with the delivery. */
  eventId?: string;
  endpointId?: string;
  /** The attempt this job makes (1-based); a job whose attempt is no longer next does nothing. */
  attempt: number;
}

export interface DeliveryQueue {
  /**
   * Best effort: a job that cannot be queued (Redis away) is not lost, because the delivery row
   * is already committed and the sweeper queues every overdue pending delivery.
   */
  enqueue(job: DeliveryJob, delayMs?: number): Promise<boolean>;
  /** Many jobs in one round trip (BullMQ addBulk); best effort like `enqueue`. */
  enqueueMany(jobs: DeliveryJob[]): Promise<boolean>;
  /**
   * The jobs that have no job of their id in the queue (waiting, delayed, active or kept): finished
   * jobs are removed, so a missing one either ran or was lost. One round trip; rejects when Redis is away.
   */
  missing(jobs: DeliveryJob[]): Promise<DeliveryJob[]>;
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** One job id per delivery attempt: queuing the same attempt twice (relay + sweeper) is a no-op. */
export const deliveryJobId = (job: DeliveryJob) => `${job.deliveryId}-a${job.attempt}`;

/** While Redis is away a command waits in ioredis' offline queue: the caller is not held longer than this. */
const ENQUEUE_TIMEOUT_MS = 2000;

export function createDeliveryQueue(config: Config, logger: Logger): DeliveryQueue {
  const queue = new Queue<DeliveryJob>(QUEUES.deliveries, {
    connection: bullConnection(config),
    prefix: config.queuePrefix,
    // Secrets never go into job data: only ids. Finished jobs are dropped; the database keeps the record.
    defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: 1 },
  });
  queue.on('error', (err) => logger.warn({ err: err.message }, 'delivery queue connection error'));
  // Looks job keys up directly (BullMQ keeps a job's hash at queue.toKey(id) until it is removed).
  const { url, ...redisOptions } = bullConnection(config);
  const probe = new Redis(url, { ...redisOptions, lazyConnect: true });
  probe.on('error', (err) => logger.debug({ err: err.message }, 'delivery queue probe connection error'));
  return {
    async enqueue(job, delayMs = 0) {
      try {
        await withTimeout(queue.add('deliver', job, { jobId: deliveryJobId(job), delay: Math.max(0, Math.round(delayMs)) }), ENQUEUE_TIMEOUT_MS, 'queue timeout');
        return true;
      } catch (err) {
        logger.warn({ err: (err as Error).message, delivery: job.deliveryId }, 'could not queue delivery; the sweeper will');
        return false;
      }
    },
    async enqueueMany(jobs) {
      if (!jobs.length) return true;
      try {
        await withTimeout(queue.addBulk(jobs.map((job) => ({ name: 'deliver', data: job, opts: { jobId: deliveryJobId(job) } }))), ENQUEUE_TIMEOUT_MS, 'queue timeout');
        return true;
      } catch (err) {
        logger.warn({ err: (err as Error).message, deliveries: jobs.length }, 'could not queue deliveries; the sweeper will');
        return false;
      }
    },
    async missing(jobs) {
      if (!jobs.length) return [];
      const pipeline = probe.pipeline();
      for (const job of jobs) pipeline.exists(queue.toKey(deliveryJobId(job)));
      const replies = (await withTimeout(pipeline.exec(), ENQUEUE_TIMEOUT_MS, 'queue timeout')) ?? [];
      return jobs.filter((_, i) => {
        const [err, exists] = replies[i] ?? [new Error('no reply'), 1];
        if (err) throw err;
        return exists === 0;
      });
    },
    counts: () => queue.getJobCounts('waiting', 'active', 'delayed', 'failed') as Promise<Record<string, number>>,
    async close() {
      probe.disconnect();
      await queue.close();
    },
  };
}
