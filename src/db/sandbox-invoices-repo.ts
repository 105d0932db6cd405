import type { DbOrTx } from './knex.js';

export type SandboxStatus = 'pending' | 'processing' | 'paid' | 'expired' | 'cancelled' | 'failed' | 'refunded';

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

/** The sandbox upstream's own records (what a real gateway would keep on its side); new rows are written with their invoice (db/invoice-creation-repo.ts). */
export const sandboxInvoicesRepo = {
  find: async (db: DbOrTx, upstreamId: string): Promise<SandboxInvoiceRow | undefined> =>
    db('sandbox_invoices').where({ upstream_id: upstreamId }).first(),
  update: async (db: DbOrTx, upstreamId: string, patch: Partial<SandboxInvoiceRow>): Promise<SandboxInvoiceRow | undefined> =>
    ((await db('sandbox_invoices')
      .where({ upstream_id: upstreamId })
      .update({ ...patch, updated_at: db.fn.now() })
      .returning('*')) as SandboxInvoiceRow[])[0],
  /** The checkout token of the invoice a sandbox invoice was opened for (its old pay_url redirects there). */
  findCheckoutToken: async (db: DbOrTx, upstreamId: string): Promise<string | undefined> =>
    (
      await db('sandbox_invoices as s')
        .join('upstream_invoices as u', function () {
          this.on('u.upstream_id', '=', 's.upstream_id').andOn('u.gateway_account_id', '=', 's.gateway_account_id');
        })
        .join('invoices as i', 'i.id', 'u.invoice_id')
        .where('s.upstream_id', upstreamId)
        .first<{ checkout_token: string } | undefined>('i.checkout_token')
    )?.checkout_token,
};
