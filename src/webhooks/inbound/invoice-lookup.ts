import type { Db } from '../../db/knex.js';
import { invoicesRepo } from '../../db/invoices-repo.js';
import { upstreamInvoicesRepo } from '../../db/upstream-invoices-repo.js';
import type { InvoiceSnapshot } from '../../connectors/types.js';

/**
 * What a connector answering on the webhook's request path may see of an invoice: only one this
 * account ever opened an upstream invoice for (so never another tenant's), and only whether its
 * current upstream invoice is here, its status, amount, currency and expiry.
 */
export function createInvoiceLookup(db: Db, gatewayAccountId: string) {
  return async function lookup(invoiceId: string): Promise<InvoiceSnapshot | null> {
    const upstream = await upstreamInvoicesRepo.findByInvoiceForAccount(db, gatewayAccountId, invoiceId);
    if (!upstream) return null;
    const invoice = await invoicesRepo.findById(db, upstream.invoice_id);
    if (!invoice) return null;
    return {
      id: invoice.id,
      status: invoice.status,
      amount: invoice.amount,
      currency: invoice.currency,
      expiresAt: invoice.expires_at,
      currentHere: invoice.gateway_account_id === gatewayAccountId && invoice.upstream_id !== null && upstream.state === 'current',
    };
  };
}
