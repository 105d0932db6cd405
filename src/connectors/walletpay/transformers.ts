import type { CreateInvoiceInput, UpstreamEvent, UpstreamInvoice } from '../types.js';
import type { InvoiceStatus } from '../../domain/invoice-status.js';

interface MoneyAmount {
  currencyCode: string;
  amount: string | number;
}

/** OrderPreview (REFERENCE §2.3): `id` is documented as a string but sent as a number; both are accepted. */
export interface WalletPayOrder {
  id: number | string;
  status: string;
  number?: string;
  amount: MoneyAmount;
  createdDateTime?: string;
  expirationDateTime?: string;
  completedDateTime?: string;
  payLink?: string;
  directPayLink?: string;
}

export interface WalletPayWebhookMessage {
  eventDateTime: string;
  eventId: number | string;
  type: string;
  payload: {
    id: number | string;
    number?: string;
    externalId?: string;
    orderAmount?: MoneyAmount;
    status?: string;
    selectedPaymentOption?: { amount: MoneyAmount; amountFee?: MoneyAmount; amountNet?: MoneyAmount };
    orderCompletedDateTime?: string;
  };
}

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

export function toUpstreamInvoice(order: WalletPayOrder): UpstreamInvoice {
  const status = STATUS[order.status] ?? 'unknown';
  return {
    upstreamId: String(order.id),
    status,
    payUrl: order.payLink ?? null,
    payment: null,
    paid:
      status === 'paid'
        ? { amount: String(order.amount.amount), currency: order.amount.currencyCode, paidAt: new Date(order.completedDateTime ?? Date.now()), fee: null }
        : null,
    raw: { walletpay_order_id: String(order.id), walletpay_number: order.number, walletpay_status: order.status, direct_pay_link: order.directPayLink },
  };
}

/** ORDER_PAID → paid (with what the payer chose); ORDER_FAILED → expired when it says EXPIRED, else failed. */
export function toUpstreamEvents(messages: WalletPayWebhookMessage[]): UpstreamEvent[] {
  return messages.map((m) => {
    const option = m.payload.selectedPaymentOption;
    const status: InvoiceStatus | 'unknown' =
      m.type === 'ORDER_PAID' ? 'paid' : m.type === 'ORDER_FAILED' ? (m.payload.status === 'EXPIRED' ? 'expired' : 'failed') : 'unknown';
    const paidWith = option?.amount ?? m.payload.orderAmount;
    return {
      dedupeKey: String(m.eventId),
      upstreamId: String(m.payload.id),
      status,
      paid:
        status === 'paid' && paidWith
          ? {
              amount: String(paidWith.amount),
              currency: paidWith.currencyCode,
              paidAt: new Date(m.payload.orderCompletedDateTime ?? m.eventDateTime),
              fee: option?.amountFee ? String(option.amountFee.amount) : null,
            }
          : null,
      raw: { walletpay_event_id: String(m.eventId), walletpay_event_type: m.type, walletpay_order_id: String(m.payload.id), ...(option ? { selected_payment_option: option } : {}) },
    };
  });
}
