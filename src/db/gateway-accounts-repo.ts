import type { DbOrTx } from './knex.js';
import { newId } from '../domain/ids.js';

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
  /** The tenant's implicit sandbox account in test mode, created on first use. */
  ensureSandbox: async (db: DbOrTx, tenantId: string): Promise<void> => {
    await db.raw(
      `INSERT INTO gateway_accounts (id, tenant_id, livemode, connector, name)
       VALUES (?, ?, false, 'sandbox', 'Sandbox')
       ON CONFLICT (tenant_id, livemode) WHERE connector = 'sandbox' AND deleted_at IS NULL DO NOTHING`,
      [newId('ga'), tenantId],
    );
  },
};
