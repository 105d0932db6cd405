import type { Db } from '../db/knex.js';
import { tenantsRepo, type TenantRow } from '../db/tenants-repo.js';
import { apiKeysRepo, type ApiKeyRow } from '../db/api-keys-repo.js';
import { gatewayAccountsRepo } from '../db/gateway-accounts-repo.js';
import { newId } from '../domain/ids.js';
import { generateApiKeySecret, type KeyMode } from '../security/api-key-secret.js';
import { ApiError } from '../http/problem.js';
import { pageRequest, pathId, type Handlers } from './handler.js';

export function toTenantObject(row: TenantRow) {
  return {
    id: row.id,
    object: 'tenant' as const,
    name: row.name,
    status: row.status,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function toApiKeyObject(row: ApiKeyRow) {
  return {
    id: row.id,
    object: 'api_key' as const,
    tenant_id: row.tenant_id,
    mode: row.mode,
    name: row.name,
    prefix: row.prefix,
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null,
  };
}

/** Shared by the operator API and the CLI, so both do exactly the same thing. */
export function createTenantAdmin(db: Db) {
  const mustFindTenant = async (id: string) => {
    const tenant = await tenantsRepo.find(db, id);
    if (!tenant) throw new ApiError('not_found', `No tenant ${id}`);
    return tenant;
  };
  return {
    createTenant: (name: string) =>
      db.transaction(async (trx) => {
        const tenant = await tenantsRepo.insert(trx, { id: newId('ten'), name: name.trim() });
        await gatewayAccountsRepo.ensureSandbox(trx, tenant.id);
        return tenant;
      }),
    mustFindTenant,
    async createApiKey(tenantId: string, mode: KeyMode, name: string | null) {
      await mustFindTenant(tenantId);
      const { secret, prefix, hash } = generateApiKeySecret(mode);
      const row = await apiKeysRepo.insert(db, { id: newId('key'), tenant_id: tenantId, mode, name, prefix, key_hash: hash });
      return { row, secret };
    },
    async revokeApiKey(id: string) {
      const row = await apiKeysRepo.revoke(db, id);
      if (!row) throw new ApiError('not_found', `No API key ${id}`);
      return row;
    },
  };
}

export type TenantAdmin = ReturnType<typeof createTenantAdmin>;

type OperatorOperations = 'createTenant' | 'listTenants' | 'getTenant' | 'updateTenant' | 'createApiKey' | 'listApiKeys' | 'revokeApiKey';

export function operatorHandlers(deps: { db: Db; admin: TenantAdmin }): Handlers<OperatorOperations> {
  const { db, admin } = deps;
  return {
    async createTenant(c, _req, res) {
      res.status(201).json(toTenantObject(await admin.createTenant(c.request.requestBody.name)));
    },
    async listTenants(c, _req, res) {
      const page = await tenantsRepo.list(db, pageRequest(c), c.request.query.status);
      res.json({ object: 'list', data: page.data.map(toTenantObject), has_more: page.has_more });
    },
    async getTenant(c, _req, res) {
      res.json(toTenantObject(await admin.mustFindTenant(pathId(c))));
    },
    async updateTenant(c, _req, res) {
      const body = c.request.requestBody;
      const row = await tenantsRepo.update(db, pathId(c), { ...body, ...(body.name ? { name: body.name.trim() } : {}) });
      if (!row) throw new ApiError('not_found', `No tenant ${pathId(c)}`);
      res.json(toTenantObject(row));
    },
    async createApiKey(c, _req, res) {
      const body = c.request.requestBody;
      const { row, secret } = await admin.createApiKey(pathId(c), body.mode, body.name ?? null);
      res.status(201).json({ ...toApiKeyObject(row), secret });
    },
    async listApiKeys(c, _req, res) {
      const tenant = await admin.mustFindTenant(pathId(c));
      const page = await apiKeysRepo.listForTenant(db, tenant.id, pageRequest(c));
      res.json({ object: 'list', data: page.data.map(toApiKeyObject), has_more: page.has_more });
    },
    async revokeApiKey(c, _req, res) {
      res.json(toApiKeyObject(await admin.revokeApiKey(pathId(c))));
    },
  };
}
