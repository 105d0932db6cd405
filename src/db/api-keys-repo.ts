import type { DbOrTx } from './knex.js';
import { fetchPage, type PageRequest } from './pagination.js';
import type { KeyMode } from '../security/api-key-secret.js';

export interface ApiKeyRow {
  id: string;
  tenant_id: string;
  mode: KeyMode;
  name: string | null;
  prefix: string;
  key_hash: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface ApiKeyWithTenant extends ApiKeyRow {
  tenant_status: 'active' | 'suspended';
}

export const apiKeysRepo = {
  insert: async (db: DbOrTx, row: Pick<ApiKeyRow, 'id' | 'tenant_id' | 'mode' | 'name' | 'prefix' | 'key_hash'>): Promise<ApiKeyRow> =>
    ((await db('api_keys').insert(row).returning('*')) as ApiKeyRow[])[0]!,
  findByHash: async (db: DbOrTx, keyHash: string): Promise<ApiKeyWithTenant | undefined> =>
    db('api_keys')
      .join('tenants', 'tenants.id', 'api_keys.tenant_id')
      .where('api_keys.key_hash', keyHash)
      .first('api_keys.*', 'tenants.status as tenant_status'),
  listForTenant: (db: DbOrTx, tenantId: string, page: PageRequest) =>
    fetchPage<ApiKeyRow>(db('api_keys').select('*').where({ tenant_id: tenantId }), page),
  /** Revoking twice keeps the first revocation time. */
  revoke: async (db: DbOrTx, id: string): Promise<ApiKeyRow | undefined> =>
    ((await db('api_keys')
      .where({ id })
      .update({ revoked_at: db.raw('COALESCE(revoked_at, now())') })
      .returning('*')) as ApiKeyRow[])[0],
  /** Written at most once a minute per key, so authentication is not a write per request. */
  touch: async (db: DbOrTx, id: string): Promise<void> => {
    await db('api_keys')
      .where({ id })
      .andWhere((q) => q.whereNull('last_used_at').orWhere('last_used_at', '<', db.raw(`now() - interval '60 seconds'`)))
      .update({ last_used_at: db.fn.now() });
  },
};
