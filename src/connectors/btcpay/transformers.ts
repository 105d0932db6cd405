import { z } from 'zod';
import type { CreateInvoiceInput, PaidDetails, PaymentDetails, UpstreamEvent, UpstreamInvoice } from '../types.js';
import type { InvoiceStatus, PaymentException } from '../../domain/invoice-status.js';
import { compareAmounts } from '../../domain/money.js';
import { optional, upstreamAmount, upstreamId, type Unwrapped, type UpstreamResponse } from '../kit/index.js';

/** One entry of GET …/invoices/{id}/payment-methods (see PROTOCOL.md): only what we read. */
export const paymentMethodSchema = z.object({
  paymentMethodId: z.string(),
  destination: optional(z.string()),
  amount: optional(upstreamAmount),
  activated: optional(z.boolean()),
  payments: optional(z.array(z.object({ receivedDate: optional(z.number()) }))),
});
export type BtcPayPaymentMethod = z.output<typeof paymentMethodSchema>;

/** PullPaymentData, what a refund answers: its id and the page where the buyer claims the money. */
export const pullPaymentSchema = z.object({
  id: upstreamId,
  amount: upstreamAmount,
  currency: z.string(),
  viewLink: optional(z.string()),
});

/** InvoiceData; amounts are decimal strings (numbers accepted), times unix seconds. */
export const invoiceSchema = z.object({
  id: z.string().min(1),
  amount: upstreamAmount,
  paidAmount: optional(upstreamAmount),
  currency: z.string(),
  checkoutLink: optional(z.string()),
  status: z.string(),
  additionalStatus: optional(z.string()),
  // Only with ?includePaymentMethods=true (1.x servers may ignore it).
  paymentMethods: optional(z.array(paymentMethodSchema)),
});
export type BtcPayInvoice = z.output<typeof invoiceSchema>;

/** A webhook body: only what we read. Every `Invoice*` event names its invoice. */
export const webhookSchema = z
  .object({
    type: z.string(),
    invoiceId: optional(z.string().min(1)),
    deliveryId: optional(z.string()),
    originalDeliveryId: optional(z.string()),
    timestamp: optional(z.number()),
  })
  .refine((b) => !b.type.startsWith('Invoice') || b.invoiceId, { path: ['invoiceId'], message: 'is required in Invoice events' });

/** Errors: 422 a list of {path, message}, otherwise {code, message} (403 adds missingPermission). */
const errorSchema = z.union([
  z.array(z.object({ path: optional(z.string()), message: optional(z.string()) })),
  z.object({ code: optional(z.string()), message: optional(z.string()), missingPermission: optional(z.string()) }),
]);

/** Greenfield answers bare JSON; its errors come in two shapes, both read here. */
export function unwrapAnswer(res: UpstreamResponse): Unwrapped {
  if (res.status >= 200 && res.status < 300) return res.json === undefined ? { unreadable: 'answer is not JSON' } : { data: res.json };
  const parsed = errorSchema.safeParse(res.json);
  if (!parsed.success) return { unreadable: 'error answer is not a Greenfield error' };
  const err = parsed.data;
  if (Array.isArray(err)) return { error: { code: 'validation-error', detail: err.map((e) => `${e.path ?? ''}: ${e.message ?? ''}`).join('; ') } };
  // Named in the detail so that the tenant learns which permission to add to the key.
  const detail = err.missingPermission ? `the API key lacks the permission ${err.missingPermission}` : err.message;
  return { error: { code: err.code, detail } };
}

/** The one status table; unknown values stay unknown rather than guessed. */
const STATUS: Record<string, InvoiceStatus> = { New: 'pending', Processing: 'processing', Settled: 'paid', Expired: 'expired', Invalid: 'failed' };

const EXCEPTION: Record<string, PaymentException> = { PaidPartial: 'underpaid', PaidOver: 'overpaid', PaidLate: 'late' };

/** 2.x ids are canonical; 1.x servers emit (and all servers still parse) the legacy names. */
const METHOD_ALIASES: Record<string, string> = {
  BTC: 'BTC-CHAIN',
  'BTC-LightningNetwork': 'BTC-LN',
  'BTC-LightningLike': 'BTC-LN',
  'BTC-OffChain': 'BTC-LN',
  'BTC-LNURLPAY': 'BTC-LNURL',
};

export const canonicalPaymentMethod = (id: string): string => METHOD_ALIASES[id] ?? id;

export const mapStatus = (status: string | undefined): InvoiceStatus | 'unknown' => (status && STATUS[status]) || 'unknown';

/** checkout.paymentMethods for the invoice's accepted_assets; undefined = the store's enabled methods. */
export function paymentMethodsFor(acceptedAssets: string[]): string[] | undefined {
  if (!acceptedAssets.length || acceptedAssets.includes('BTC')) return undefined;
  const rails = acceptedAssets.filter((a) => a === 'BTC-CHAIN' || a === 'BTC-LN');
  return rails.length ? rails : undefined;
}

