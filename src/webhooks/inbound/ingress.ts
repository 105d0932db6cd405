import type { Request } from 'express';
import type { Logger } from 'pino';
import type { Db } from '../../db/knex.js';
import { gatewayAccountsRepo } from '../../db/gateway-accounts-repo.js';
import { UNSIGNED_HINT, upstreamWebhooksRepo } from '../../db/upstream-webhooks-repo.js';
import type { ConnectorRegistry } from '../../connectors/registry.js';
import type { InboundWebhookRequest, VerificationResult, WebhookAcknowledgement } from '../../connectors/types.js';
import { createAccountContexts } from '../../connectors/account-context.js';
import type { SecretBox } from '../../security/secret-box.js';
import { normalizeSourceAddress } from '../../security/address-list.js';
import { newId } from '../../domain/ids.js';
import { UpstreamWebhookError } from '../../domain/errors.js';
import type { UpstreamWebhookQueue } from './upstream-webhook-queue.js';

/** Headers never stored for any request, even one for an unknown connector. */
const ALWAYS_REDACTED = ['authorization', 'cookie', 'proxy-authorization'];

export interface IngressDeps {
  db: Db;
  connectors: ConnectorRegistry;
  secretBox: SecretBox;
  publicBaseUrl: string;
  upstreamWebhookQueue: UpstreamWebhookQueue;
  logger: Logger;
}

/**
 * POST /hooks/{connector}/{account}: store the exact request first (genuine or not), verify it
 * over the raw bytes, answer as the upstream expects, and leave processing to the queue.
 */
export function createWebhookIngress(deps: IngressDeps) {
  const accountContext = createAccountContexts(deps);
  // Upstreams sign the path they called: behind a reverse proxy that is PUBLIC_BASE_URL's path + ours.
  const publicPathPrefix = new URL(deps.publicBaseUrl).pathname.replace(/\/+$/, '');

  return async function receive(req: Request, connectorId: string, accountId: string): Promise<WebhookAcknowledgement> {
    const rawBody = req.rawBody ?? Buffer.alloc(0);
    const connector = deps.connectors.get(connectorId);
    // Credentials a misconfigured upstream or proxy might forward: each connector names its own.
    const redacted = new Set([...ALWAYS_REDACTED, ...(connector?.redactHeaders ?? [])]);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !redacted.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const request: InboundWebhookRequest = {
      method: req.method,
      publicPath: `${publicPathPrefix}${req.path}`,
      headers,
      rawBody,
      sourceAddress: normalizeSourceAddress(req.socket.remoteAddress ?? ''),
      receivedAt: new Date(),
    };
    const account = connector ? await gatewayAccountsRepo.findForConnector(deps.db, connectorId, accountId) : undefined;
    let verification: VerificationResult | { ok: false; reason: 'unknown_connector' | 'unknown_account' };
    if (!connector) verification = { ok: false, reason: 'unknown_connector' };
    else if (!account) verification = { ok: false, reason: 'unknown_account' };
    else verification = connector.verifyWebhook(accountContext(account), request);

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
    return connector!.acknowledgement();
  };
}
