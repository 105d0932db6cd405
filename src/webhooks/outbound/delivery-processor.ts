import type { Dispatcher } from 'undici';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Db } from '../../db/knex.js';
import { deliveriesRepo, type AttemptOutcome, type DeliveryRow } from '../../db/deliveries-repo.js';
import type { EventRow } from '../../db/events-repo.js';
import type { Metrics } from '../../metrics.js';
import { cachedSecrets, type CachedEndpoint, type EndpointCache } from './endpoint-cache.js';
import { signWebhook } from './signature.js';
import { sendWebhook, type SendResult } from './send-webhook.js';
import { delayBeforeAttempt } from './retry-schedule.js';
import type { DeliveryJob, DeliveryQueue } from './delivery-queue.js';
import { webhookBody } from './views.js';
import { disableFailingEndpoint, disabledReason } from './endpoint-disabling.js';
import type { OutboxWake } from './outbox-wake.js';
import { microBatch } from './micro-batch.js';

/** Jobs per batched read or record, and batches of each kind running at once (the pool has 10 connections). */
const BATCH = { max: 100, inFlight: 2 };

export interface DeliveryProcessorDeps {
  db: Db;
  config: Config;
  endpointCache: EndpointCache;
  deliveryQueue: DeliveryQueue;
  metrics: Metrics;
  logger: Logger;
  dispatcher: Dispatcher;
  /** Wakes the relays for the `webhook_endpoint.disabled` event an endpoint's disabling writes. */
  outboxWake: OutboxWake;
}

interface Prepared {
  delivery: Pick<DeliveryRow, 'id' | 'status' | 'attempts' | 'endpoint_id'>;
  endpoint: CachedEndpoint;
  event: EventRow;
}

export type DeliveryOutcome = 'succeeded' | 'retrying' | 'failed' | 'skipped';

/**
 * One delivery attempt as svix's short pipeline: prepare → call → handle success or failure.
 * Two statements per attempt at most: one read (the delivery's state and its event; the endpoint
 * and its opened secrets come from the process cache) and one write recording it, each shared
 * with the other jobs running at that moment (micro-batched: one statement for all of them). The
 * next attempt is scheduled in the database first and queued second, so a lost job is found
 * again by the sweeper.
 */
export function createDeliveryProcessor(deps: DeliveryProcessorDeps) {
  const { db, config, endpointCache, metrics, logger } = deps;
  const read = microBatch(async (ids: string[]) => {
    const found = await deliveriesRepo.findManyWithEvents(db, ids);
    return ids.map((id) => found.get(id));
  }, BATCH);
  const recordOne = microBatch((attempts: AttemptOutcome[]) => deliveriesRepo.recordOutcomes(db, attempts), BATCH);

  async function prepare(job: DeliveryJob): Promise<Prepared | undefined> {
    const [found, cached] = await Promise.all([read(job.deliveryId), job.endpointId ? endpointCache.get(job.endpointId) : undefined]);
    // A stale job: this attempt was already made (or the delivery is over).
    if (!found || found.delivery.status !== 'pending' || found.delivery.attempts !== job.attempt - 1) return undefined;
    const endpoint = cached ?? (job.endpointId ? undefined : await endpointCache.get(found.delivery.endpoint_id));
    if (!endpoint || !endpoint.active) {
      await deliveriesRepo.update(db, found.delivery.id, { status: 'failed' });
      metrics.webhookDeliveries.inc({ outcome: 'failed' });
      return undefined;
    }
    return { delivery: found.delivery, endpoint, event: found.event };
  }

  async function call({ endpoint, event }: Prepared): Promise<SendResult> {
    const body = webhookBody(event);
    const signed = signWebhook({ id: event.id, timestamp: Math.floor(Date.now() / 1000), body, secrets: cachedSecrets(endpoint) });
    return sendWebhook({
      url: endpoint.url,
      body,
      timeoutMs: config.webhook.timeoutMs,
      dispatcher: deps.dispatcher,
      headers: { 'content-type': 'application/json', 'user-agent': 'Switchyard-Webhooks/1', ...signed },
    });
  }

  /**
   * Records the attempt and moves the delivery on, unless another runner already did (at-least-once,
   * never twice recorded): one statement, shared with the other jobs recording at that moment. The
   * job finishes only after that statement has committed, so a worker dying between the POST and
   * this record leaves the attempt to be made again.
   */
  async function record(p: Prepared, attempt: number, result: SendResult, next: { status: DeliveryRow['status']; at: Date | null }): Promise<boolean> {
    const { recorded, failingSince } = await recordOne({
      delivery_id: p.delivery.id,
      attempt,
      succeeded: result.ok,
      status_code: result.statusCode,
      duration_ms: result.durationMs,
      error: result.error,
      response_body: result.responseBody,
      next,
    });
    if (recorded && !result.ok && failingSince) await disableIfFailingTooLong(p.endpoint.id, failingSince, result.error);
    return recorded;
  }

  /**
   * An endpoint whose failure streak is longer than the limit is disabled, and the tenant hears of it
   * through a `webhook_endpoint.disabled` event (written with the disabling, once across workers). If
   * this worker dies first, the endpoint's next failure does it.
   */
  async function disableIfFailingTooLong(endpointId: string, failingSince: Date, lastError: string | null) {
    const limitMs = config.webhook.disableAfterHours * 3600 * 1000;
    if (limitMs <= 0 || Date.now() - failingSince.getTime() < limitMs) return;
    const disabled = await db.transaction((trx) => disableFailingEndpoint(trx, endpointId, disabledReason(failingSince, lastError)));
    if (disabled) {
      deps.outboxWake.afterCommit(db);
      await endpointCache.changed(endpointId);
      logger.warn({ endpoint: endpointId }, 'webhook endpoint disabled after failing too long');
    }
  }

  return async function process(job: DeliveryJob): Promise<DeliveryOutcome> {
    const prepared = await prepare(job);
    if (!prepared) return 'skipped';
    const result = await call(prepared);
    metrics.webhookAttemptDuration.observe({ outcome: result.ok ? 'success' : 'failure' }, result.durationMs / 1000);
    if (result.ok) {
      if (await record(prepared, job.attempt, result, { status: 'succeeded', at: null })) metrics.webhookDeliveries.inc({ outcome: 'succeeded' });
      return 'succeeded';
    }
    const delaySeconds = delayBeforeAttempt(config.webhookRetryScheduleSeconds, job.attempt + 1, result);
    if (delaySeconds === null) {
      if (await record(prepared, job.attempt, result, { status: 'failed', at: null })) metrics.webhookDeliveries.inc({ outcome: 'failed' });
      return 'failed';
    }
    const at = new Date(Date.now() + delaySeconds * 1000);
    if (await record(prepared, job.attempt, result, { status: 'pending', at })) {
      metrics.webhookDeliveries.inc({ outcome: 'retrying' });
      await deps.deliveryQueue.enqueue(
        { deliveryId: prepared.delivery.id, eventId: prepared.event.id, endpointId: prepared.endpoint.id, attempt: job.attempt + 1 },
        delaySeconds * 1000,
      );
    }
    return 'retrying';
  };
}
