import type { UpstreamEvent, UpstreamInvoice } from '../types.js';
import type { SandboxInvoiceRow } from '../../db/sandbox-invoices-repo.js';

/** The sandbox stores our own statuses, so there is no status table: the mapping is the identity. */
/** No pay_url of its own: the invoice's hosted checkout page (with its test-mode buttons) is where it is paid. */
export function toUpstreamInvoice(row: SandboxInvoiceRow): UpstreamInvoice {
  return {
    upstreamId: row.upstream_id,
    status: row.status,
    payUrl: null,
    payment: null,
    paid: row.paid_amount && row.paid_at ? { amount: row.paid_amount, currency: row.currency, paidAt: row.paid_at, fee: '0' } : null,
    raw: { sandbox_status: row.status },
  };
}

export function toUpstreamEvent(row: SandboxInvoiceRow): UpstreamEvent {
  const { upstreamId, status, paid, raw } = toUpstreamInvoice(row);
  return { dedupeKey: `${upstreamId}:${status}`, upstreamId, status, paid, raw };
}
