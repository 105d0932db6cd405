import type { Db } from '../db/knex.js';
import type { PageRequest } from '../db/pagination.js';
import { tenantsRepo, type TenantRow, type TenantStatus } from '../db/tenants-repo.js';
import { apiKeysRepo } from '../db/api-keys-repo.js';
import { gatewayAccountsRepo } from '../db/gateway-accounts-repo.js';
import { newId } from '../domain/ids.js';
import { TenantError, ValidationError } from '../domain/errors.js';
import { generateApiKeySecret, type KeyMode } from '../security/api-key-secret.js';
import { parseUrlInput, type UrlRule } from '../security/url-input.js';
import { toApiKeyObject, toTenantObject } from './tenant-view.js';
import { keyCacheTags } from '../security/shared-cache.js';

/** Links a buyer may follow from the checkout page: web pages and mail, never javascript: or data:. */
const SUPPORT_URL: UrlRule = { schemes: ['http:', 'https:', 'mailto:'] };

function toCheckoutSettings(row: TenantRow) {
  return { object: 'checkout_settings' as const, display_name: row.display_name, support_url: row.support_url };
}

/** Tenants and their API keys: one service for the operator API and the CLI, so both do exactly the same thing. */
/** Tells every API process that keys changed (their caches drop them); absent where nothing caches (tests of the CLI). */
export interface KeyChanges {
  invalidate(...tags: string[]): Promise<void>;
}

export function createTenantService(deps: { db: Db; keyChanges?: KeyChanges }) {
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
      if (patch.status) await deps.keyChanges?.invalidate(keyCacheTags.tenant(id));
      return toTenantObject(row);
    },
    /** The branding a tenant's checkout pages show (set by the tenant itself). */
    getCheckoutSettings: async (tenantId: string) => toCheckoutSettings(await find(tenantId)),
    async updateCheckoutSettings(tenantId: string, patch: { display_name?: string | null; support_url?: string | null }) {
      const displayName = patch.display_name === undefined ? undefined : patch.display_name === null ? null : patch.display_name.trim();
      if (displayName === '') throw new ValidationError([{ field: '/body/display_name', message: 'must not be blank (send null to show the tenant name)', code: 'blank' }]);
      if (patch.support_url) parseUrlInput(patch.support_url, '/body/support_url', SUPPORT_URL);
      const row = await tenantsRepo.update(db, tenantId, {
        ...(displayName !== undefined ? { display_name: displayName } : {}),
        ...(patch.support_url !== undefined ? { support_url: patch.support_url } : {}),
      });
      if (!row) throw new TenantError('not_found', `No tenant ${tenantId}`);
      return toCheckoutSettings(row);
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
      await deps.keyChanges?.invalidate(keyCacheTags.key(row.key_hash));
      return toApiKeyObject(row);
    },
  };
}

export type TenantService = ReturnType<typeof createTenantService>;
