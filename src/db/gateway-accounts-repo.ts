import type { DbOrTx } from './knex.js';
import { newId } from '../domain/ids.js';
import { fetchPage, type PageRequest } from './pagination.js';

export interface GatewayAccountRow {
  id: string;
  tenant_id: string;
  livemode: boolean;
  connector: string;
  name: string | null;
  credentials_encrypted: string | null;
  config: Record<string, unknown>;
  enabled: boolean;
  priority: number;
  weight: number;
  currencies: string[] | null;
  min_amount: string | null;
  max_amount: string | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export const gatewayAccountsRepo = {
  find: async (db: DbOrTx, tenantId: string, livemode: boolean, id: string): Promise<GatewayAccountRow | undefined> =>
    db('gateway_accounts').where({ id, tenant_id: tenantId, livemode }).whereNull('deleted_at').first(),
  /** Enabled accounts of one tenant and mode, highest priority first. */
  listUsable: async (db: DbOrTx, tenantId: string, livemode: boolean): Promise<GatewayAccountRow[]> =>
    db('gateway_accounts')
      .where({ tenant_id: tenantId, livemode, enabled: true })
      .whereNull('deleted_at')
      .orderBy([{ column: 'priority', order: 'desc' }, { column: 'id', order: 'asc' }]),
  insert: async (db: DbOrTx, row: Omit<GatewayAccountRow, 'created_at' | 'updated_at' | 'deleted_at'>): Promise<GatewayAccountRow> =>
    ((await db('gateway_accounts')
      .insert({ ...row, config: JSON.stringify(row.config) })
      .returning('*')) as GatewayAccountRow[])[0]!,
  list: (db: DbOrTx, tenantId: string, livemode: boolean, page: PageRequest, connector?: string) => {
    const q = db('gateway_accounts').select('*').where({ tenant_id: tenantId, livemode }).whereNull('deleted_at');
    if (connector) q.where({ connector });
    return fetchPage<GatewayAccountRow>(q, page);
  },
  update: async (db: DbOrTx, id: string, patch: Partial<GatewayAccountRow>): Promise<GatewayAccountRow> =>
    ((await db('gateway_accounts')
      .where({ id })
      .update({ ...patch, ...(patch.config ? { config: JSON.stringify(patch.config) } : {}), updated_at: db.fn.now() })
      .returning('*')) as GatewayAccountRow[])[0]!,
  /** For webhook ingress: any tenant, not deleted. */
  findForConnector: async (db: DbOrTx, connector: string, id: string): Promise<GatewayAccountRow | undefined> =>
    db('gateway_accounts').where({ id, connector }).whereNull('deleted_at').first(),
  /** Enabled accounts of these connectors, every tenant and mode (the worker's payment waiters follow them). */
  listEnabledOf: async (db: DbOrTx, connectors: string[]): Promise<GatewayAccountRow[]> =>
    connectors.length ? db('gateway_accounts').whereIn('connector', connectors).where({ enabled: true }).whereNull('deleted_at').orderBy('id') : [],
  findById: async (db: DbOrTx, id: string): Promise<GatewayAccountRow | undefined> => db('gateway_accounts').where({ id }).first(),
  /** The tenant's implicit sandbox account in test mode, created on first use. */
  ensureSandbox: async (db: DbOrTx, tenantId: string): Promise<void> => {
    await db.raw(
      // Lowest priority: accounts the tenant connects itself win unless the sandbox is asked for.
      `INSERT INTO gateway_accounts (id, tenant_id, livemode, connector, name, priority)
       VALUES (?, ?, false, 'sandbox', 'Sandbox', -1000)
       ON CONFLICT (tenant_id, livemode) WHERE connector = 'sandbox' AND deleted_at IS NULL DO NOTHING`,
      [newId('ga'), tenantId],
    );
  },
};
