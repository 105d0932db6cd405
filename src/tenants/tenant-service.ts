import type { Db } from '../db/knex.js';
import type { PageRequest } from '../db/pagination.js';
import { tenantsRepo, type TenantRow, type TenantStatus } from '../db/tenants-repo.js';
import { apiKeysRepo } from '../db/api-keys-repo.js';
import { gatewayAccountsRepo } from '../db/gateway-accounts-repo.js';
import { newId } from '../domain/ids.js';
import { TenantError } from '../domain/errors.js';
import { generateApiKeySecret, type KeyMode } from '../security/api-key-secret.js';
import { toApiKeyObject, toTenantObject } from './tenant-view.js';

/** Tenants and their API keys: one service for the operator API and the CLI, so both do exactly the same thing. */
export function createTenantService(deps: { db: Db }) {
  const { db } = deps;

  async function find(id: string): Promise<TenantRow> {
    const tenant = await tenantsRepo.find(db, id);
    if (!tenant) throw new TenantError('not_found', `No tenant ${id}`);
    return tenant;
  }

  return {
    /** A new tenant comes with its sandbox account (test mode), so it can try the API at once. */
    async create(name: string) {
      const tenant = await db.transaction(async (trx) => {
        const row = await tenantsRepo.insert(trx, { id: newId('ten'), name: name.trim() });
        await gatewayAccountsRepo.ensureSandbox(trx, row.id);
        return row;
      });
      return toTenantObject(tenant);
    },
    async list(page: PageRequest, status?: TenantStatus) {
      const result = await tenantsRepo.list(db, page, status);
      return { object: 'list' as const, data: result.data.map(toTenantObject), has_more: result.has_more };
    },
    get: async (id: string) => toTenantObject(await find(id)),
    /** Rename or suspend / reactivate; a suspended tenant's keys stop authenticating at once. */
    async update(id: string, patch: { name?: string; status?: TenantStatus }) {
      const row = await tenantsRepo.update(db, id, { ...patch, ...(patch.name ? { name: patch.name.trim() } : {}) });
      if (!row) throw new TenantError('not_found', `No tenant ${id}`);
      return toTenantObject(row);
    },
    /** The secret is in this answer only; we keep its hash. */
    async createApiKey(tenantId: string, mode: KeyMode, name: string | null) {
      await find(tenantId);
      const { secret, prefix, hash } = generateApiKeySecret(mode);
      const row = await apiKeysRepo.insert(db, { id: newId('key'), tenant_id: tenantId, mode, name, prefix, key_hash: hash });
      return { ...toApiKeyObject(row), secret };
    },
    async listApiKeys(tenantId: string, page: PageRequest) {
      const tenant = await find(tenantId);
      const result = await apiKeysRepo.listForTenant(db, tenant.id, page);
      return { object: 'list' as const, data: result.data.map(toApiKeyObject), has_more: result.has_more };
    },
    async revokeApiKey(id: string) {
      const row = await apiKeysRepo.revoke(db, id);
      if (!row) throw new TenantError('not_found', `No API key ${id}`);
      return toApiKeyObject(row);
    },
  };
}

export type TenantService = ReturnType<typeof createTenantService>;
