import { z } from 'zod';
import type { CreateInvoiceInput, UpstreamEvent, UpstreamInvoice } from '../types.js';
import type { InvoiceStatus } from '../../domain/invoice-status.js';
import { isRecord, optional, upstreamAmount, upstreamId } from '../kit/index.js';

/** Every answer is `{code, message|msg, data}`; code "00000" is success (see PROTOCOL.md). */
export const SUCCESS_CODE = '00000';
export const envelopeSchema = z.object({
  code: optional(z.union([z.string(), z.number()]).transform(String)),
  message: optional(z.string()),
  msg: optional(z.string()),
  data: z.unknown().optional(),
});

/** One entry of GET …/checkout/payment-methods; min/max amounts are the upstream's to enforce. */
const methodSchema = z.object({
  cryptoCurrency: z.string(),
  network: z.string(),
  networkDisplayName: optional(z.string()),
  displayOrder: optional(z.number()),
});
export type PayStablecoinMethod = z.output<typeof methodSchema>;

/** The guide shows a list; a `{methods}` or `{items}` wrapper is tolerated (assumption). Sorted by displayOrder. */
export const methodsSchema = z
  .preprocess((v) => (isRecord(v) ? (v.methods ?? v.items) : v), z.array(methodSchema))
  .transform((list) => list.sort((a, b) => (a.displayOrder ?? Number.MAX_SAFE_INTEGER) - (b.displayOrder ?? Number.MAX_SAFE_INTEGER)));

const amountSchema = z.object({ value: upstreamAmount, currency: optional(z.string()) });

/** `data` of the create and query answers; beyond the guide's fields everything is optional. */
export const orderSchema = z.object({
  merchantOrderId: optional(upstreamId),
  acquiringOrderId: optional(upstreamId),
  status: optional(z.string()),
  orderAmount: optional(amountSchema),
  cryptoPaymentAmount: optional(amountSchema),
  depositAddress: optional(z.string()),
  network: optional(z.string()),
  networkDisplayName: optional(z.string()),
  expiresAt: optional(z.string()),
  paidAt: optional(z.string()),
});
export type PayStablecoinOrder = z.output<typeof orderSchema>;

/** A webhook names its order and status; the body is a bare order or (assumption) `{data: order}`. */
export const webhookSchema = z.preprocess(
  (b) => (isRecord(b) && b.merchantOrderId === undefined && isRecord(b.data) ? b.data : b),
  orderSchema.extend({ merchantOrderId: upstreamId, status: z.string() }),
);

/**
 * Terminal statuses are the guide's (SUCCEEDED, FAILED, CLOSED). Non-terminal values are not
 * documented (assumption): anything else is treated as still pending.
 */
const TERMINAL: Record<string, InvoiceStatus> = { SUCCEEDED: 'paid', FAILED: 'failed', CLOSED: 'expired' };

const mapStatus = (status: string | undefined): InvoiceStatus => (status && TERMINAL[status.toUpperCase()]) || 'pending';

/** RFC 3339 without milliseconds, as the guide's example (`2026-12-31T23:59:59Z`). */
export const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

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

export function toUpstreamInvoice(order: PayStablecoinOrder & { merchantOrderId: string }, fallbackAsset?: string): UpstreamInvoice {
  const status = mapStatus(order.status);
  const asset = order.cryptoPaymentAmount?.currency ?? order.orderAmount?.currency ?? fallbackAsset;
  const cryptoAmount = order.cryptoPaymentAmount?.value;
  const network = order.networkDisplayName ?? order.network;
  return {
    upstreamId: order.merchantOrderId,
    status,
    payUrl: null,
    payment: order.depositAddress
      ? { address: order.depositAddress, ...(cryptoAmount !== undefined ? { amount: cryptoAmount } : {}), ...(network ? { network } : {}), ...(asset ? { asset } : {}) }
      : null,
    // The buyer pays the crypto amount (it may differ from the order amount): that is what was paid.
    paid:
      status === 'paid'
        ? { amount: cryptoAmount ?? order.orderAmount?.value ?? '0', currency: asset ?? '', paidAt: order.paidAt ? new Date(order.paidAt) : new Date(), fee: null }
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

/** The same event may arrive more than once, so the dedupe key is order id + status. */
export function toUpstreamEvents(order: z.output<typeof webhookSchema>): UpstreamEvent[] {
  const view = toUpstreamInvoice(order);
  return [{ dedupeKey: `${order.merchantOrderId}:${order.status}`, upstreamId: view.upstreamId, status: view.status, paid: view.paid, raw: view.raw }];
}
