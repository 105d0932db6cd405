import { Queue, Worker, type Job } from 'bullmq';
import type { Core } from '../wiring.js';
import { QUEUES, RETIRED_SCHEDULERS, bullConnection, type MaintenanceJobs } from './queues.js';
import { createRetentionJob } from './retention.js';
import { createDeliveryProcessor } from '../webhooks/outbound/delivery-processor.js';
import type { DeliveryJob } from '../webhooks/outbound/delivery-queue.js';
import { startDeliverySweeper, startOutboxRelay } from '../webhooks/outbound/outbox-relay.js';
import { createUpstreamWebhookProcessor } from '../webhooks/inbound/process-upstream-webhook.js';
import type { UpstreamWebhookJob } from '../webhooks/inbound/upstream-webhook-queue.js';
import { upstreamWebhooksRepo } from '../db/upstream-webhooks-repo.js';
import { createReconciler } from '../invoices/reconcile.js';
import { startPaymentWaiters } from './payment-waiters.js';
import { createUpstreamForwarder } from '../webhooks/inbound/upstream-forwarder.js';

/** A stored webhook not processed this long after it was acknowledged is queued again. */
const UPSTREAM_SWEEP_GRACE_MS = 5000;

/**
 * Schedules are written to Redis again this often: a Redis that restarted without its data (or was
 * flushed) would otherwise run no maintenance job until a worker restarts. Re-writing an unchanged
 * schedule keeps its next run.
 */
const SCHEDULE_REFRESH_MS = 10_000;

const DAY_SECONDS = 24 * 3600;

/** How long a graceful close may wait for running jobs before giving up on them. */
const CLOSE_GRACE_MS = 20_000;

/**
 * BullMQ's graceful close never resolves while its Redis connection is down; after the grace
 * period force it. An unfinished job is not lost: it is retried (stalled-job check, sweepers).
 */
async function closeWorker(worker: Worker): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), CLOSE_GRACE_MS)));
  const result = await Promise.race([worker.close().then(() => 'closed' as const), timedOut]);
  clearTimeout(timer);
  if (result === 'timeout') await worker.close(true);
}

export interface RunningWorker {
  /** Stops taking jobs and waits for the running ones to finish. */
  close(): Promise<void>;
}

/**
 * The worker process: repeatable maintenance jobs (expiry, reconciliation, retention), scheduled
 * with BullMQ job schedulers so any number of workers share one schedule; deliveries, upstream
 * webhooks, and the payment waiters of upstreams without webhooks.
 */
