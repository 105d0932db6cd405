import type { DbOrTx } from './knex.js';

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

/** What the sandbox's pretend checkout page shows: our invoice behind a sandbox upstream id. */
export interface SandboxCheckoutRow {
  id: string;
  amount: string;
  currency: string;
  status: string;
  description: string | null;
}

/** The sandbox upstream's own records (what a real gateway would keep on its side). */
export const sandboxInvoicesRepo = {
  insert: async (db: DbOrTx, row: Omit<SandboxInvoiceRow, 'paid_amount' | 'paid_at'>): Promise<SandboxInvoiceRow> =>
    ((await db('sandbox_invoices').insert(row).returning('*')) as SandboxInvoiceRow[])[0]!,
  find: async (db: DbOrTx, upstreamId: string): Promise<SandboxInvoiceRow | undefined> =>
    db('sandbox_invoices').where({ upstream_id: upstreamId }).first(),
  update: async (db: DbOrTx, upstreamId: string, patch: Partial<SandboxInvoiceRow>): Promise<SandboxInvoiceRow | undefined> =>
    ((await db('sandbox_invoices')
      .where({ upstream_id: upstreamId })
      .update({ ...patch, updated_at: db.fn.now() })
      .returning('*')) as SandboxInvoiceRow[])[0],
  findCheckout: async (db: DbOrTx, upstreamId: string): Promise<SandboxCheckoutRow | undefined> =>
    db('sandbox_invoices as s')
      .join('invoices as i', function () {
        this.on('i.upstream_id', '=', 's.upstream_id').andOn('i.gateway_account_id', '=', 's.gateway_account_id');
      })
      .where('s.upstream_id', upstreamId)
      .first<SandboxCheckoutRow | undefined>('i.id', 'i.amount', 'i.currency', 'i.status', 'i.description'),
};
