import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import type { Db } from '../../db/knex.js';
import { UNSIGNED_HINT, upstreamWebhooksRepo } from '../../db/upstream-webhooks-repo.js';
import { invoicesRepo } from '../../db/invoices-repo.js';
import { upstreamInvoicesRepo } from '../../db/upstream-invoices-repo.js';
import { upstreamEventKeysRepo } from '../../db/upstream-event-keys-repo.js';
import type { ConnectorRegistry } from '../../connectors/registry.js';
import { UpstreamError } from '../../connectors/types.js';
import { WebhookBodyError } from '../../connectors/kit/index.js';
import type { InvoiceService } from '../../invoices/invoice-service.js';
import { createHintThrottle, HINT_WINDOW_MS } from './hint-throttle.js';
import type { UpstreamForwarder } from './upstream-forwarder.js';

/**
 * What operators read in `process_error`: our own sentences only. A connector's WebhookBodyError
 * and an UpstreamError are written to be read (they name the field or the upstream's answer);
 * anything else is a fault on our side, whose JavaScript text means nothing to an operator: it
 * goes to the worker log with the webhook id instead.
 */
function unreadableNote(err: unknown): string {
  return err instanceof WebhookBodyError ? `unparseable: ${err.message}` : 'unparseable: the body could not be read (details in the worker log)';
}

function failureNote(err: unknown): string {
  if (err instanceof UpstreamError) return `processing failed, will retry: the upstream status query failed: ${err.message}`;
  return 'processing failed, will retry: an internal error (details in the worker log)';
}

/**
 * Turns one stored, verified upstream webhook into invoice changes. Idempotent: the invoice only
 * moves forward and our events derive from its new state, so the same upstream event twice (or a
 * late one) changes nothing the second time. Events already applied from another webhook (same
 * dedupe key, e.g. a BTCPay redelivery) are skipped and noted.
 *
 * An unsigned upstream's webhook (stored unverified as `unsigned_hint`) is processed too, but only
 * as a hint: whatever its body says, the invoice it names is re-read from the upstream (at most
 * once per upstream invoice per HINT_WINDOW_MS), and its dedupe keys are neither read nor
 * recorded, so a forged hint can neither move an invoice nor shadow the genuine one.
 *
 * A webhook its connector passes on (a Telegram update that is not about our invoices) gets its
 * forward recorded before it counts as processed, and the first attempt is made at once
 * (`forwarder`).
 */
export function createUpstreamWebhookProcessor(deps: {
  db: Db;
  redis: Redis;
  config: { queuePrefix: string };
  connectors: ConnectorRegistry;
  invoices: InvoiceService;
  logger: Logger;
  forwarder?: UpstreamForwarder;
}) {
  const throttle = createHintThrottle(deps.redis, deps.config.queuePrefix);
  return async function process(webhookId: string): Promise<'processed' | 'skipped'> {
    const row = await upstreamWebhooksRepo.find(deps.db, webhookId);
    const hint = row !== undefined && !row.verified && row.verification_error === UNSIGNED_HINT;
    if (!row || !(row.verified || hint) || row.processed_at || !row.gateway_account_id) return 'skipped';
    const connector = deps.connectors.get(row.connector);
    if (!connector) return 'skipped';
    let events;
    try {
      events = connector.parseWebhook(row.raw_body);
    } catch (err) {
      // Signed but unreadable: keep it for a human, never retry.
      if (!(err instanceof WebhookBodyError)) deps.logger.error({ err, webhook: row.id, connector: row.connector }, 'upstream webhook body could not be read');
      await upstreamWebhooksRepo.markProcessed(deps.db, row.id, unreadableNote(err));
      return 'processed';
    }
    const unknown: string[] = [];
    const duplicates: string[] = [];
    const throttled: string[] = [];
    try {
      for (const event of events) {
        // Most upstreams name their own invoice; some only echo the reference we sent (our id).
        // Any upstream invoice we ever opened counts, the ones a buyer abandoned included.
        const upstream = event.invoiceId
          ? await upstreamInvoicesRepo.findByInvoiceForAccount(deps.db, row.gateway_account_id, event.invoiceId)
          : await upstreamInvoicesRepo.findByUpstream(deps.db, row.gateway_account_id, event.upstreamId);
        if (!upstream) {
          unknown.push(event.invoiceId ?? event.upstreamId);
          continue;
        }
        if (hint) {
          if (await throttle.take(row.gateway_account_id, upstream.upstream_id)) await deps.invoices.refresh(upstream.invoice_id, null, upstream);
          else {
            await invoicesRepo.reconcileBy(deps.db, upstream.invoice_id, new Date(Date.now() + HINT_WINDOW_MS));
            throttled.push(upstream.upstream_id);
          }
          continue;
        }
        const seenIn = await upstreamEventKeysRepo.find(deps.db, row.gateway_account_id, event.dedupeKey);
        if (seenIn && seenIn !== row.id) {
          duplicates.push(`${event.dedupeKey} (first in ${seenIn})`);
          continue;
        }
        // A trigger-only event: the upstream's answer to a status query is what counts.
        if (event.refetch) await deps.invoices.refresh(upstream.invoice_id, event, upstream);
        else await deps.invoices.applyUpstreamUpdate(upstream.invoice_id, event, upstream);
        // Recorded after applying: a crash in between only means applying again, which is harmless.
        await upstreamEventKeysRepo.record(deps.db, row.gateway_account_id, event.dedupeKey, row.id);
      }
    } catch (err) {
      deps.logger.error({ err, webhook: row.id, connector: row.connector }, 'upstream webhook processing failed; it will be retried');
      await upstreamWebhooksRepo.markFailed(deps.db, row.id, failureNote(err));
      throw err;
    }
    const notes = [
      ...(unknown.length ? [`unknown upstream invoice(s): ${unknown.join(', ')}`] : []),
      ...(duplicates.length ? [`duplicate event(s) skipped: ${duplicates.join(', ')}`] : []),
      ...(throttled.length ? [`unsigned hint not confirmed (asked about ${throttled.join(', ')} moments ago); left to reconciliation`] : []),
    ];
    if (unknown.length) deps.logger.warn({ webhook: row.id, upstream_ids: unknown }, 'upstream webhook for invoices we do not know');
    const forwarded = connector.forwardWebhook && deps.forwarder ? await deps.forwarder.plan(row) : false;
    await upstreamWebhooksRepo.markProcessed(deps.db, row.id, notes.length ? notes.join('; ') : null);
    if (forwarded) {
      void deps.forwarder!.deliver(row.id).catch((err: unknown) => deps.logger.warn({ webhook: row.id, err: (err as Error).message }, 'first forward attempt failed; the sweeper retries it'));
    }
    return 'processed';
  };
}
