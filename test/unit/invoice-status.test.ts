import { describe, it, expect } from 'vitest';
import {
  INVOICE_STATUSES,
  TERMINAL_STATUSES,
  InvalidTransitionError,
  assertTransition,
  canCancel,
  canExpire,
  canRefund,
  hasBeenPaid,
  isSettled,
  canTransition,
  eventTypeForStatus,
  isInvoiceStatus,
  isTerminal,
  type InvoiceStatus,
} from '../../src/domain/invoice-status.js';

// Written out by hand on purpose: this table is the specification, not derived
// from the module. Rows are `from`, columns are `to`.
const ALL: readonly InvoiceStatus[] = ['pending', 'processing', 'paid', 'expired', 'cancelled', 'failed', 'refunded'];

const EXPECTED: Record<InvoiceStatus, Record<InvoiceStatus, boolean>> = {
  //           pending  processing  paid   expired  cancelled  failed  refunded
  pending:    { pending: false, processing: true,  paid: true,  expired: true,  cancelled: true,  failed: true,  refunded: false },
  processing: { pending: false, processing: false, paid: true,  expired: true,  cancelled: false, failed: true,  refunded: false },
  paid:       { pending: false, processing: false, paid: false, expired: false, cancelled: false, failed: false, refunded: true },
  expired:    { pending: false, processing: false, paid: false, expired: false, cancelled: false, failed: false, refunded: false },
  cancelled:  { pending: false, processing: false, paid: false, expired: false, cancelled: false, failed: false, refunded: false },
  failed:     { pending: false, processing: false, paid: false, expired: false, cancelled: false, failed: false, refunded: false },
  refunded:   { pending: false, processing: false, paid: false, expired: false, cancelled: false, failed: false, refunded: false },
};

const PAIRS: Array<[InvoiceStatus, InvoiceStatus, boolean]> = ALL.flatMap((from) =>
  ALL.map((to): [InvoiceStatus, InvoiceStatus, boolean] => [from, to, EXPECTED[from][to]]),
);

describe('invoice status list', () => {
  it('has exactly the seven statuses in order', () => {
    expect([...INVOICE_STATUSES]).toEqual(ALL);
  });

  it('terminal set is expired, cancelled, failed, refunded (paid may still be refunded)', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(['cancelled', 'expired', 'failed', 'refunded']);
  });

  it('isInvoiceStatus accepts only known statuses', () => {
    for (const s of ALL) expect(isInvoiceStatus(s)).toBe(true);
    for (const v of ['PENDING', 'Paid', '', 'unknown', 'constructor', 'toString', null, undefined, 1, {}, ['paid']]) {
      expect(isInvoiceStatus(v)).toBe(false);
    }
  });
});

describe('canTransition: all 49 pairs', () => {
  it('covers 49 pairs', () => {
    expect(PAIRS).toHaveLength(49);
  });

  it.each(PAIRS)('%s -> %s is %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  it.each(PAIRS)('assertTransition %s -> %s (allowed=%s)', (from, to, allowed) => {
    if (allowed) {
      expect(() => assertTransition(from, to)).not.toThrow();
    } else {
      expect(() => assertTransition(from, to)).toThrow(InvalidTransitionError);
    }
  });

  it('no self-transitions', () => {
    for (const s of ALL) expect(canTransition(s, s)).toBe(false);
  });

  it('terminal states never move', () => {
    for (const from of ['expired', 'cancelled', 'failed', 'refunded'] as const) {
      expect(isTerminal(from)).toBe(true);
      for (const to of ALL) expect(canTransition(from, to)).toBe(false);
    }
  });

  it('a paid invoice never becomes expired: it moves only to refunded', () => {
    expect(canTransition('paid', 'expired')).toBe(false);
    expect(() => assertTransition('paid', 'expired')).toThrow(InvalidTransitionError);
    for (const to of ALL) expect(canTransition('paid', to)).toBe(to === 'refunded');
  });

  it('only a paid invoice can be refunded', () => {
    for (const from of ALL) expect(canTransition(from, 'refunded')).toBe(from === 'paid');
  });

  it('nothing ever goes back to pending', () => {
    for (const from of ALL) expect(canTransition(from, 'pending')).toBe(false);
  });

  it('unknown statuses are rejected', () => {
    expect(canTransition('pending', 'bogus' as InvoiceStatus)).toBe(false);
    expect(canTransition('bogus' as InvoiceStatus, 'paid')).toBe(false);
  });
});

