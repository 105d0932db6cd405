import type { TenantStatus } from '../db/tenants-repo.js';
import type { KeyMode } from '../security/api-key-secret.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { pageRequest, pathId, type Handler } from './handler.js';

export function operatorHandlers(deps: { tenants: TenantService }): Record<string, Handler> {
  const { tenants } = deps;
  return {
    async createTenant(c, _req, res) {
      const body = c.request.requestBody as { name: string };
      res.status(201).json(await tenants.create(body.name));
    },
    async listTenants(c, _req, res) {
      const status = (c.request.query as Record<string, string | undefined>).status as TenantStatus | undefined;
      res.json(await tenants.list(pageRequest(c), status));
    },
    async getTenant(c, _req, res) {
      res.json(await tenants.get(pathId(c)));
    },
    async updateTenant(c, _req, res) {
      const body = c.request.requestBody as { name?: string; status?: TenantStatus };
      res.json(await tenants.update(pathId(c), body));
    },
    async createApiKey(c, _req, res) {
      const body = c.request.requestBody as { mode: KeyMode; name?: string };
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
