/**
 * Invoice state machine. Pure, no I/O.
 *
 *            ┌──────────────► paid ──► refunded
 *            │                  ▲
 *   pending ─┼──► processing ───┤──► expired
 *            │         │        │
 *            │         └────────┴──► failed
 *            ├──► expired
 *            ├──► cancelled
 *            └──► failed
 *
 * Every state below lists exactly where it may go next; anything not listed
 * (including staying in the same state) is an invalid transition.
 */

export const INVOICE_STATUSES = [
  // Created, waiting for the payer.
  // -> processing, paid, expired, cancelled, failed
  'pending',
  // Upstream has seen a payment that is not confirmed yet (e.g. unconfirmed tx).
  // -> paid, expired, failed
  // (-> expired only when the upstream reports a seen-but-never-confirmed
  //  payment as expired; our own expiry job only expires pending invoices.)
  'processing',
  // Payment confirmed. -> refunded (a refund through the API, or one the upstream reports); nothing else.
  'paid',
  // Payment window elapsed without payment. Terminal: -> (none)
  'expired',
  // Cancelled by the merchant before any payment was seen. Terminal: -> (none)
  'cancelled',
  // Upstream reported a failure (declined, rejected, underpaid and closed...). Terminal: -> (none)
  'failed',
  // The payment was given back (in full). Terminal: -> (none)
  'refunded',
] as const;

export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<InvoiceStatus> = new Set<InvoiceStatus>([
  'expired',
  'cancelled',
  'failed',
  'refunded',
]);

const TRANSITIONS: { readonly [S in InvoiceStatus]: ReadonlySet<InvoiceStatus> } = {
  pending: new Set<InvoiceStatus>(['processing', 'paid', 'expired', 'cancelled', 'failed']),
  processing: new Set<InvoiceStatus>(['paid', 'expired', 'failed']),
  paid: new Set<InvoiceStatus>(['refunded']),
  expired: new Set<InvoiceStatus>(),
  cancelled: new Set<InvoiceStatus>(),
  failed: new Set<InvoiceStatus>(),
  refunded: new Set<InvoiceStatus>(),
};

export function isInvoiceStatus(v: unknown): v is InvoiceStatus {
  return typeof v === 'string' && (INVOICE_STATUSES as readonly string[]).includes(v);
}

/** Whether `from -> to` is an allowed transition. Self-transitions are never allowed. */
export function canTransition(from: InvoiceStatus, to: InvoiceStatus): boolean {
  if (!isInvoiceStatus(from) || !isInvoiceStatus(to)) return false;
  return TRANSITIONS[from].has(to);
}

/** Is the invoice final? Terminal invoices never change status again. */
export function isTerminal(s: InvoiceStatus): boolean {
  return TERMINAL_STATUSES.has(s);
}

/** Nothing is left for the buyer to do: paid, or terminal (the checkout page stops following it). */
export function isSettled(s: InvoiceStatus): boolean {
  return s === 'paid' || isTerminal(s);
}

/** Can the merchant refund this invoice? Only once paid (and only on connectors that refund). */
export function canRefund(s: InvoiceStatus): boolean {
  return s === 'paid';
}

/** Has money been received for good (a second payment on it is a late payment)? */
export function hasBeenPaid(s: InvoiceStatus): boolean {
  return s === 'paid' || s === 'refunded';
}

/** Can the merchant cancel this invoice? Only while nothing has been seen (pending). */
export function canCancel(s: InvoiceStatus): boolean {
  return s === 'pending';
}

/**
 * Can our expiry job expire this invoice? Only pending ones: a processing
 * invoice has a payment in flight and is left for the upstream to resolve.
 */
export function canExpire(s: InvoiceStatus): boolean {
  return s === 'pending';
}

export type InvoiceEventType =
  | 'invoice.created'
  | 'invoice.processing'
  | 'invoice.paid'
  | 'invoice.expired'
  | 'invoice.cancelled'
  | 'invoice.failed'
  | 'invoice.refunded'
  /** Money arrived for an invoice that no longer takes it (expired, cancelled, failed); its status stays. */
  | 'invoice.late_payment';

/**
 * How a recorded payment differs from what the invoice asked: less, more, or after the invoice
 * stopped taking payments. Recorded in `paid.exception`, never hidden.
 */
export type PaymentException = 'underpaid' | 'overpaid' | 'late';

/** States in which money can still arrive late (the buyer paid an address or order that lived on upstream). */
export function isClosedUnpaid(s: InvoiceStatus): boolean {
  return s === 'expired' || s === 'cancelled' || s === 'failed';
}

const EVENT_TYPES: { readonly [S in InvoiceStatus]: InvoiceEventType } = {
  pending: 'invoice.created',
  processing: 'invoice.processing',
  paid: 'invoice.paid',
  expired: 'invoice.expired',
  cancelled: 'invoice.cancelled',
  failed: 'invoice.failed',
  refunded: 'invoice.refunded',
};

/** Webhook/event type emitted when an invoice enters `s` (pending -> 'invoice.created'). */
export function eventTypeForStatus(s: InvoiceStatus): InvoiceEventType {
  return EVENT_TYPES[s];
}

export class InvalidTransitionError extends Error {
  constructor(
    readonly from: InvoiceStatus,
    readonly to: InvoiceStatus,
  ) {
    super(`invalid invoice status transition: ${from} -> ${to}`);
    this.name = 'InvalidTransitionError';
  }
}

/** Throws InvalidTransitionError unless `from -> to` is allowed. */
export function assertTransition(from: InvoiceStatus, to: InvoiceStatus): void {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
}
