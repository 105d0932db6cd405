import { z } from 'zod';
import type { CreateInvoiceInput, PaidDetails, UpstreamEvent, UpstreamInvoice } from '../types.js';
import type { InvoiceStatus } from '../../domain/invoice-status.js';
import { addAmounts, compareAmounts, subtractAmounts } from '../../domain/money.js';
import { isRecord, jsonNumber, optional, upstreamAmount, upstreamId, UpstreamError, type Unwrapped, type UpstreamResponse } from '../kit/index.js';

/** Our currency code → xRocket's (`/currencies/available`): TON is TONCOIN there, the rest match. */
export const CURRENCY_CODES: Readonly<Record<string, string>> = {
  TON: 'TONCOIN',
  USDT: 'USDT',
  NOT: 'NOT',
  DOGS: 'DOGS',
  BTC: 'BTC',
  ETH: 'ETH',
  BNB: 'BNB',
  TRX: 'TRX',
  SOL: 'SOL',
};
const OUR_CODES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(CURRENCY_CODES).map(([ours, theirs]) => [theirs, ours]));

export const toXRocketCurrency = (code: string): string => CURRENCY_CODES[code] ?? code;
export const fromXRocketCurrency = (code: string): string => OUR_CODES[code] ?? code;

/** CreateInvoiceDto's limits (see PROTOCOL.md). */
export const MAX_DECIMALS = 9;
export const MAX_AMOUNT = '1000000';
export const MAX_EXPIRED_IN = 86400;
const DESCRIPTION_LIMIT = 1000;
const CALLBACK_URL_LIMIT = 500;

/** Unset text fields arrive as "" (observed in real deliveries): read as absent. */
const text = optional(z.string()).transform((v) => (v === '' ? undefined : v));

/** PayInvoiceStatDto: one payment of an invoice (webhook `payment`, `payments[]` of GET /tg-invoices/{id}). */
const paymentSchema = z.object({
  userId: optional(upstreamId),
  paymentAmount: upstreamAmount,
  // Net of xRocket's fee.
  paymentAmountReceived: optional(upstreamAmount),
  comment: text,
  paid: text,
});
type XRocketPayment = z.output<typeof paymentSchema>;

/**
 * InvoiceDto and its extensions. `id` is a JSON number in answers but a string in real webhook
 * deliveries; amounts are JSON numbers, read with the lossless codec so their digits stay exact.
 */
export const invoiceSchema = z.object({
  id: upstreamId,
  amount: upstreamAmount,
  currency: z.string().min(1),
  status: z.string(),
  link: text,
  payload: text,
  created: text,
  paid: text,
  /** PayInvoiceDto (webhooks). */
  payment: optional(paymentSchema),
  /** FullInvoiceDto (GET /tg-invoices/{id}). */
  payments: optional(z.array(paymentSchema)),
});
export type XRocketInvoice = z.output<typeof invoiceSchema>;

/** GET /app/info: balance entries assumed `{currency, balance}` (the spec types both loosely). */
export const appInfoSchema = z.object({
  name: optional(z.string()),
  balances: optional(z.array(z.object({ currency: z.string(), balance: upstreamAmount }))),
});

/**
 * WebhookDto: `{type, timestamp, data}`. Only `invoicePay` carries an invoice; the other types
 * (`subscriptionPay`, `subscriptionEnd`, `exchangeOrderComplete`) are read as nothing for us.
 */
export const webhookSchema = z
  .object({ type: z.string(), timestamp: text, data: z.unknown() })
  .transform((body, ctx) => {
    if (body.type !== 'invoicePay') return { type: body.type, invoice: null };
    const invoice = invoiceSchema.safeParse(body.data);
    if (invoice.success) return { type: body.type, invoice: invoice.data };
    for (const issue of invoice.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: ['data', ...issue.path] });
    return z.NEVER;
  });

/** The one table from xRocket's invoice status to ours; anything new maps to unknown. */
const STATUS: Record<string, InvoiceStatus> = { active: 'pending', paid: 'paid', expired: 'expired' };

/** Answers are `{success: true, data}` or `{success: false, message, errors?: [{property, error}]}`; there are no error codes. */
export function unwrapAnswer(res: UpstreamResponse): Unwrapped {
  const body = res.json;
  if (!isRecord(body) || typeof body.success !== 'boolean') return { unreadable: 'answer is not an xRocket envelope' };
  if (body.success) return { data: body.data };
  const fields = Array.isArray(body.errors) ? body.errors.filter(isRecord).map((e) => `${String(e.property)}: ${String(e.error)}`) : [];
  const detail = [typeof body.message === 'string' ? body.message : '', ...fields].filter(Boolean).join('; ');
  return { error: { detail: detail || undefined } };
}

/** The account cannot take this invoice, found before calling: routing passes it over (422 when it was the only one). */
const unsuitable = (message: string, code: string) => new UpstreamError(message, 'unsuitable', false, code);

