import type { UpstreamEvent, UpstreamInvoice } from '../types.js';
import type { SandboxInvoiceRow } from '../../db/sandbox-invoices-repo.js';

/** The sandbox stores our own statuses, so there is no status table: the mapping is the identity. */
export function toUpstreamInvoice(row: SandboxInvoiceRow, publicBaseUrl: string): UpstreamInvoice {
  return {
    upstreamId: row.upstream_id,
    status: row.status,
    payUrl: `${publicBaseUrl}/sandbox/pay/${row.upstream_id}`,
    payment: null,
    paid: row.paid_amount && row.paid_at ? { amount: row.paid_amount, currency: row.currency, paidAt: row.paid_at, fee: '0' } : null,
    raw: { sandbox_status: row.status },
  };
}

export function toUpstreamEvent(row: SandboxInvoiceRow, publicBaseUrl: string): UpstreamEvent {
  const { upstreamId, status, paid, raw } = toUpstreamInvoice(row, publicBaseUrl);
  return { dedupeKey: `${upstreamId}:${status}`, upstreamId, status, paid, raw };
}
