import type { DbOrTx } from './knex.js';
import { newId } from '../domain/ids.js';
import type { InvoiceStatus } from '../domain/invoice-status.js';
import type { InvoiceRow } from './invoices-repo.js';

/** current: what the invoice shows; abandoned: the buyer moved on, still watched for money; cancelled: withdrawn upstream. */
export type UpstreamInvoiceState = 'current' | 'abandoned' | 'cancelled';

/** One invoice opened at an upstream on behalf of one of our invoices (an invoice may have several over its life). */
export interface UpstreamInvoiceRow {
  id: string;
  invoice_id: string;
  gateway_account_id: string;
  connector: string;
  upstream_id: string;
  state: UpstreamInvoiceState;
  /** The upstream's last reported status, in our status table. */
  status: InvoiceStatus;
  paid: InvoiceRow['paid'];
  pay_url: string | null;
  payment: Record<string, string> | null;
  created_at: Date;
  updated_at: Date;
}

export const upstreamInvoicesRepo = {
  insert: async (
    db: DbOrTx,
    row: Pick<UpstreamInvoiceRow, 'invoice_id' | 'gateway_account_id' | 'connector' | 'upstream_id' | 'state' | 'pay_url' | 'payment'>,
  ): Promise<UpstreamInvoiceRow> =>
    ((await db('upstream_invoices')
      .insert({ id: newId('upi'), ...row, payment: row.payment === null ? null : JSON.stringify(row.payment) })
      .returning('*')) as UpstreamInvoiceRow[])[0]!,
  /** The upstream invoice an upstream's webhook or answer names, within one account. */
  findByUpstream: async (db: DbOrTx, gatewayAccountId: string, upstreamId: string): Promise<UpstreamInvoiceRow | undefined> =>
    db('upstream_invoices').where({ gateway_account_id: gatewayAccountId, upstream_id: upstreamId }).first(),
  /** For upstreams that only echo our reference: the newest upstream invoice of this invoice at this account. */
  findByInvoiceForAccount: async (db: DbOrTx, gatewayAccountId: string, invoiceId: string): Promise<UpstreamInvoiceRow | undefined> =>
    db('upstream_invoices').where({ gateway_account_id: gatewayAccountId, invoice_id: invoiceId }).orderBy('id', 'desc').first(),
  listForInvoice: async (db: DbOrTx, invoiceId: string): Promise<UpstreamInvoiceRow[]> => db('upstream_invoices').where({ invoice_id: invoiceId }).orderBy('id'),
  /** Upstream invoices that may still receive money (not withdrawn), of these invoices. */
  listWatched: async (db: DbOrTx, invoiceIds: string[]): Promise<UpstreamInvoiceRow[]> =>
    invoiceIds.length ? db('upstream_invoices').whereIn('invoice_id', invoiceIds).whereNot({ state: 'cancelled' }).orderBy('id') : [],
  /** Upstream invoices of one account that could still be paid as far as we know (not withdrawn, not yet paid or expired). */
  listOpenForAccount: async (db: DbOrTx, gatewayAccountId: string, limit: number): Promise<UpstreamInvoiceRow[]> =>
    db('upstream_invoices')
      .where({ gateway_account_id: gatewayAccountId })
      .whereNot({ state: 'cancelled' })
      .whereIn('status', ['pending', 'processing'])
      .orderBy('id')
      .limit(limit),
  update: async (db: DbOrTx, id: string, patch: Partial<Pick<UpstreamInvoiceRow, 'state' | 'status' | 'paid'>>): Promise<UpstreamInvoiceRow> =>
    ((await db('upstream_invoices')
      .where({ id })
      .update({ ...patch, ...('paid' in patch ? { paid: patch.paid === null ? null : JSON.stringify(patch.paid) } : {}), updated_at: db.fn.now() })
      .returning('*')) as UpstreamInvoiceRow[])[0]!,
  /** The invoice's current upstream invoice becomes abandoned (the buyer picked another one). */
  abandonCurrent: async (db: DbOrTx, invoiceId: string): Promise<UpstreamInvoiceRow[]> =>
    (await db('upstream_invoices').where({ invoice_id: invoiceId, state: 'current' }).update({ state: 'abandoned', updated_at: db.fn.now() }).returning('*')) as UpstreamInvoiceRow[],
};