/**
 * Our amount as the literal xRocket receives. It cuts digits past the 9th decimal, so an amount
 * that needs more is refused, never rounded; trailing zeros past the 9th are dropped (same value).
 */
export function toXRocketAmount(amount: string): string {
  const [whole, fraction = ''] = amount.split('.');
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > MAX_DECIMALS) throw unsuitable(`xRocket takes amounts with at most ${MAX_DECIMALS} decimal places; ${amount} has ${significant.length}`, 'AMOUNT_PRECISION');
  if (compareAmounts(amount, MAX_AMOUNT) > 0) throw unsuitable(`xRocket takes amounts up to ${MAX_AMOUNT}`, 'AMOUNT_TOO_LARGE');
  return fraction.length <= MAX_DECIMALS ? amount : `${whole}${significant ? `.${significant}` : ''}`;
}

/** expiredIn: 1…86400 s. 0 would mean "never expires" upstream, so a lifetime that rounds to 0 is refused too. */
export function toExpiredIn(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_EXPIRED_IN) {
    throw unsuitable(`xRocket invoices live 1 to ${MAX_EXPIRED_IN} seconds; this one would live ${seconds}`, 'EXPIRED_IN_OUT_OF_RANGE');
  }
  return seconds;
}

/** CreateInvoiceDto, the amount a JSON number literal written from our decimal string (send with the lossless codec). */
export function toCreateBody(input: CreateInvoiceInput): Record<string, unknown> {
  const amount = toXRocketAmount(input.amount);
  const expiredIn = toExpiredIn(input.expiresInSeconds);
  return {
    amount: jsonNumber(amount),
    numPayments: 1,
    currency: toXRocketCurrency(input.currency),
    ...(input.description ? { description: input.description.slice(0, DESCRIPTION_LIMIT) } : {}),
    // The "Return" button after payment; a URL cut short would be broken, so a longer one is left out.
    ...(input.returnUrl && input.returnUrl.length <= CALLBACK_URL_LIMIT ? { callbackUrl: input.returnUrl } : {}),
    payload: input.invoiceId,
    expiredIn,
  };
}

const dateOr = (value: string | undefined, fallback: Date): Date => {
  const d = value === undefined ? fallback : new Date(value);
  return Number.isNaN(d.getTime()) ? fallback : d;
};

/**
 * What was paid: the payments' gross `paymentAmount`, and as fee what xRocket kept
 * (`paymentAmount − paymentAmountReceived`, in decimals). Without payment details (list
 * answers), the invoice amount and no fee.
 */
function paidDetails(inv: XRocketInvoice, payments: XRocketPayment[]): PaidDetails {
  const currency = fromXRocketCurrency(inv.currency);
  const invoicePaidAt = dateOr(inv.paid, new Date());
  if (!payments.length) return { amount: inv.amount, currency, paidAt: invoicePaidAt, fee: null };
  const amount = payments.map((p) => p.paymentAmount).reduce(addAmounts);
  const fees = payments.map((p) => (p.paymentAmountReceived === undefined ? undefined : subtractAmounts(p.paymentAmount, p.paymentAmountReceived)));
  const fee = fees.every((f): f is string => f !== undefined) ? fees.reduce(addAmounts) : null;
  const lastPaid = payments.map((p) => dateOr(p.paid, invoicePaidAt)).reduce((a, b) => (b > a ? b : a));
  return { amount, currency, paidAt: lastPaid, fee };
}

export function toUpstreamInvoice(inv: XRocketInvoice): UpstreamInvoice {
  const status = STATUS[inv.status] ?? 'unknown';
  const payments = inv.payments ?? (inv.payment ? [inv.payment] : []);
  return {
    upstreamId: inv.id,
    status,
    payUrl: inv.link ?? null,
    payment: null,
    paid: status === 'paid' ? paidDetails(inv, payments) : null,
    raw: {
      xrocket_invoice_id: inv.id,
      xrocket_status: inv.status,
      xrocket_currency: inv.currency,
      link: inv.link,
      ...(payments.length
        ? {
            payments: payments.map((p) => ({
              user_id: p.userId,
              payment_amount: p.paymentAmount,
              payment_amount_received: p.paymentAmountReceived,
              paid: p.paid,
            })),
          }
        : {}),
    },
  };
}

/** One event per invoicePay; the body has no event id, so the dedupe key is invoice + status. */
export function toUpstreamEvents(body: z.output<typeof webhookSchema>): UpstreamEvent[] {
  if (!body.invoice) return [];
  const view = toUpstreamInvoice(body.invoice);
  return [{ dedupeKey: `${view.upstreamId}:${body.invoice.status}`, upstreamId: view.upstreamId, status: view.status, paid: view.paid, raw: view.raw }];
}
