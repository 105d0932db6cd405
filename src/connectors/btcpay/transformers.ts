import type { CreateInvoiceInput, PaidDetails, PaymentDetails, UpstreamEvent, UpstreamInvoice } from '../types.js';
import type { InvoiceStatus, PaymentException } from '../../domain/invoice-status.js';
import { compareAmounts } from '../../domain/money.js';

/** InvoiceData (REFERENCE §3.5); amounts are decimal strings, times unix seconds. */
export interface BtcPayInvoiceData {
  id: string;
  storeId?: string;
  amount: string | number;
  paidAmount?: string | number;
  currency: string;
  checkoutLink?: string;
  createdTime?: number;
  expirationTime?: number;
  status: string;
  additionalStatus?: string;
  metadata?: Record<string, unknown> | null;
}

/** One entry of GET …/invoices/{id}/payment-methods (§3.6). */
export interface BtcPayPaymentMethod {
  paymentMethodId: string;
  destination?: string;
  paymentLink?: string | null;
  amount?: string | number;
  due?: string | number;
  activated?: boolean;
  payments?: Array<{ receivedDate?: number; value?: string; status?: string }>;
}

/** A webhook body (§3.8): only what we read. */
export interface BtcPayWebhook {
  deliveryId?: string;
  originalDeliveryId?: string;
  type?: string;
  timestamp?: number;
  storeId?: string;
  invoiceId?: string;
}

/** The one status table (§3.5). Unknown values stay unknown rather than guessed. */
const STATUS: Record<string, InvoiceStatus> = { New: 'pending', Processing: 'processing', Settled: 'paid', Expired: 'expired', Invalid: 'failed' };

const EXCEPTION: Record<string, PaymentException> = { PaidPartial: 'underpaid', PaidOver: 'overpaid', PaidLate: 'late' };

/** 2.x ids are canonical; 1.x servers emit (and all servers still parse) the legacy names (§3.4). */
const METHOD_ALIASES: Record<string, string> = {
  'BTC-CHAIN': 'BTC-CHAIN',
  BTC: 'BTC-CHAIN',
  'BTC-LN': 'BTC-LN',
  'BTC-LightningNetwork': 'BTC-LN',
  'BTC-LightningLike': 'BTC-LN',
  'BTC-OffChain': 'BTC-LN',
  'BTC-LNURL': 'BTC-LNURL',
  'BTC-LNURLPAY': 'BTC-LNURL',
};

export function canonicalPaymentMethod(id: string): string {
  return METHOD_ALIASES[id] ?? id;
}

export function mapStatus(status: string | undefined): InvoiceStatus | 'unknown' {
  return (status && STATUS[status]) || 'unknown';
}

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
    ...(amount !== undefined && amount !== null ? { amount: String(amount) } : {}),
    ...(bolt11 ? { bolt11 } : {}),
  };
}

function isPositive(v: string): boolean {
  try {
    return compareAmounts(v, '0') > 0;
  } catch {
    return false;
  }
}

/** Latest payment time, else now (InvoiceData has no paid-at). */
function paidAt(methods: BtcPayPaymentMethod[] | undefined): Date {
  const times = (methods ?? []).flatMap((m) => (m.payments ?? []).map((p) => p.receivedDate ?? 0));
  const latest = Math.max(0, ...times);
  return latest > 0 ? new Date(latest * 1000) : new Date();
}

/**
 * Settled → paid with paidAmount; Expired with money in (PaidPartial, PaidLate) also reports it,
 * so an underpayment or a late payment is surfaced, not dropped.
 */
function toPaid(inv: BtcPayInvoiceData, status: InvoiceStatus | 'unknown', methods: BtcPayPaymentMethod[] | undefined): PaidDetails | null {
  const paidAmount = inv.paidAmount === undefined || inv.paidAmount === null ? (status === 'paid' ? String(inv.amount) : '0') : String(inv.paidAmount);
  const moneyIn = status === 'paid' || (status === 'expired' && isPositive(paidAmount));
  if (!moneyIn) return null;
  return {
    amount: paidAmount,
    currency: inv.currency.toUpperCase(),
    paidAt: paidAt(methods),
    fee: null,
    exception: (inv.additionalStatus && EXCEPTION[inv.additionalStatus]) || null,
  };
}

export function toUpstreamInvoice(inv: BtcPayInvoiceData, methods?: BtcPayPaymentMethod[]): UpstreamInvoice {
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
      btcpay_paid_amount: inv.paidAmount === undefined ? null : String(inv.paidAmount),
    },
  };
}

/**
 * BTCPay's events carry no amounts, so each one (but InvoiceCreated) is a trigger: the processor
 * asks BTCPay for the invoice and applies that answer. Redeliveries get a new deliveryId but keep
 * originalDeliveryId, which is the dedupe key.
 */
export function toUpstreamEvents(body: unknown): UpstreamEvent[] {
  if (!body || typeof body !== 'object') return [];
  const b = body as BtcPayWebhook;
  if (typeof b.invoiceId !== 'string' || typeof b.type !== 'string' || !b.type.startsWith('Invoice')) return [];
  const dedupeKey = b.originalDeliveryId ?? b.deliveryId ?? `${b.invoiceId}:${b.type}:${b.timestamp ?? ''}`;
  return [
    {
      dedupeKey,
      upstreamId: b.invoiceId,
      status: 'unknown',
      paid: null,
      refetch: b.type !== 'InvoiceCreated',
      raw: { btcpay_last_event: b.type, btcpay_last_delivery: dedupeKey },
    },
  ];
}
