import type { Config } from '../config.js';

/** Every queue Switchyard uses, and the payload of each job name (type-checked enqueueing). */
export const QUEUES = {
  maintenance: 'maintenance',
  deliveries: 'webhook-deliveries',
  upstreamWebhooks: 'upstream-webhooks',
} as const;

export interface MaintenanceJobs {
  'expire-invoices': Record<string, never>;
  'prune-retention': Record<string, never>;
  'reconcile-invoices': Record<string, never>;
}

/** Schedulers of earlier versions, removed at start (their work is done by another job now). */
export const RETIRED_SCHEDULERS = ['purge-idempotency-keys'] as const;

/** BullMQ wants its own connections with no per-command retry limit (blocking commands). */
export function bullConnection(config: Pick<Config, 'redisUrl'>) {
  return {
    url: config.redisUrl,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    // Keep reconnecting (capped back-off) so a Redis restart only delays work.
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
}
