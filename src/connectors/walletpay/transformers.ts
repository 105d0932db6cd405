import { z } from 'zod';
import type { CreateInvoiceInput, UpstreamEvent, UpstreamInvoice } from '../types.js';
import type { InvoiceStatus } from '../../domain/invoice-status.js';
import { optional, upstreamAmount, upstreamId } from '../kit/index.js';

/** MoneyAmount: `amount` is documented as a string, but the docs' own example sends a number. */
const money = z.object({ currencyCode: z.string(), amount: upstreamAmount });

/** OrderPreview (see PROTOCOL.md): `id` is documented as a string but sent as a number. */
export const orderSchema = z.object({
  id: upstreamId,
  status: z.string(),
  number: optional(z.string()),
  amount: money,
  completedDateTime: optional(z.string()),
  payLink: optional(z.string()),
  directPayLink: optional(z.string()),
});

const messageSchema = z.object({
  eventDateTime: z.string(),
  eventId: upstreamId,
  type: z.string(),
  payload: z.object({
    id: upstreamId,
    orderAmount: optional(money),
    status: optional(z.string()),
    // Kept whole in upstream_data (exchangeRate included).
    selectedPaymentOption: optional(z.looseObject({ amount: money, amountFee: optional(money) })),
    orderCompletedDateTime: optional(z.string()),
  }),
});

/** A webhook body is an array of messages; a single message is read as an array of one. */
export const webhookBodySchema = z.preprocess((v) => (Array.isArray(v) ? v : [v]), z.array(messageSchema));

/** The one table from Wallet Pay's order status to ours. */
const STATUS: Record<string, InvoiceStatus> = { ACTIVE: 'pending', PAID: 'paid', EXPIRED: 'expired', CANCELLED: 'cancelled' };

const DESCRIPTION_MIN = 5;
const DESCRIPTION_MAX = 100;
export const TIMEOUT_MIN = 30;
export const TIMEOUT_MAX = 864000;

/** Wallet Pay wants 5…100 characters: pad a short one with the invoice reference, cut a long one. */
export function fitDescription(description: string | null, invoiceId: string): string {
  const text = (description ?? '').trim();
  const padded = text.length >= DESCRIPTION_MIN ? text : `${text ? `${text} — ` : ''}Invoice ${invoiceId}`.trim();
  return padded.length <= DESCRIPTION_MAX ? padded : `${padded.slice(0, DESCRIPTION_MAX - 1)}…`;
}

export function toCreateBody(input: CreateInvoiceInput): Record<string, unknown> {
  return {
    amount: { currencyCode: input.currency, amount: input.amount },
    description: fitDescription(input.description, input.invoiceId),
    externalId: input.invoiceId,
    timeoutSeconds: Math.min(TIMEOUT_MAX, Math.max(TIMEOUT_MIN, input.expiresInSeconds)),
    customerTelegramUserId: input.customer?.telegram_user_id,
    ...(input.returnUrl ? { returnUrl: input.returnUrl.slice(0, 255) } : {}),
    ...(input.failReturnUrl ? { failReturnUrl: input.failReturnUrl.slice(0, 255) } : {}),
  };
}

export function toUpstreamInvoice(order: z.output<typeof orderSchema>): UpstreamInvoice {
  const status = STATUS[order.status] ?? 'unknown';
  return {
    upstreamId: order.id,
    status,
    payUrl: order.payLink ?? null,
    payment: null,
    paid: status === 'paid' ? { amount: order.amount.amount, currency: order.amount.currencyCode, paidAt: new Date(order.completedDateTime ?? Date.now()), fee: null } : null,
    raw: { walletpay_order_id: order.id, walletpay_number: order.number, walletpay_status: order.status, direct_pay_link: order.directPayLink },
  };
}

/** ORDER_PAID → paid (with what the payer chose); ORDER_FAILED → expired when it says EXPIRED, else failed. */
export function toUpstreamEvents(messages: z.output<typeof webhookBodySchema>): UpstreamEvent[] {
  return messages.map((m) => {
    const option = m.payload.selectedPaymentOption;
    const status: InvoiceStatus | 'unknown' =
      m.type === 'ORDER_PAID' ? 'paid' : m.type === 'ORDER_FAILED' ? (m.payload.status === 'EXPIRED' ? 'expired' : 'failed') : 'unknown';
    const paidWith = option?.amount ?? m.payload.orderAmount;
    return {
      dedupeKey: m.eventId,
      upstreamId: m.payload.id,
      status,
      paid:
        status === 'paid' && paidWith
          ? { amount: paidWith.amount, currency: paidWith.currencyCode, paidAt: new Date(m.payload.orderCompletedDateTime ?? m.eventDateTime), fee: option?.amountFee?.amount ?? null }
          : null,
      raw: { walletpay_event_id: m.eventId, walletpay_event_type: m.type, walletpay_order_id: m.payload.id, ...(option ? { selected_payment_option: option } : {}) },
    };
  });
}
