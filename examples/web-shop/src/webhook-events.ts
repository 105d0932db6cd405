/** What a verified Switchyard event does to the shop's orders. */
import type { InvoiceEvent, InvoiceEventType, WebhookEvent } from '@switchyard/client';
import type { OrderStatus, OrderStore } from './orders.js';

/** The invoice events that move an order, and where to. */
const ORDER_STATUS: Partial<Record<InvoiceEventType, OrderStatus>> = {
  'invoice.processing': 'processing',
  'invoice.paid': 'paid',
  'invoice.expired': 'expired',
  'invoice.cancelled': 'cancelled',
  'invoice.failed': 'failed',
  'invoice.refunded': 'refunded',
};

export type EventOutcome = 'moved' | 'unchanged' | 'ignored' | 'not-ours';

/**
 * Applies one event. The invoice is matched to its order by `external_id` (the order id given
 * at creation) and must be the order's own invoice. A redelivered event, or one that arrives after
 * a later one, changes nothing (orders only move forward): `unchanged`.
 */
export function applyWebhookEvent(orders: OrderStore, event: WebhookEvent): EventOutcome {
  // invoice.created, invoice.late_payment, webhook.test, …: nothing for the order page to show.
  if (!isInvoiceEvent(event)) return 'ignored';
  const to = ORDER_STATUS[event.type];
  if (!to) return 'ignored';
  const invoice = event.data;
  const order = invoice.external_id ? orders.get(invoice.external_id) : undefined;
  if (!order || (order.invoiceId !== null && order.invoiceId !== invoice.id)) return 'not-ours';
  const payment = invoice.paid
    ? { amount: invoice.paid.amount, currency: invoice.paid.currency, paidAt: invoice.paid.paid_at, exception: invoice.paid.exception ?? null }
    : undefined;
  return orders.move(order.id, to, payment) ? 'moved' : 'unchanged';
}

function isInvoiceEvent(event: WebhookEvent): event is InvoiceEvent {
  return event.type.startsWith('invoice.');
}
