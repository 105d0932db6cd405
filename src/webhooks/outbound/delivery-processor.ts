import type { Dispatcher } from 'undici';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Db, DbOrTx } from '../../db/knex.js';
import { deliveriesRepo, type DeliveryRow } from '../../db/deliveries-repo.js';
import { eventsRepo, type EventRow } from '../../db/events-repo.js';
import { webhookEndpointsRepo, type WebhookEndpointRow } from '../../db/webhook-endpoints-repo.js';
import type { SecretBox } from '../../security/secret-box.js';
import type { Metrics } from '../../metrics.js';
import { activeSecrets } from './endpoint-service.js';
import { signWebhook } from './signature.js';
import { sendWebhook, type SendResult } from './send-webhook.js';
import { delayBeforeAttempt } from './retry-schedule.js';
import type { DeliveryJob, DeliveryQueue } from './delivery-queue.js';
import { webhookBody } from './views.js';
import { disableFailingEndpoint, disabledReason } from './endpoint-disabling.js';

export interface DeliveryProcessorDeps {
  db: Db;
  config: Config;
  secretBox: SecretBox;
  deliveryQueue: DeliveryQueue;
  metrics: Metrics;
  logger: Logger;
  dispatcher: Dispatcher;
}

interface Prepared {
  delivery: DeliveryRow;
  endpoint: WebhookEndpointRow;
  event: EventRow;
}

export type DeliveryOutcome = 'succeeded' | 'retrying' | 'failed' | 'skipped';

/**
 * One delivery attempt as svix's short pipeline: prepare → call → handle success or failure.
 * Every attempt is recorded; the next one is scheduled in the database first and queued second,
 * so a lost job is found again by the sweeper.
 */
export function createDeliveryProcessor(deps: DeliveryProcessorDeps) {
  const { db, config, secretBox, metrics, logger } = deps;

  async function prepare(job: DeliveryJob): Promise<Prepared | undefined> {
    const delivery = await deliveriesRepo.find(db, job.deliveryId);
    // A stale job: this attempt was already made (or the delivery is over).
    if (!delivery || delivery.status !== 'pending' || delivery.attempts !== job.attempt - 1) return undefined;
    const [endpoint, event] = await Promise.all([webhookEndpointsRepo.findById(db, delivery.endpoint_id), eventsRepo.findById(db, delivery.event_id)]);
    if (!endpoint || !event || endpoint.deleted_at || !endpoint.enabled) {
      await deliveriesRepo.update(db, delivery.id, { status: 'failed' });
      metrics.webhookDeliveries.inc({ outcome: 'failed' });
      return undefined;
    }
    return { delivery, endpoint, event };
  }

  async function call({ endpoint, event }: Prepared): Promise<SendResult> {
    const body = webhookBody(event);
    const signed = signWebhook({ id: event.id, timestamp: Math.floor(Date.now() / 1000), body, secrets: activeSecrets(endpoint, secretBox) });
    return sendWebhook({
      url: endpoint.url,
      body,
      timeoutMs: config.webhook.timeoutMs,
      dispatcher: deps.dispatcher,
      headers: { 'content-type': 'application/json', 'user-agent': 'Switchyard-Webhooks/1', ...signed },
    });
  }

  /** Records the attempt and moves the delivery on, unless another runner already did (at-least-once, never twice recorded). */
  async function record(p: Prepared, attempt: number, result: SendResult, next: { status: DeliveryRow['status']; at: Date | null }): Promise<boolean> {
    return db.transaction(async (trx) => {
      if (!(await deliveriesRepo.advance(trx, p.delivery.id, attempt, next))) return false;
      await deliveriesRepo.recordAttempt(trx, {
        delivery_id: p.delivery.id,
        event_id: p.event.id,
        endpoint_id: p.endpoint.id,
        attempt,
        succeeded: result.ok,
        status_code: result.statusCode,
        duration_ms: result.durationMs,
        error: result.error,
        response_body: result.responseBody,
      });
      if (result.ok) {
        if (p.endpoint.failing_since) await webhookEndpointsRepo.clearFailing(trx, p.endpoint.id);
      } else {
        await markFailing(trx, p.endpoint.id, result.error);
      }
      return true;
    });
  }

  /**
   * Starts (or continues) the endpoint's failure streak; a streak longer than the limit disables
   * it, and the tenant hears of it through a `webhook_endpoint.disabled` event.
   */
  async function markFailing(trx: DbOrTx, endpointId: string, lastError: string | null) {
    const failingSince = await webhookEndpointsRepo.markFailing(trx, endpointId);
    const limitMs = config.webhook.disableAfterHours * 3600 * 1000;
    if (limitMs > 0 && failingSince && Date.now() - failingSince.getTime() >= limitMs) {
      if (await disableFailingEndpoint(trx, endpointId, disabledReason(failingSince, lastError))) {
        logger.warn({ endpoint: endpointId }, 'webhook endpoint disabled after failing too long');
      }
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
      await deps.deliveryQueue.enqueue({ deliveryId: prepared.delivery.id, attempt: job.attempt + 1 }, delaySeconds * 1000);
    }
    return 'retrying';
  };
}
