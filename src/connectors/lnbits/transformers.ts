import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { CreateInvoiceInput, PaidDetails, PaymentDetails, UpstreamEvent, UpstreamInvoice } from '../types.js';
import type { InvoiceStatus } from '../../domain/invoice-status.js';
import { jsonNumber, optional, UpstreamError, WebhookBodyError, isRecord, type Unwrapped, type UpstreamResponse } from '../kit/index.js';

/** 1 BTC = 10^8 sat = 10^11 msat. */
const MSAT_PER_BTC = new Decimal('1e11');
const SAT_PER_BTC = new Decimal('1e8');

/** LNbits' longest memo. */
export const MEMO_LIMIT = 640;

/** Millisatoshis as LNbits writes them (JSON integers; strings accepted), as an integer string. */
const msat = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]).transform(String);

/** An exact BTC amount from millisatoshis (up to 11 decimals), never through a float. */
export const msatToBtc = (value: string): string => new Decimal(value).div(MSAT_PER_BTC).toFixed();

/** Whole satoshis for a BTC amount, or undefined when it has a fraction of a satoshi. */
export function btcToSats(amount: string): string | undefined {
  const sats = new Decimal(amount).times(SAT_PER_BTC);
  return sats.isInteger() ? sats.toFixed(0) : undefined;
}

const BOLT11_MULTIPLIER: Record<string, string> = { m: '1e-3', u: '1e-6', n: '1e-9', p: '1e-12' };

/** The amount a BOLT11 invoice asks for, in BTC, read from its human-readable part; undefined when it names none. */
export function bolt11AmountBtc(bolt11: string): string | undefined {
  const lower = bolt11.toLowerCase();
  const hrp = lower.slice(0, lower.lastIndexOf('1'));
  const m = /^ln(?:bcrt|bc|tbs|tb|sb)(\d+)([munp]?)$/.exec(hrp);
  if (!m) return undefined;
  const value = new Decimal(m[1]!).times(m[2] ? BOLT11_MULTIPLIER[m[2]]! : 1);
  return value.isZero() ? undefined : value.toFixed();
}

/**
 * A Payment (1.x) or the older create answer {payment_hash, payment_request, checking_id,
 * lnurl_response}: every field but the hash is optional, only what we read.
 */
export const paymentSchema = z.object({
  payment_hash: z.string().min(1),
  checking_id: optional(z.string()),
  wallet_id: optional(z.string()),
  amount: optional(msat),
  fee: optional(msat),
  bolt11: optional(z.string().min(1)),
  payment_request: optional(z.string().min(1)),
  status: optional(z.string()),
  // Before 1.0 a Payment said `pending` instead of `status`.
  pending: optional(z.boolean()),
  preimage: optional(z.string()),
  time: optional(z.union([z.string(), z.number()])),
  updated_at: optional(z.union([z.string(), z.number()])),
  extra: optional(z.record(z.string(), z.unknown())),
});
export type LnbitsPayment = z.output<typeof paymentSchema>;

/** GET /api/v1/payments/{payment_hash}: `details` only for a key of the wallet that owns it. */
export const paymentStatusSchema = z.object({
  paid: z.boolean(),
  status: optional(z.string()),
  preimage: optional(z.string()),
  details: optional(paymentSchema),
});
export type LnbitsPaymentStatus = z.output<typeof paymentStatusSchema>;

/** GET /api/v1/wallet: {name, balance (msat)}, plus `id` for an admin key. */
export const walletSchema = z.object({ balance: msat });

/** LNbits' own error texts, as codes; anything else keeps the status as its code. */
const DETAIL_CODES: Record<string, string> = {
  'No Api Key provided.': 'NO_API_KEY',
  'Wallet not found.': 'WALLET_NOT_FOUND',
  'Invalid adminkey.': 'INVALID_ADMIN_KEY',
  'Invoice (or Admin) key required.': 'INVOICE_KEY_REQUIRED',
  'Payment does not exist.': 'PAYMENT_NOT_FOUND',
};

/** Errors are FastAPI's `{"detail": "…"}`, or `{"detail": [{loc, msg}]}` for a body that fails validation. */
export function unwrapAnswer(res: UpstreamResponse): Unwrapped {
  if (res.status >= 200 && res.status < 300) return res.json === undefined ? { unreadable: 'answer is not JSON' } : { data: res.json };
  const detail = isRecord(res.json) ? res.json.detail : undefined;
  if (typeof detail === 'string') return { error: { code: DETAIL_CODES[detail], detail } };
  if (Array.isArray(detail)) {
    const text = detail.map((d) => (isRecord(d) ? `${Array.isArray(d.loc) ? d.loc.join('.') : ''}: ${String(d.msg ?? '')}` : String(d))).join('; ');
    return { error: { code: 'VALIDATION_ERROR', detail: text } };
  }
  return { unreadable: 'error answer is not an LNbits error' };
}

/**
 * POST /api/v1/payments. `out: false` always: LNbits' model defaults `out` to true, an outgoing
 * payment. BTC goes in whole sats; a fiat invoice names its code as `unit`, its amount written as
 * a JSON number with exactly our digits. Our id and currency ride in `extra`, which LNbits keeps.
 */
