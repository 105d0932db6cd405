import type { DbOrTx } from '../../db/knex.js';

export type SandboxStatus = 'pending' | 'processing' | 'paid' | 'expired' | 'cancelled' | 'failed';

export interface SandboxInvoiceRow {
  upstream_id: string;
  gateway_account_id: string;
  status: SandboxStatus;
  amount: string;
  currency: string;
  paid_amount: string | null;
  paid_at: Date | null;
  expires_at: Date;
}

/** The sandbox upstream's own records (what a real gateway would keep on its side). */
export const sandboxStore = {
  insert: async (db: DbOrTx, row: Omit<SandboxInvoiceRow, 'paid_amount' | 'paid_at'>): Promise<SandboxInvoiceRow> =>
    ((await db('sandbox_invoices').insert(row).returning('*')) as SandboxInvoiceRow[])[0]!,
  find: async (db: DbOrTx, upstreamId: string): Promise<SandboxInvoiceRow | undefined> =>
    db('sandbox_invoices').where({ upstream_id: upstreamId }).first(),
  update: async (db: DbOrTx, upstreamId: string, patch: Partial<SandboxInvoiceRow>): Promise<SandboxInvoiceRow | undefined> =>
    ((await db('sandbox_invoices')
      .where({ upstream_id: upstreamId })
      .update({ ...patch, updated_at: db.fn.now() })
      .returning('*')) as SandboxInvoiceRow[])[0],
};