export async function startWorker(core: Core): Promise<RunningWorker> {
  const { config, logger } = core;
  const connection = bullConnection(config);
  const prefix = config.queuePrefix;
  const queue = new Queue<MaintenanceJobs[keyof MaintenanceJobs], unknown, keyof MaintenanceJobs>(QUEUES.maintenance, { connection, prefix });
  queue.on('error', (err) => logger.warn({ err: err.message }, 'maintenance queue connection error'));
  const schedules: Record<keyof MaintenanceJobs, number> = {
    'expire-invoices': config.expireIntervalSeconds * 1000,
    'prune-retention': config.retention.intervalSeconds * 1000,
    'reconcile-invoices': config.reconcileIntervalSeconds * 1000,
  };
  const writeSchedules = async () => {
    for (const [name, every] of Object.entries(schedules) as Array<[keyof MaintenanceJobs, number]>) await queue.upsertJobScheduler(name, { every }, { name, data: {} });
  };
  await writeSchedules();
  for (const retired of RETIRED_SCHEDULERS) await queue.removeJobScheduler(retired);
  const scheduleRefresh = setInterval(() => {
    writeSchedules().catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'could not refresh the job schedules; will retry'));
  }, SCHEDULE_REFRESH_MS);
  scheduleRefresh.unref();
  const reconcile = createReconciler({ ...core, publicBaseUrl: config.publicBaseUrl, intervalSeconds: config.reconcileIntervalSeconds });
  const { retention } = config;
  const prune = createRetentionJob({
    db: core.db,
    logger,
    settings: {
      ages: {
        upstream_webhooks: retention.upstreamWebhooksDays * DAY_SECONDS,
        upstream_event_keys: retention.upstreamEventKeysDays * DAY_SECONDS,
        delivery_attempts: retention.deliveryAttemptsDays * DAY_SECONDS,
        idempotency_keys: retention.idempotencyKeysHours * 3600,
      },
      batchSize: retention.batchSize,
      maxBatchesPerRun: 1000,
    },
  });

  const handlers: Record<keyof MaintenanceJobs, () => Promise<unknown>> = {
    'expire-invoices': async () => {
      const expired = await core.invoices.expireOverdue();
      if (expired) logger.info({ expired }, 'expired overdue invoices');
      return { expired };
    },
    'prune-retention': prune,
    'reconcile-invoices': async () => {
      const result = await reconcile();
      if (result.changed) logger.info(result, 'reconciliation settled invoices');
      return result;
    },
  };
  const worker = new Worker(QUEUES.maintenance, async (job: Job) => handlers[job.name as keyof MaintenanceJobs]?.(), {
    connection,
    prefix,
    concurrency: 1,
  });
  worker.on('failed', (job, err) => logger.error({ err, job: job?.name }, 'maintenance job failed'));
  worker.on('error', (err) => logger.warn({ err: err.message }, 'worker connection error'));

  // Outbound webhooks: outbox relay → delivery jobs → HTTP attempts; the sweeper catches what Redis lost.
  const deliver = createDeliveryProcessor({ ...core, dispatcher: core.outboundDispatcher });
  const deliveries = new Worker<DeliveryJob>(QUEUES.deliveries, async (job) => deliver(job.data), {
    connection,
    prefix,
    concurrency: config.webhook.concurrency,
    // The worker renews a job's lock every half of it; by default the lock outlasts the HTTP timeout as well, so even a
    // worker whose event loop froze through a whole attempt keeps its job. A dead worker's jobs move on after ~2 locks.
    lockDuration: config.webhook.jobLockMs,
    stalledInterval: config.webhook.jobLockMs,
  });
  deliveries.on('failed', (job, err) => logger.error({ err, delivery: job?.data.deliveryId }, 'delivery job failed; the sweeper will retry it'));
  deliveries.on('error', (err) => logger.warn({ err: err.message }, 'delivery worker connection error'));
  // Upstream webhooks: stored and acknowledged by the API, processed here; the sweeper re-queues stragglers.
  // Upstream webhooks passed on to the tenant (a Telegram bot's other updates): first attempt at processing, retries from the sweep.
  const forwarder = createUpstreamForwarder({ ...core, dispatcher: core.outboundDispatcher });
  const processUpstream = createUpstreamWebhookProcessor({ ...core, forwarder });
  const upstream = new Worker<UpstreamWebhookJob>(QUEUES.upstreamWebhooks, async (job) => processUpstream(job.data.webhookId), {
    connection,
    prefix,
    concurrency: 10,
  });
  upstream.on('failed', (job, err) => logger.error({ err, webhook: job?.data.webhookId }, 'upstream webhook processing failed; the sweeper will retry it'));
  upstream.on('error', (err) => logger.warn({ err: err.message }, 'upstream webhook worker connection error'));
  const upstreamSweep = setInterval(() => {
    upstreamWebhooksRepo
      .listStale(core.db, UPSTREAM_SWEEP_GRACE_MS, 20, 500)
      .then(async (ids) => {
        for (const id of ids) if (!(await core.upstreamWebhookQueue.enqueue(id))) break;
      })
      .catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'upstream webhook sweep failed'));
  }, config.webhook.sweepMs);
  upstreamSweep.unref();
  const forwardSweep = setInterval(() => {
    forwarder.sweep().catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'upstream forward sweep failed'));
  }, config.webhook.sweepMs);
  forwardSweep.unref();

  const relay = startOutboxRelay({ db: core.db, redis: core.redis, keyPrefix: config.queuePrefix, deliveryQueue: core.deliveryQueue, logger, pollMs: config.webhook.outboxPollMs });
  const sweeper = startDeliverySweeper({
    db: core.db,
    deliveryQueue: core.deliveryQueue,
    logger,
    metrics: core.metrics,
    everyMs: config.webhook.sweepMs,
    graceMs: config.webhook.sweepGraceMs,
  });
  // Upstreams without webhooks (Core Lightning): one long poll per account across all workers.
  const waiters = startPaymentWaiters(
    { ...core, publicBaseUrl: config.publicBaseUrl },
    { keyPrefix: config.queuePrefix, scanMs: config.paymentWaiters.scanSeconds * 1000, leaseMs: config.paymentWaiters.lockSeconds * 1000 },
  );

  await Promise.all([worker.waitUntilReady(), deliveries.waitUntilReady(), upstream.waitUntilReady()]);
  logger.info({ queues: Object.values(QUEUES) }, 'worker started');
  return {
    async close() {
      // First: their long polls are aborted at once, and their leases freed for another worker.
      await waiters.close();
      sweeper.close();
      clearInterval(upstreamSweep);
      clearInterval(scheduleRefresh);
      clearInterval(forwardSweep);
      await relay.close();
      await Promise.all([worker, deliveries, upstream].map((w) => closeWorker(w)));
      await queue.close();
    },
  };
}
