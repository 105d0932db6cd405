import type { TenantRow } from '../db/tenants-repo.js';
import type { ApiKeyRow } from '../db/api-keys-repo.js';

/** The public Tenant object (operator API and CLI). */
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

/** The public ApiKey object: never the secret or its hash. */
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
