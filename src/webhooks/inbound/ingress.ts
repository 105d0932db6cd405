import type { Request } from 'express';
import type { Logger } from 'pino';
import type { Db } from '../../db/knex.js';
import { gatewayAccountsRepo } from '../../db/gateway-accounts-repo.js';
import { UNSIGNED_HINT, upstreamWebhooksRepo } from '../../db/upstream-webhooks-repo.js';
import type { ConnectorRegistry } from '../../connectors/registry.js';
import type { AccountContext, Connector, InboundWebhookRequest, VerificationResult, WebhookAcknowledgement } from '../../connectors/types.js';
import { createAccountContexts } from '../../connectors/account-context.js';
import type { SecretBox } from '../../security/secret-box.js';
import { normalizeSourceAddress } from '../../security/address-list.js';
import { newId } from '../../domain/ids.js';
import { UpstreamWebhookError } from '../../domain/errors.js';
import type { UpstreamWebhookQueue } from './upstream-webhook-queue.js';
import { createInvoiceLookup } from './invoice-lookup.js';

/** Headers never stored for any request, even one for an unknown connector. */
const ALWAYS_REDACTED = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * How long a connector may take to answer on the request path (respondToWebhook) before the
 * webhook is acknowledged anyway. Telegram waits 10 s for a pre-checkout answer, counted from
 * when it sent the update: half of that leaves room for the network and our own storing.
 */
export const RESPOND_BUDGET_MS = 5000;

export interface IngressDeps {
  db: Db;
  connectors: ConnectorRegistry;
  secretBox: SecretBox;
  publicBaseUrl: string;
  upstreamWebhookQueue: UpstreamWebhookQueue;
  logger: Logger;
  /** Overrides RESPOND_BUDGET_MS (tests). */
  respondBudgetMs?: number;
}

/**
 * POST /hooks/{connector}/{account}: store the exact request first (genuine or not), verify it
 * over the raw bytes, give the answer the upstream waits for where the connector has one (within
 * a time budget), answer as the upstream expects, and leave processing to the queue.
 */
export function createWebhookIngress(deps: IngressDeps) {
  const accountContext = createAccountContexts(deps);
  // Upstreams sign the path they called: behind a reverse proxy that is PUBLIC_BASE_URL's path + ours.
  const publicPathPrefix = new URL(deps.publicBaseUrl).pathname.replace(/\/+$/, '');
  const budgetMs = deps.respondBudgetMs ?? RESPOND_BUDGET_MS;

  /**
   * The connector's answer on the request path, bounded by the budget. The webhook is already
   * stored and queued: a slow or failed answer is logged and never keeps it from being
   * acknowledged or processed.
   */
  async function respond(connector: Connector, account: AccountContext, rawBody: Buffer, webhookId: string): Promise<void> {
    if (!connector.respondToWebhook) return;
    const started = Date.now();
    const answering = connector.respondToWebhook(account, rawBody, { lookup: createInvoiceLookup(deps.db, account.accountId), deadline: started + budgetMs });
    let timer: NodeJS.Timeout | undefined;
    const overrun = new Promise<'overrun'>((resolve) => (timer = setTimeout(() => resolve('overrun'), budgetMs)));
    try {
      const outcome = await Promise.race([answering.then(() => 'answered' as const), overrun]);
      if (outcome === 'overrun') {
        deps.logger.warn({ webhook: webhookId, connector: connector.manifest.id, budget_ms: budgetMs }, 'upstream webhook answer took too long; acknowledged without it');
        answering.catch(() => undefined);
      }
    } catch (err) {
      deps.logger.warn({ webhook: webhookId, connector: connector.manifest.id, err: (err as Error).message }, 'upstream webhook answer failed; the webhook is kept and processed');
    } finally {
      clearTimeout(timer);
    }
  }

  return async function receive(req: Request, connectorId: string, accountId: string): Promise<WebhookAcknowledgement> {
    const rawBody = req.rawBody ?? Buffer.alloc(0);
    const connector = deps.connectors.get(connectorId);
    // Credentials a misconfigured upstream or proxy might forward: each connector names its own.
    const redacted = new Set([...ALWAYS_REDACTED, ...(connector?.redactHeaders ?? [])]);
    // The verifier sees every header (Telegram's secret token is one it checks); storage keeps the others.
    const received: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) received[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const headers = Object.fromEntries(Object.entries(received).filter(([name]) => !redacted.has(name)));
    const request: InboundWebhookRequest = {
      method: req.method,
      publicPath: `${publicPathPrefix}${req.path}`,
      headers: received,
      rawBody,
      sourceAddress: normalizeSourceAddress(req.socket.remoteAddress ?? ''),
      receivedAt: new Date(),
    };
    const account = connector ? await gatewayAccountsRepo.findForConnector(deps.db, connectorId, accountId) : undefined;
    const context = account ? accountContext(account) : undefined;
    let verification: VerificationResult | { ok: false; reason: 'unknown_connector' | 'unknown_account' };
    if (!connector) verification = { ok: false, reason: 'unknown_connector' };
    else if (!context) verification = { ok: false, reason: 'unknown_account' };
    else verification = connector.verifyWebhook(context, request);

    const id = newId('uwh');
    await upstreamWebhooksRepo.insert(deps.db, {
      id,
      connector: connectorId,
      gateway_account_id: account?.id ?? null,
      source_address: request.sourceAddress,
      method: request.method,
      path: request.publicPath,
      headers,
      raw_body: rawBody,
      // An unsigned upstream's request is kept as what it is: unverified, and only a hint.
      verified: verification.ok && !verification.unsignedHint,
      verification_error: verification.ok ? (verification.unsignedHint ? UNSIGNED_HINT : null) : verification.reason,
    });
    if (!verification.ok) {
      deps.logger.warn({ webhook: id, connector: connectorId, account: accountId, reason: verification.reason }, 'upstream webhook refused');
      if (verification.reason === 'unknown_connector' || verification.reason === 'unknown_account') {
        throw new UpstreamWebhookError('not_found', `No ${connectorId} gateway account ${accountId}`);
      }
      throw new UpstreamWebhookError('unauthorized', `Webhook not accepted: ${verification.reason}`);
    }
    await deps.upstreamWebhookQueue.enqueue(id);
    await respond(connector!, context!, rawBody, id);
    return connector!.acknowledgement();
  };
}
