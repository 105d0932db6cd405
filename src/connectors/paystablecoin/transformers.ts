import type { CreateInvoiceInput, UpstreamEvent, UpstreamInvoice } from '../types.js';
import type { InvoiceStatus } from '../../domain/invoice-status.js';

/** One entry of GET …/checkout/payment-methods (seed guide, Step 1). */
export interface PayStablecoinMethod {
  cryptoCurrency: string;
  network: string;
  networkDisplayName?: string;
  minAmount?: string | number;
  maxAmount?: string | number;
  estimatedConfirmationTimeSec?: number;
  displayOrder?: number;
}

/** `data` of the create / query answers (Steps 2–3); fields beyond the guide's are optional. */
export interface PayStablecoinOrder {
  merchantOrderId: string;
  acquiringOrderId?: string;
  status?: string;
  orderAmount?: { value: string | number; currency: string };
  cryptoPaymentAmount?: { value: string | number; currency?: string };
  depositAddress?: string;
  network?: string;
  networkDisplayName?: string;
  expiresAt?: string;
  paidAt?: string;
}

/**
 * Terminal statuses are the guide's (SUCCEEDED, FAILED, CLOSED). Non-terminal values are not
 * documented (assumption): anything else is treated as still pending.
 */
const TERMINAL: Record<string, InvoiceStatus> = { SUCCEEDED: 'paid', FAILED: 'failed', CLOSED: 'expired' };

export function mapStatus(status: string | undefined): InvoiceStatus {
  return (status && TERMINAL[status.toUpperCase()]) || 'pending';
}

export function sortMethods(methods: PayStablecoinMethod[]): PayStablecoinMethod[] {
  return [...methods].sort((a, b) => (a.displayOrder ?? Number.MAX_SAFE_INTEGER) - (b.displayOrder ?? Number.MAX_SAFE_INTEGER));
}

/** RFC 3339 without milliseconds, as the guide's example (`2026-12-31T23:59:59Z`). */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function toOrderBody(input: CreateInvoiceInput, method: PayStablecoinMethod, callbackUrl: string): Record<string, unknown> {
  // Key order as in the guide's example; the body is signed over exactly its JSON.stringify bytes.
  return {
    merchantOrderId: input.invoiceId,
    orderAmount: { value: input.amount, currency: input.currency.toUpperCase() },
    paymentMethodType: 'ON_CHAIN_TRANSFER',
    network: method.network,
    expiresAt: rfc3339(input.expiresAt),
    callbackUrl,
  };
}

const str = (v: string | number | undefined) => (v === undefined || v === null ? undefined : String(v));

export function toUpstreamInvoice(order: PayStablecoinOrder, fallbackAsset?: string): UpstreamInvoice {
  const status = mapStatus(order.status);
  const asset = order.cryptoPaymentAmount?.currency ?? order.orderAmount?.currency ?? fallbackAsset;
  const cryptoAmount = str(order.cryptoPaymentAmount?.value);
  return {
    upstreamId: order.merchantOrderId,
    status,
    payUrl: null,
    payment: order.depositAddress
      ? {
          address: order.depositAddress,
          ...(cryptoAmount !== undefined ? { amount: cryptoAmount } : {}),
          ...(order.networkDisplayName ?? order.network ? { network: order.networkDisplayName ?? order.network } : {}),
          ...(asset ? { asset } : {}),
        }
      : null,
    paid:
      status === 'paid'
        ? {
            amount: cryptoAmount ?? str(order.orderAmount?.value) ?? '0',
            currency: asset ?? '',
            paidAt: order.paidAt ? new Date(order.paidAt) : new Date(),
            fee: null,
          }
        : null,
    raw: {
      paystablecoin_merchant_order_id: order.merchantOrderId,
      paystablecoin_acquiring_order_id: order.acquiringOrderId,
      paystablecoin_status: order.status,
      network: order.network,
      network_display_name: order.networkDisplayName,
      deposit_address: order.depositAddress,
      crypto_payment_amount: cryptoAmount,
      expires_at: order.expiresAt,
    },
  };
}

/**
 * Webhook body: carries merchantOrderId and acquiringOrderId (guide, Step 4). The status field's
 * name and values are an assumption: the same as the query's `status`. The same event may arrive
 * more than once, so the dedupe key is order id + status.
 */
export function toUpstreamEvents(body: unknown): UpstreamEvent[] {
  if (!body || typeof body !== 'object') return [];
  // assumption: tolerate a `{data: {...}}` envelope as well as a bare order.
  const b = body as Record<string, unknown>;
  const order = (typeof b.merchantOrderId === 'string' ? b : (b.data as Record<string, unknown> | undefined)) as PayStablecoinOrder | undefined;
  if (!order || typeof order.merchantOrderId !== 'string' || typeof order.status !== 'string') return [];
  const view = toUpstreamInvoice(order);
  return [{ dedupeKey: `${order.merchantOrderId}:${order.status}`, upstreamId: view.upstreamId, status: view.status, paid: view.paid, raw: view.raw }];
}
