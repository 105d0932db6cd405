import { Decimal } from 'decimal.js';
import type { CreateInvoiceInput, UpstreamEvent, UpstreamInvoice } from '../types.js';
import { UpstreamError } from '../types.js';

export const NETWORK = 'BSC (BEP-20)';
export const ASSET = 'USDT';

/** The `data` of POST /invoices. Only deposit_address is documented; the rest are assumptions. */
export interface XthonPayInvoice {
  deposit_address: string;
  /** assumption: the guide does not name the invoice id field. */
  invoice_id?: string | number;
  id?: string | number;
  external_id?: string;
  amount?: string | number;
  status?: string;
}

/** Webhook body: `{event: "invoice.paid", data: {external_id, …}}`; other fields are assumptions. */
export interface XthonPayWebhook {
  event: string;
  data?: {
    external_id?: string;
    /** assumption: not documented */
    invoice_id?: string | number;
    amount?: string | number;
    tx_hash?: string;
    paid_at?: string | number;
  };
}

/** "50.00": USDT with two decimals, as a string (the guide's example). More precision is refused, not rounded. */
export function toAmount(amount: string): string {
  const d = new Decimal(amount);
  if (d.decimalPlaces() > 2) throw new UpstreamError(`XthonPay takes USDT amounts with at most 2 decimals, got ${amount}`, 'decline', false, 'AMOUNT_PRECISION');
  return d.toFixed(2);
}

export function toCreateBody(input: CreateInvoiceInput, callbackUrl: string): Record<string, unknown> {
  return { amount: toAmount(input.amount), external_id: input.invoiceId, callback_url: callbackUrl };
}

/**
 * upstreamId is OUR invoice id (the external_id we sent), not XthonPay's own id: the webhook is
 * only documented to carry data.external_id, and webhooks find invoices by (account, upstream_id),
 * so create and webhook must agree. XthonPay's own id (assumed `invoice_id ?? id`) is kept in raw.
 */
export function toUpstreamInvoice(data: XthonPayInvoice, externalId: string, amount: string): UpstreamInvoice {
  const xthonId = data.invoice_id ?? data.id;
  return {
    upstreamId: externalId,
    status: 'pending',
    payUrl: null,
    payment: { address: data.deposit_address, network: NETWORK, asset: ASSET, amount },
    paid: null,
    raw: { xthonpay_invoice_id: xthonId === undefined ? null : String(xthonId), deposit_address: data.deposit_address, external_id: externalId },
  };
}

/** assumption: a status query (config.status_path) answers the create shape plus `status` pending | paid. */
const STATUS: Record<string, 'pending' | 'paid'> = { pending: 'pending', paid: 'paid' };

/** The answer of the configured status query; statuses other than pending/paid stay unknown. */
export function toQueriedInvoice(data: XthonPayInvoice & { paid_at?: string | number; tx_hash?: string }, externalId: string): UpstreamInvoice {
  const status = (data.status && STATUS[data.status.toLowerCase()]) || 'unknown';
  const amount = data.amount === undefined ? undefined : String(data.amount);
  return {
    upstreamId: externalId,
    status,
    payUrl: null,
    payment: data.deposit_address ? { address: data.deposit_address, network: NETWORK, asset: ASSET, ...(amount ? { amount } : {}) } : null,
    paid: status === 'paid' && amount ? { amount, currency: ASSET, paidAt: paidAt(data.paid_at), fee: null } : null,
    raw: { xthonpay_status: data.status ?? null, ...(data.tx_hash ? { tx_hash: data.tx_hash } : {}) },
  };
}

function paidAt(v: string | number | undefined): Date {
  if (v === undefined) return new Date();
  const d = typeof v === 'number' ? new Date(v < 1e12 ? v * 1000 : v) : new Date(v);
  return Number.isNaN(d.getTime()) ? new Date() : d;
}

/** Only invoice.paid is documented; other events are ignored (assumption: none we could map safely). */
export function toUpstreamEvents(body: XthonPayWebhook): UpstreamEvent[] {
  const externalId = body?.data?.external_id;
  if (body?.event !== 'invoice.paid' || typeof externalId !== 'string' || !externalId) return [];
  const d = body.data!;
  return [
    {
      dedupeKey: `${externalId}:${body.event}`,
      upstreamId: externalId,
      status: 'paid',
      // assumption: data.amount is the paid USDT amount when present; without it the paid amount stays unknown.
      paid: d.amount !== undefined ? { amount: String(d.amount), currency: ASSET, paidAt: paidAt(d.paid_at), fee: null } : null,
      raw: {
        xthonpay_event: body.event,
        external_id: externalId,
        ...(d.invoice_id !== undefined ? { xthonpay_invoice_id: String(d.invoice_id) } : {}),
        ...(d.tx_hash ? { tx_hash: d.tx_hash } : {}),
      },
    },
  ];
}
