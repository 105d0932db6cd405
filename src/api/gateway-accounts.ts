import type { Db } from '../db/knex.js';
import type { SecretBox } from '../security/secret-box.js';
import type { GatewayAccountService } from '../gateway-accounts/gateway-account-service.js';
import { createIdempotently } from '../http/idempotency.js';
import { pageRequest, pathId, tenantScope, type Handlers } from './handler.js';

type GatewayAccountOperations =
  | 'createGatewayAccount'
  | 'listGatewayAccounts'
  | 'getGatewayAccount'
  | 'updateGatewayAccount'
  | 'deleteGatewayAccount'
  | 'getGatewayAccountBalance';

export function gatewayAccountHandlers(deps: { db: Db; secretBox: SecretBox; gatewayAccounts: GatewayAccountService }): Handlers<GatewayAccountOperations> {
  const { gatewayAccounts } = deps;
  return {
    async createGatewayAccount(c, req, res) {
      const scope = tenantScope(res);
      const body = c.request.requestBody;
      await createIdempotently(deps, req, res, scope, body, (finish) => gatewayAccounts.create(scope, body, finish));
    },
    async listGatewayAccounts(c, _req, res) {
      res.json(await gatewayAccounts.list(tenantScope(res), pageRequest(c), c.request.query.connector));
    },
    async getGatewayAccount(c, _req, res) {
      res.json(await gatewayAccounts.toObject(await gatewayAccounts.find(tenantScope(res), pathId(c))));
    },
    async updateGatewayAccount(c, _req, res) {
      res.json(await gatewayAccounts.update(tenantScope(res), pathId(c), c.request.requestBody));
    },
    async deleteGatewayAccount(c, _req, res) {
      res.json(await gatewayAccounts.remove(tenantScope(res), pathId(c)));
    },
    async getGatewayAccountBalance(c, _req, res) {
      res.json(await gatewayAccounts.balance(tenantScope(res), pathId(c)));
    },
  };
}
