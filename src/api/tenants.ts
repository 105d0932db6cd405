import type { TenantService } from '../tenants/tenant-service.js';
import { pageRequest, pathId, type Handlers } from './handler.js';
import { noStore } from '../http/no-store.js';

type OperatorOperations = 'createTenant' | 'listTenants' | 'getTenant' | 'updateTenant' | 'createApiKey' | 'listApiKeys' | 'revokeApiKey';

/** The operator API: thin over the tenant service, which the CLI uses too. */
export function operatorHandlers(deps: { tenants: TenantService }): Handlers<OperatorOperations> {
  const { tenants } = deps;
  return {
    async createTenant(c, _req, res) {
      res.status(201).json(await tenants.create(c.request.requestBody.name));
    },
    async listTenants(c, _req, res) {
      res.json(await tenants.list(pageRequest(c), c.request.query.status));
    },
    async getTenant(c, _req, res) {
      res.json(await tenants.get(pathId(c)));
    },
    async updateTenant(c, _req, res) {
      res.json(await tenants.update(pathId(c), c.request.requestBody));
    },
    async createApiKey(c, _req, res) {
      const body = c.request.requestBody;
      noStore(res);
      res.status(201).json(await tenants.createApiKey(pathId(c), body.mode, body.name ?? null));
    },
    async listApiKeys(c, _req, res) {
      res.json(await tenants.listApiKeys(pathId(c), pageRequest(c)));
    },
    async revokeApiKey(c, _req, res) {
      res.json(await tenants.revokeApiKey(pathId(c)));
    },
  };
}
