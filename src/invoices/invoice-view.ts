import type { InvoiceRow } from '../db/invoices-repo.js';

const PAYMENT_FIELDS = ['address', 'network', 'asset', 'amount', 'bolt11'] as const;

/** The fields present, in the documented order (jsonb does not keep key order). */
export function paymentInOrder(payment: Record<string, string>): Record<string, string> {
  return Object.fromEntries(PAYMENT_FIELDS.filter((k) => payment[k] !== undefined).map((k) => [k, payment[k]!]));
}

/** A stored `paid` as the API shows it (InvoicePaid), members in the documented order. */
export function paidObject(paid: NonNullable<InvoiceRow['paid']>) {
  return { amount: paid.amount, currency: paid.currency, paid_at: paid.paid_at, fee: paid.fee, exception: paid.exception ?? null };
}

/** The hosted checkout page of an invoice. */
export function checkoutUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/checkout/${token}`;
}

/** The gateway block: null until a gateway has been tried (a 'buyer' invoice before the buyer picks). */
function gatewayOf(row: InvoiceRow) {
  if (!row.connector && !row.gateway_attempts.length) return null;
  return {
    connector: row.connector,
    account_id: row.gateway_account_id,
    upstream_id: row.upstream_id,
    // jsonb reorders keys; rebuild objects so answers always read in the documented order.
    attempts: row.gateway_attempts.map((a) => ({
      account_id: a.account_id,
      connector: a.connector,
      outcome: a.outcome,
      code: a.code,
      duration_ms: a.duration_ms,
      selected_by: a.selected_by ?? ('routing' as const),
      attempted_at: a.attempted_at ?? row.created_at.toISOString(),
    })),
  };
}

/**
 * The public Invoice object (the `Invoice` schema in openapi/openapi.yaml): what the API answers
 * and what every event carries. `pay_url` falls back to the checkout page, so every invoice has a
 * link a buyer can open.
 */
export function toInvoiceObject(row: InvoiceRow, publicBaseUrl: string) {
  const checkout_url = checkoutUrl(publicBaseUrl, row.checkout_token);
  return {
    id: row.id,
    object: 'invoice' as const,
    livemode: row.livemode,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    accepted_assets: row.accepted_assets,
    description: row.description,
    external_id: row.external_id,
    metadata: row.metadata,
    customer: row.customer,
    gateway_selection: row.gateway_selection,
    gateway: gatewayOf(row),
    pay_url: row.pay_url ?? checkout_url,
    checkout_url,
    payment: row.payment && paymentInOrder(row.payment),
    paid: row.paid && paidObject(row.paid),
    refunds: row.refunds.map((r) => ({
      amount: r.amount,
      currency: r.currency,
      status: r.status,
      reference: r.reference,
      claim_url: r.claim_url,
      reason: r.reason,
      source: r.source,
      created_at: r.created_at,
    })),
    return_url: row.return_url,
    fail_return_url: row.fail_return_url,
    expires_at: row.expires_at.toISOString(),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