export function toCreateBody(input: CreateInvoiceInput, webhookUrl: string): Record<string, unknown> {
  let amount: string;
  let unit: string;
  if (input.currency === 'BTC') {
    const sats = btcToSats(input.amount);
    if (sats === undefined) throw new UpstreamError(`LNbits invoices whole satoshis; ${input.amount} BTC is not`, 'unsuitable', false, 'SUB_SATOSHI_AMOUNT');
    amount = sats;
    unit = 'sat';
  } else {
    amount = input.amount;
    unit = input.currency;
  }
  return {
    out: false,
    amount: jsonNumber(amount),
    unit,
    ...(input.description ? { memo: input.description.slice(0, MEMO_LIMIT) } : {}),
    expiry: input.expiresInSeconds,
    webhook: webhookUrl,
    extra: { switchyard_invoice_id: input.invoiceId, switchyard_currency: input.currency },
  };
}

/** The BOLT11 to show: 1.x writes it twice (`bolt11`, `payment_request`), older servers only as `payment_request`. */
const bolt11Of = (p: LnbitsPayment): string | undefined => p.bolt11 ?? p.payment_request;

/** What the buyer pays: the BOLT11 and its amount in BTC (from msat, else from the invoice itself). */
export function toPayment(p: LnbitsPayment): PaymentDetails | null {
  const bolt11 = bolt11Of(p);
  if (!bolt11) return null;
  const amount = p.amount !== undefined && p.amount !== '0' ? msatToBtc(p.amount) : bolt11AmountBtc(bolt11);
  return { network: 'lightning', asset: 'BTC', ...(amount !== undefined ? { amount } : {}), bolt11 };
}

function toDate(v: string | number | undefined): Date | undefined {
  if (v === undefined) return undefined;
  // 1.x writes ISO times; older servers unix seconds.
  const d = typeof v === 'number' || /^\d+(\.\d+)?$/.test(v) ? new Date(Number(v) * 1000) : new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Unpaid answers: 1.x says `status`; an older server says only `paid: false`, which is still open. */
const UNPAID_STATUS: Record<string, InvoiceStatus> = { pending: 'pending', failed: 'failed', expired: 'expired' };

export function mapStatus(answer: LnbitsPaymentStatus): InvoiceStatus | 'unknown' {
  // An outgoing payment under this hash is not an invoice of ours, whatever it says.
  if (answer.details?.amount !== undefined && answer.details.amount.startsWith('-')) return 'unknown';
  if (answer.paid) return 'paid';
  const status = answer.status ?? answer.details?.status;
  if (status === undefined) return 'pending';
  return UNPAID_STATUS[status] ?? 'unknown';
}

/**
 * Paid: a BTC invoice records the msat LNbits credited, in BTC. A fiat invoice (our currency in
 * `extra`) is paid in full in its own currency (paid null: the invoice's amount), the msat kept
 * in upstream_data: LNbits reports no fiat amount for a payment.
 */
function toPaid(answer: LnbitsPaymentStatus, status: InvoiceStatus | 'unknown'): PaidDetails | null {
  const d = answer.details;
  if (status !== 'paid' || !d || d.amount === undefined) return null;
  const currency = typeof d.extra?.switchyard_currency === 'string' ? d.extra.switchyard_currency : 'BTC';
  if (currency !== 'BTC') return null;
  return { amount: msatToBtc(d.amount), currency: 'BTC', paidAt: toDate(d.time) ?? toDate(d.updated_at) ?? new Date(), fee: null };
}

export function toUpstreamInvoice(paymentHash: string, answer: LnbitsPaymentStatus): UpstreamInvoice {
  const status = mapStatus(answer);
  const d = answer.details;
  return {
    upstreamId: paymentHash,
    status,
    payUrl: null,
    payment: d ? toPayment(d) : null,
    paid: toPaid(answer, status),
    raw: {
      lnbits_payment_hash: paymentHash,
      lnbits_paid: answer.paid,
      lnbits_status: answer.status ?? d?.status ?? null,
      ...(d?.amount !== undefined ? { lnbits_amount_msat: d.amount } : {}),
      ...(d?.fee !== undefined ? { lnbits_fee_msat: d.fee } : {}),
      ...(answer.preimage ? { lnbits_preimage: answer.preimage } : {}),
    },
  };
}

/** The create answer: a new incoming payment, open until paid. */
export function toCreatedInvoice(p: LnbitsPayment): UpstreamInvoice {
  return {
    upstreamId: p.payment_hash,
    status: 'pending',
    payUrl: null,
    payment: toPayment(p),
    paid: null,
    raw: {
      lnbits_payment_hash: p.payment_hash,
      lnbits_checking_id: p.checking_id ?? null,
      ...(p.amount !== undefined ? { lnbits_amount_msat: p.amount } : {}),
      ...(p.wallet_id ? { lnbits_wallet_id: p.wallet_id } : {}),
    },
  };
}

/**
 * A webhook body: since LNbits 1.1.0 a JSON string whose content is the Payment's JSON (encoded
 * twice), before that the Payment object itself. Only the payment hash is read: the body is
 * unsigned, so it is a hint to ask LNbits (refetch), never news in itself.
 */
export function parseWebhookHint(rawBody: Buffer): UpstreamEvent[] {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
    if (typeof body === 'string') body = JSON.parse(body);
  } catch (err) {
    throw new WebhookBodyError(`body is not JSON (nor a JSON string of JSON): ${(err as Error).message}`);
  }
  const hash = isRecord(body) ? body.payment_hash : undefined;
  if (typeof hash !== 'string' || !hash) throw new WebhookBodyError('body does not name a payment: /payment_hash is missing');
  return [{ dedupeKey: `${hash}:hint`, upstreamId: hash, status: 'unknown', paid: null, refetch: true, raw: {} }];
}
