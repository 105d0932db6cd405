import type { Db } from '../db/knex.js';
import type { SecretBox } from '../security/secret-box.js';
import type { EndpointService } from '../webhooks/outbound/endpoint-service.js';
import { createIdempotently } from '../http/idempotency.js';
import { noStore } from '../http/no-store.js';
import { pageRequest, pathId, tenantScope, type Handlers } from './handler.js';

type WebhookEndpointOperations =
  | 'createWebhookEndpoint'
  | 'listWebhookEndpoints'
  | 'getWebhookEndpoint'
  | 'updateWebhookEndpoint'
  | 'deleteWebhookEndpoint'
  | 'rotateWebhookEndpointSecret'
  | 'testWebhookEndpoint';

export function webhookEndpointHandlers(deps: { db: Db; secretBox: SecretBox; endpoints: EndpointService }): Handlers<WebhookEndpointOperations> {
  const { endpoints } = deps;
  return {
    async createWebhookEndpoint(c, req, res) {
      const scope = tenantScope(res);
      const body = c.request.requestBody;
      noStore(res);
      await createIdempotently(deps, req, res, scope, body, (finish) => endpoints.create(scope, body, finish));
    },
    async listWebhookEndpoints(c, _req, res) {
      res.json(await endpoints.list(tenantScope(res), pageRequest(c)));
    },
    async getWebhookEndpoint(c, _req, res) {
      res.json(await endpoints.get(tenantScope(res), pathId(c)));
    },
    async updateWebhookEndpoint(c, _req, res) {
      res.json(await endpoints.update(tenantScope(res), pathId(c), c.request.requestBody));
    },
    async deleteWebhookEndpoint(c, _req, res) {
      res.json(await endpoints.remove(tenantScope(res), pathId(c)));
    },
    async rotateWebhookEndpointSecret(c, _req, res) {
      noStore(res);
      res.json(await endpoints.rotateSecret(tenantScope(res), pathId(c)));
    },
    async testWebhookEndpoint(c, _req, res) {
      res.status(202).json(await endpoints.sendTest(tenantScope(res), pathId(c)));
    },
  };
}
