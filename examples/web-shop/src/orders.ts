/**
 * The shop's orders, kept in memory: enough for an example. A real shop keeps them in its
 * database and applies the webhook's change in the same transaction that records it.
 */
import { randomBytes } from 'node:crypto';

/** Where an order stands; it follows its invoice's status and only ever moves forward. */
export type OrderStatus = 'awaiting_payment' | 'processing' | 'paid' | 'expired' | 'cancelled' | 'failed' | 'refunded';

/** Statuses that end an unpaid order. */
const CLOSED: ReadonlySet<OrderStatus> = new Set(['expired', 'cancelled', 'failed']);

/** What the shop remembers of the payment Switchyard reported. */
export interface OrderPayment {
  amount: string;
  currency: string;
  paidAt: string;
  /** Switchyard's `paid.exception`: `underpaid`, `overpaid`, `late`, or null when it matches. */
  exception: string | null;
}

export interface Order {
  id: string;
  productName: string;
  amount: string;
  currency: string;
  status: OrderStatus;
  /** Set once Switchyard has created the invoice. */
  invoiceId: string | null;
  checkoutUrl: string | null;
  payment: OrderPayment | null;
  createdAt: Date;
}

/**
 * Whether an order may move from `from` to `to`. Redelivered or late webhooks are therefore
 * harmless: a second `invoice.paid` finds the order paid already, a stray `invoice.processing`
 * cannot take a paid order back.
 */
export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  if (from === 'awaiting_payment') return to !== 'awaiting_payment' && to !== 'refunded';
  if (from === 'processing') return to === 'paid' || CLOSED.has(to);
  if (from === 'paid') return to === 'refunded';
  return false;
}

export class OrderStore {
  private readonly orders = new Map<string, Order>();

  create(fields: Pick<Order, 'productName' | 'amount' | 'currency'>): Order {
    // Random (64 bits), not sequential: the order page is reachable by its id alone.
    const order: Order = { id: `ord_${randomBytes(8).toString('hex')}`, status: 'awaiting_payment', invoiceId: null, checkoutUrl: null, payment: null, createdAt: new Date(), ...fields };
    this.orders.set(order.id, order);
    return order;
  }

  get(id: string): Order | undefined {
    return this.orders.get(id);
  }

  all(): Order[] {
    return [...this.orders.values()];
  }

  attachInvoice(id: string, invoiceId: string, checkoutUrl: string): void {
    const order = this.orders.get(id);
    if (order) Object.assign(order, { invoiceId, checkoutUrl });
  }

  /** Moves the order on when the move is allowed; says whether it moved. */
  move(id: string, to: OrderStatus, payment?: OrderPayment): boolean {
    const order = this.orders.get(id);
    if (!order || !canMove(order.status, to)) return false;
    order.status = to;
    if (payment) order.payment = payment;
    return true;
  }
}
