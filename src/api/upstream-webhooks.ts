import type { Db } from '../db/knex.js';
import { upstreamWebhooksRepo } from '../db/upstream-webhooks-repo.js';
import { toUpstreamWebhookObject as toObject } from '../webhooks/inbound/upstream-webhook-view.js';
import type { createWebhookIngress } from '../webhooks/inbound/ingress.js';
import { ApiError } from '../http/problem.js';
import { pageRequest, pathId, type Handlers } from './handler.js';

type UpstreamWebhookOperations = 'receiveUpstreamWebhook' | 'listUpstreamWebhooks' | 'getUpstreamWebhook';

export function upstreamWebhookHandlers(deps: { db: Db; ingress: ReturnType<typeof createWebhookIngress> }): Handlers<UpstreamWebhookOperations> {
  return {
    /** The upstream's call: stored, verified over the raw bytes, acknowledged the way it expects. */
    async receiveUpstreamWebhook(c, req, res) {
      const { connector, gateway_account_id: accountId } = c.request.params;
      const ack = await deps.ingress(req, connector, accountId);
      res.status(ack.status);
      if (ack.contentType) res.type(ack.contentType);
      res.send(ack.body ?? '');
    },
    async listUpstreamWebhooks(c, _req, res) {
      // `verified` and `processed` arrive as booleans: openapi-backend coerces parameters to their schema types.
      const q = c.request.query;
      const page = await upstreamWebhooksRepo.list(deps.db, pageRequest(c), {
        ...(q.connector ? { connector: q.connector } : {}),
        ...(q.gateway_account_id ? { gatewayAccountId: q.gateway_account_id } : {}),
        ...(q.verified !== undefined ? { verified: q.verified } : {}),
        ...(q.processed !== undefined ? { processed: q.processed } : {}),
      });
      res.json({ object: 'list', data: page.data.map(toObject), has_more: page.has_more });
    },
    async getUpstreamWebhook(c, _req, res) {
      const row = await upstreamWebhooksRepo.find(deps.db, pathId(c));
      if (!row) throw new ApiError('not_found', `No upstream webhook ${pathId(c)}`);
      res.json(toObject(row));
    },
  };
}
