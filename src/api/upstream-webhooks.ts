import type { Db } from '../db/knex.js';
import { upstreamWebhooksRepo } from '../db/upstream-webhooks-repo.js';
import type { createWebhookIngress } from '../webhooks/inbound/ingress.js';
import { toUpstreamWebhookObject as toObject } from '../webhooks/inbound/upstream-webhook-view.js';
import { ApiError } from '../http/problem.js';
import { pageRequest, pathId, type Handler } from './handler.js';

export function upstreamWebhookHandlers(deps: { db: Db; ingress: ReturnType<typeof createWebhookIngress> }): Record<string, Handler> {
  return {
    /** The upstream's call: stored, verified over the raw bytes, acknowledged the way it expects. */
    async receiveUpstreamWebhook(c, req, res) {
      const params = c.request.params as Record<string, string>;
      const ack = await deps.ingress(req, String(params.connector), String(params.gateway_account_id));
      res.status(ack.status);
      if (ack.contentType) res.type(ack.contentType);
      res.send(ack.body ?? '');
    },
    async listUpstreamWebhooks(c, _req, res) {
      const q = c.request.query as Record<string, string | undefined>;
      const bool = (v: string | undefined) => (v === undefined ? undefined : v === 'true');
      const page = await upstreamWebhooksRepo.list(deps.db, pageRequest(c), {
        ...(q.connector ? { connector: q.connector } : {}),
        ...(q.gateway_account_id ? { gatewayAccountId: q.gateway_account_id } : {}),
        ...(q.verified !== undefined ? { verified: bool(q.verified)! } : {}),
        ...(q.processed !== undefined ? { processed: bool(q.processed)! } : {}),
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