describe('named questions', () => {
  const TERMINAL: Record<InvoiceStatus, boolean> = {
    pending: false, processing: false, paid: false, expired: true, cancelled: true, failed: true, refunded: true,
  };
  const SETTLED: Record<InvoiceStatus, boolean> = {
    pending: false, processing: false, paid: true, expired: true, cancelled: true, failed: true, refunded: true,
  };
  const CAN_CANCEL: Record<InvoiceStatus, boolean> = {
    pending: true, processing: false, paid: false, expired: false, cancelled: false, failed: false, refunded: false,
  };
  const CAN_EXPIRE: Record<InvoiceStatus, boolean> = {
    pending: true, processing: false, paid: false, expired: false, cancelled: false, failed: false, refunded: false,
  };
  const CAN_REFUND: Record<InvoiceStatus, boolean> = {
    pending: false, processing: false, paid: true, expired: false, cancelled: false, failed: false, refunded: false,
  };
  const BEEN_PAID: Record<InvoiceStatus, boolean> = {
    pending: false, processing: false, paid: true, expired: false, cancelled: false, failed: false, refunded: true,
  };

  it.each(ALL)('isSettled(%s), canRefund(%s), hasBeenPaid(%s)', (s) => {
    expect(isSettled(s)).toBe(SETTLED[s]);
    expect(canRefund(s)).toBe(CAN_REFUND[s]);
    expect(hasBeenPaid(s)).toBe(BEEN_PAID[s]);
  });

  it.each(ALL)('isTerminal(%s)', (s) => {
    expect(isTerminal(s)).toBe(TERMINAL[s]);
    expect(TERMINAL_STATUSES.has(s)).toBe(TERMINAL[s]);
  });

  it.each(ALL)('canCancel(%s)', (s) => {
    expect(canCancel(s)).toBe(CAN_CANCEL[s]);
  });

  it.each(ALL)('canExpire(%s)', (s) => {
    expect(canExpire(s)).toBe(CAN_EXPIRE[s]);
  });

  it('canCancel/canExpire imply the corresponding transition is allowed', () => {
    for (const s of ALL) {
      if (canCancel(s)) expect(canTransition(s, 'cancelled')).toBe(true);
      if (canExpire(s)) expect(canTransition(s, 'expired')).toBe(true);
      if (canRefund(s)) expect(canTransition(s, 'refunded')).toBe(true);
    }
  });

  it('processing may be expired by upstream but not by our expiry job', () => {
    expect(canTransition('processing', 'expired')).toBe(true);
    expect(canExpire('processing')).toBe(false);
  });
});

describe('eventTypeForStatus', () => {
  const EVENTS: Record<InvoiceStatus, string> = {
    pending: 'invoice.created',
    processing: 'invoice.processing',
    paid: 'invoice.paid',
    expired: 'invoice.expired',
    cancelled: 'invoice.cancelled',
    failed: 'invoice.failed',
    refunded: 'invoice.refunded',
  };

  it.each(ALL)('%s', (s) => {
    expect(eventTypeForStatus(s)).toBe(EVENTS[s]);
  });
});

describe('InvalidTransitionError', () => {
  it('carries from/to and a readable message', () => {
    let caught: unknown;
    try {
      assertTransition('paid', 'expired');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidTransitionError);
    expect(caught).toBeInstanceOf(Error);
    const err = caught as InvalidTransitionError;
    expect(err.from).toBe('paid');
    expect(err.to).toBe('expired');
    expect(err.name).toBe('InvalidTransitionError');
    expect(err.message).toContain('paid');
    expect(err.message).toContain('expired');
  });

  it('carries from/to for a self-transition', () => {
    expect(() => assertTransition('pending', 'pending')).toThrow(
      expect.objectContaining({ from: 'pending', to: 'pending' }),
    );
  });

  it('can be constructed directly', () => {
    const e = new InvalidTransitionError('cancelled', 'paid');
    expect(e.from).toBe('cancelled');
    expect(e.to).toBe('paid');
  });
});
