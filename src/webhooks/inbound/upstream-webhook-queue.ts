import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import { QUEUES, bullConnection } from '../../jobs/queues.js';
import { withTimeout } from '../../with-timeout.js';

export interface UpstreamWebhookJob {
  webhookId: string;
}

const ENQUEUE_TIMEOUT_MS = 1000;

/** Best effort, like the delivery queue: the row is already in PostgreSQL and the sweeper finds it. */
export function createUpstreamWebhookQueue(config: Config, logger: Logger) {
  const queue = new Queue<UpstreamWebhookJob>(QUEUES.upstreamWebhooks, {
    connection: bullConnection(config),
    prefix: config.queuePrefix,
    defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: 1 },
  });
  queue.on('error', (err) => logger.warn({ err: err.message }, 'upstream webhook queue connection error'));
  return {
    async enqueue(webhookId: string): Promise<boolean> {
      try {
        await withTimeout(queue.add('process', { webhookId }, { jobId: webhookId }), ENQUEUE_TIMEOUT_MS, 'queue timeout');
        return true;
      } catch (err) {
        logger.warn({ err: (err as Error).message, webhookId }, 'could not queue upstream webhook; the sweeper will');
        return false;
      }
    },
    close: () => queue.close(),
  };
}

export type UpstreamWebhookQueue = ReturnType<typeof createUpstreamWebhookQueue>;
