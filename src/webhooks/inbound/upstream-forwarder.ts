import type { Dispatcher } from 'undici';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Db } from '../../db/knex.js';
import { gatewayAccountsRepo } from '../../db/gateway-accounts-repo.js';
import { upstreamWebhooksRepo, type UpstreamWebhookRow } from '../../db/upstream-webhooks-repo.js';
import { upstreamForwardsRepo, type UpstreamForwardRow } from '../../db/upstream-forwards-repo.js';
import type { ConnectorRegistry } from '../../connectors/registry.js';
import { createAccountContexts } from '../../connectors/account-context.js';
import type { SecretBox } from '../../security/secret-box.js';
import { sendWebhook } from '../outbound/send-webhook.js';
import { delayBeforeAttempt } from '../outbound/retry-schedule.js';

export interface UpstreamForwarderDeps {
  db: Db;
  config: Config;
  connectors: ConnectorRegistry;
  secretBox: SecretBox;
  /** The guarded dispatcher: the receiver is a tenant-supplied URL. */
  dispatcher: Dispatcher;
  logger: Logger;
}

/** A forward is claimed for this long beyond its timeout, so a second worker never sends it meanwhile. */
const LEASE_MARGIN_MS = 15_000;
const ERROR_CHARS_KEPT = 500;

/**
 * Passes verified upstream webhooks that are not about our invoices on to the tenant's own
 * receiver (a Telegram bot whose webhook Switchyard owns): the exact bytes, with the headers the
 * connector names (recomputed from the account at every attempt, so no secret is stored with the
 * forward). Durable like tenant webhooks: a row per forward, attempts on WEBHOOK_RETRY_SCHEDULE,
 * a sweeper for whatever is due, through the outbound address guard.
 */
export function createUpstreamForwarder(deps: UpstreamForwarderDeps) {
  const { db, config, connectors, logger } = deps;
  const accountContext = createAccountContexts({ secretBox: deps.secretBox, publicBaseUrl: config.publicBaseUrl });
  const leaseMs = config.webhook.timeoutMs + LEASE_MARGIN_MS;

  /** Where the account's connector wants this stored webhook to go now, or why it goes nowhere. */
  async function destination(webhook: UpstreamWebhookRow) {
    const account = webhook.gateway_account_id ? await gatewayAccountsRepo.findById(db, webhook.gateway_account_id) : undefined;
    const connector = connectors.get(webhook.connector);
    if (!account || account.deleted_at || !connector?.forwardWebhook) return { forward: null, reason: 'the account is deleted' };
    const forward = connector.forwardWebhook(accountContext(account), webhook.raw_body);
    return { forward, reason: forward ? null : 'the account no longer forwards updates' };
  }

  /** One attempt of a claimed forward, recorded with what comes next. */
  async function attempt(row: UpstreamForwardRow): Promise<void> {
    const webhook = await upstreamWebhooksRepo.find(db, row.upstream_webhook_id);
    const { forward, reason } = webhook ? await destination(webhook) : { forward: null, reason: 'the stored webhook is gone' };
    if (!webhook || !forward) {
      await upstreamForwardsRepo.abandon(db, row.upstream_webhook_id, `not forwarded: ${reason}`);
      return;
    }
    const result = await sendWebhook({
      url: forward.url,
      body: webhook.raw_body,
      headers: { 'content-type': 'application/json', ...forward.headers },
      timeoutMs: config.webhook.timeoutMs,
      dispatcher: deps.dispatcher,
    });
    const attemptNo = row.attempts + 1;
    const delay = result.ok ? null : delayBeforeAttempt(config.webhookRetryScheduleSeconds, attemptNo + 1, result);
    const status = result.ok ? 'delivered' : delay === null ? 'failed' : 'pending';
    await upstreamForwardsRepo.recordAttempt(db, row.upstream_webhook_id, attemptNo, {
      url: forward.url,
      status,
      last_status_code: result.statusCode,
      last_error: result.error?.slice(0, ERROR_CHARS_KEPT) ?? null,
      next_attempt_at: delay === null ? null : new Date(Date.now() + delay * 1000),
    });
    if (status === 'failed') logger.warn({ webhook: row.upstream_webhook_id, account: row.gateway_account_id, error: result.error }, 'forwarding an upstream webhook failed for good');
  }

  return {
    /**
     * Called while a verified webhook is processed: records a forward when its connector passes
     * it on. Idempotent (one forward per webhook), and made before the webhook counts as
     * processed, so a crash in between only means deciding again.
     */
    async plan(webhook: UpstreamWebhookRow): Promise<boolean> {
      const { forward } = await destination(webhook);
      if (!forward) return false;
      await upstreamForwardsRepo.insert(db, { upstream_webhook_id: webhook.id, gateway_account_id: webhook.gateway_account_id!, url: forward.url });
      return true;
    },
    /** The first attempt, right after planning; a forward someone else holds is left to them. */
    async deliver(webhookId: string): Promise<void> {
      const row = await upstreamForwardsRepo.claim(db, webhookId, leaseMs);
      if (row) await attempt(row);
    },
    /** Every forward now due (retries, and first attempts a crash left behind). */
    async sweep(limit = 50): Promise<number> {
      const due = await upstreamForwardsRepo.claimDue(db, leaseMs, limit);
      await Promise.all(due.map((row) => attempt(row).catch((err: unknown) => logger.warn({ webhook: row.upstream_webhook_id, err: (err as Error).message }, 'forward attempt failed'))));
      return due.length;
    },
  };
}

export type UpstreamForwarder = ReturnType<typeof createUpstreamForwarder>;