export function toCreateBody(input: CreateInvoiceInput, speedPolicy: string | undefined): Record<string, unknown> {
  const methods = paymentMethodsFor(input.acceptedAssets);
  return {
    amount: input.amount,
    currency: input.currency,
    metadata: {
      orderId: input.invoiceId,
      ...(input.description ? { itemDesc: input.description } : {}),
      ...(input.customer?.email ? { buyerEmail: input.customer.email } : {}),
    },
    checkout: {
      // Whole minutes, rounded down: BTCPay stops taking payment no later than we expire the invoice.
      expirationMinutes: Math.max(1, Math.floor(input.expiresInSeconds / 60)),
      ...(methods ? { paymentMethods: methods } : {}),
      ...(speedPolicy ? { speedPolicy } : {}),
      ...(input.returnUrl ? { redirectURL: input.returnUrl, redirectAutomatically: true } : {}),
    },
  };
}

/** On-chain address and Lightning BOLT11 from the payment methods, so a bot can show its own QR codes. */
export function toPayment(methods: BtcPayPaymentMethod[] | undefined): PaymentDetails | null {
  if (!methods?.length) return null;
  const byId = new Map(methods.map((m) => [canonicalPaymentMethod(m.paymentMethodId), m]));
  const chain = byId.get('BTC-CHAIN');
  const ln = byId.get('BTC-LN');
  const address = chain?.destination || undefined;
  // An inactive (lazy) Lightning method has no invoice yet.
  const bolt11 = ln && ln.activated !== false && ln.destination ? ln.destination : undefined;
  if (!address && !bolt11) return null;
  const amount = (chain ?? ln)?.amount;
  return {
    ...(address ? { address } : {}),
    network: address ? 'bitcoin' : 'lightning',
    asset: 'BTC',
    ...(amount !== undefined ? { amount } : {}),
    ...(bolt11 ? { bolt11 } : {}),
  };
}

/** Latest payment time, else now (InvoiceData has no paid-at). */
function paidAt(methods: BtcPayPaymentMethod[] | undefined): Date {
  const latest = Math.max(0, ...(methods ?? []).flatMap((m) => (m.payments ?? []).map((p) => p.receivedDate ?? 0)));
  return latest > 0 ? new Date(latest * 1000) : new Date();
}

/**
 * Settled → paid with paidAmount; Expired with money in (PaidPartial, PaidLate) also reports it,
 * so an underpayment or a late payment is surfaced, not dropped.
 */
function toPaid(inv: BtcPayInvoice, status: InvoiceStatus | 'unknown', methods: BtcPayPaymentMethod[] | undefined): PaidDetails | null {
  const paidAmount = inv.paidAmount ?? (status === 'paid' ? inv.amount : '0');
  if (status !== 'paid' && !(status === 'expired' && compareAmounts(paidAmount, '0') > 0)) return null;
  return {
    amount: paidAmount,
    currency: inv.currency.toUpperCase(),
    paidAt: paidAt(methods),
    fee: null,
    exception: (inv.additionalStatus && EXCEPTION[inv.additionalStatus]) || null,
  };
}

export function toUpstreamInvoice(inv: BtcPayInvoice, methods?: BtcPayPaymentMethod[]): UpstreamInvoice {
  const status = mapStatus(inv.status);
  return {
    upstreamId: inv.id,
    status,
    payUrl: inv.checkoutLink ?? null,
    payment: toPayment(methods),
    paid: toPaid(inv, status, methods),
    raw: {
      btcpay_invoice_id: inv.id,
      btcpay_status: inv.status,
      btcpay_additional_status: inv.additionalStatus ?? null,
      btcpay_paid_amount: inv.paidAmount ?? null,
    },
  };
}

/**
 * BTCPay's events carry no amounts, so each one (but InvoiceCreated) is a trigger: the processor
 * asks BTCPay for the invoice and applies that answer. Redeliveries get a new deliveryId but keep
 * originalDeliveryId, which is the dedupe key. Events outside the Invoice family are ignored.
 */
export function toUpstreamEvents(body: z.output<typeof webhookSchema>): UpstreamEvent[] {
  if (!body.type.startsWith('Invoice') || !body.invoiceId) return [];
  const dedupeKey = body.originalDeliveryId ?? body.deliveryId ?? `${body.invoiceId}:${body.type}:${body.timestamp ?? ''}`;
  return [
    {
      dedupeKey,
      upstreamId: body.invoiceId,
      status: 'unknown',
      paid: null,
      refetch: body.type !== 'InvoiceCreated',
      raw: { btcpay_last_event: body.type, btcpay_last_delivery: dedupeKey },
    },
  ];
}
