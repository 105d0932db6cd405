import type { DbOrTx } from './knex.js';
import { fetchPage, type PageRequest } from './pagination.js';

export type TenantStatus = 'active' | 'suspended';

export interface TenantRow {
  id: string;
  name: string;
  status: TenantStatus;
  /** The buyer-facing name on checkout pages (null: `name`), and an optional support link there. */
  display_name: string | null;
  support_url: string | null;
  created_at: Date;
  updated_at: Date;
}

export const tenantsRepo = {
  insert: async (db: DbOrTx, row: Pick<TenantRow, 'id' | 'name'>): Promise<TenantRow> =>
    ((await db('tenants').insert(row).returning('*')) as TenantRow[])[0]!,
  find: async (db: DbOrTx, id: string): Promise<TenantRow | undefined> => db('tenants').where({ id }).first(),
  list: (db: DbOrTx, page: PageRequest, status?: TenantStatus) => {
    const q = db('tenants').select('*');
    if (status) q.where({ status });
    return fetchPage<TenantRow>(q, page);
  },
  update: async (db: DbOrTx, id: string, patch: Partial<Pick<TenantRow, 'name' | 'status' | 'display_name' | 'support_url'>>): Promise<TenantRow | undefined> =>
    ((await db('tenants').where({ id }).update({ ...patch, updated_at: db.fn.now() }).returning('*')) as TenantRow[])[0],
};
