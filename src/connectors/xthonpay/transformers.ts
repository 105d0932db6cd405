import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { CreateInvoiceInput, PaidDetails, UpstreamEvent, UpstreamInvoice } from '../types.js';
import { optional, upstreamAmount, upstreamId, UpstreamError, type Unwrapped, type UpstreamResponse } from '../kit/index.js';

export const NETWORK = 'BSC (BEP-20)';
export const ASSET = 'USDT';

/** ISO 8601, or unix seconds or milliseconds (assumption: the guide shows none). */
const timestamp = optional(z.union([z.string(), z.number()]));

/** The `data` of POST /invoices. Only deposit_address is documented; the id fields are assumptions. */
export const createdSchema = z.object({ deposit_address: z.string().min(1), invoice_id: optional(upstreamId), id: optional(upstreamId) });

/** assumption: a configured status query (config.status_path) answers the create shape plus status, amount, paid_at, tx_hash. */
export const queriedSchema = z.object({ deposit_address: optional(z.string()), status: optional(z.string()), amount: optional(upstreamAmount), paid_at: timestamp, tx_hash: optional(z.string()) });

export const balanceSchema = z.object({ balance: upstreamAmount });

/** `{event, data: {external_id, …}}`; only external_id is documented, the other fields are assumptions. */
const webhookData = z.object({ external_id: optional(z.string().min(1)), invoice_id: optional(upstreamId), amount: optional(upstreamAmount), tx_hash: optional(z.string()), paid_at: timestamp });
export const webhookSchema = z
  .object({ event: z.string(), data: optional(webhookData) })
  .refine((b) => b.event !== 'invoice.paid' || b.data?.external_id, { path: ['data', 'external_id'], message: 'is required in invoice.paid' });

/** Answers are `{data: …}`; the error envelope is an assumption: `code`, or `error` as a string or `{code, message}`. */
export function unwrapAnswer(res: UpstreamResponse): Unwrapped {
  const body = (res.json ?? {}) as { data?: unknown; code?: unknown; error?: unknown; message?: unknown };
  if (res.status >= 200 && res.status < 300 && body.data !== undefined) return { data: body.data };
  const err = (typeof body.error === 'object' && body.error !== null ? body.error : {}) as { code?: unknown; message?: unknown };
  const text = (...values: unknown[]) => values.find((v): v is string => typeof v === 'string');
  const code = text(body.code, body.error, err.code);
  if (code === undefined && res.status >= 200 && res.status < 300) return { unreadable: 'no data in the answer' };
  return { error: { code, detail: text(err.message, body.message) } };
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
 * upstreamId is XthonPay's own id for the invoice, the one its support finds. Should an answer
 * carry none, our id (the external_id we sent) stands in: webhooks find invoices by it anyway.
 */
export function toUpstreamInvoice(data: z.output<typeof createdSchema>, externalId: string, amount: string): UpstreamInvoice {
  const xthonId = data.invoice_id ?? data.id;
  return {
    upstreamId: xthonId ?? externalId,
    status: 'pending',
    payUrl: null,
    payment: { address: data.deposit_address, network: NETWORK, asset: ASSET, amount },
    paid: null,
    raw: { xthonpay_invoice_id: xthonId ?? null, deposit_address: data.deposit_address, external_id: externalId },
  };
}

/** assumption: the status query answers pending | paid (any case); anything else stays unknown. */
const STATUS: Record<string, 'pending' | 'paid'> = { pending: 'pending', paid: 'paid' };

const paid = (amount: string | undefined, at: string | number | undefined): PaidDetails | null =>
  amount === undefined ? null : { amount, currency: ASSET, paidAt: paidAt(at), fee: null };

/** The answer of the configured status query, for the invoice we know as `upstreamId`. */
export function toQueriedInvoice(data: z.output<typeof queriedSchema>, upstreamId: string): UpstreamInvoice {
  const status = (data.status && STATUS[data.status.toLowerCase()]) || 'unknown';
  return {
    upstreamId,
    status,
    payUrl: null,
    payment: data.deposit_address ? { address: data.deposit_address, network: NETWORK, asset: ASSET, ...(data.amount ? { amount: data.amount } : {}) } : null,
    paid: status === 'paid' ? paid(data.amount, data.paid_at) : null,
    raw: { xthonpay_status: data.status ?? null, ...(data.tx_hash ? { tx_hash: data.tx_hash } : {}) },
  };
}

function paidAt(v: string | number | undefined): Date {
  if (v === undefined) return new Date();
  const d = typeof v === 'number' ? new Date(v < 1e12 ? v * 1000 : v) : new Date(v);
  return Number.isNaN(d.getTime()) ? new Date() : d;
}

/**
 * Only invoice.paid is documented; other events are ignored. It names the invoice by the
 * external_id we sent (our id), so the event finds it by that; upstreamId is XthonPay's id when
 * the body has one.
 */
export function toUpstreamEvents(body: z.output<typeof webhookSchema>): UpstreamEvent[] {
  const d = body.data;
  if (body.event !== 'invoice.paid' || !d?.external_id) return [];
  return [
    {
      dedupeKey: `${d.external_id}:${body.event}`,
      upstreamId: d.invoice_id ?? d.external_id,
      invoiceId: d.external_id,
      status: 'paid',
      // assumption: data.amount is the paid USDT amount when present; without it the paid amount stays unknown.
      paid: paid(d.amount, d.paid_at),
      raw: {
        xthonpay_event: body.event,
        external_id: d.external_id,
        ...(d.invoice_id !== undefined ? { xthonpay_invoice_id: d.invoice_id } : {}),
        ...(d.tx_hash ? { tx_hash: d.tx_hash } : {}),
      },
    },
  ];
}
