/**
 * Every invoice write goes with the event it causes, in the same transaction (the outbox): the
 * relay sends exactly what was committed, never a change without its event or the reverse.
 */

import type { Db, DbOrTx } from '../db/knex.js';
import { invoicesRepo, type InvoiceRow } from '../db/invoices-repo.js';
import { eventsRepo } from '../db/events-repo.js';
import { upstreamInvoicesRepo } from '../db/upstream-invoices-repo.js';
import type { InvoiceEventType } from '../domain/invoice-status.js';
import { toInvoiceObject } from './invoice-view.js';

/** A new invoice's row, as the service builds it (timestamps and reconcile bookkeeping come from the database). */
export type NewInvoiceRow = Omit<InvoiceRow, 'created_at' | 'updated_at' | 'reconcile_attempts' | 'next_reconcile_at'>;

/** Writes invoices with their events; the public base URL is what events' checkout links are built from. */
export function createInvoiceWrites(publicBaseUrl: string) {
  return {
    /**
     * Stores a new invoice, its upstream invoice (when routing opened one) and its invoice.created
     * event; `alsoWithin` writes more in the same transaction (the request's kept idempotent answer).
     */
    async insertWithCreatedEvent(db: Db, row: NewInvoiceRow, alsoWithin?: (trx: DbOrTx, inserted: InvoiceRow) => Promise<void>): Promise<InvoiceRow> {
      return db.transaction(async (trx) => {
        const inserted = await invoicesRepo.insert(trx, row);
        if (inserted.upstream_id && inserted.gateway_account_id && inserted.connector) {
          await upstreamInvoicesRepo.insert(trx, {
            invoice_id: inserted.id,
            gateway_account_id: inserted.gateway_account_id,
            connector: inserted.connector,
            upstream_id: inserted.upstream_id,
            state: 'current',
            pay_url: inserted.pay_url,
            payment: inserted.payment,
          });
        }
        await eventsRepo.insert(trx, {
          tenant_id: inserted.tenant_id,
          livemode: inserted.livemode,
          type: 'invoice.created',
          invoice_id: inserted.id,
          data: toInvoiceObject(inserted, publicBaseUrl),
        });
        await alsoWithin?.(trx, inserted);
        return inserted;
      });
    },

    /** Writes a change to an invoice and the event it causes; call it inside the caller's transaction. */
    async updateWithEvent(trx: DbOrTx, row: InvoiceRow, patch: Partial<InvoiceRow>, type: InvoiceEventType): Promise<InvoiceRow> {
      const updated = await invoicesRepo.update(trx, row.id, patch);
      await eventsRepo.insert(trx, { tenant_id: row.tenant_id, livemode: row.livemode, type, invoice_id: row.id, data: toInvoiceObject(updated, publicBaseUrl) });
      return updated;
    },
  };
}

export type InvoiceWrites = ReturnType<typeof createInvoiceWrites>;
