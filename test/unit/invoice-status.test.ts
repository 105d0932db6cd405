import { describe, it, expect } from 'vitest';
import {
  INVOICE_STATUSES,
  TERMINAL_STATUSES,
  InvalidTransitionError,
  assertTransition,
  canCancel,
  canExpire,
  canTransition,
  eventTypeForStatus,
  isInvoiceStatus,
  isTerminal,
  type InvoiceStatus,
} from '../../src/domain/invoice-status.js';

// Written out by hand on purpose: this table is the specification, not derived
// from the module. Rows are `from`, columns are `to`.
const ALL: readonly InvoiceStatus[] = ['pending', 'processing', 'paid', 'expired', 'cancelled', 'failed'];

const EXPECTED: Record<InvoiceStatus, Record<InvoiceStatus, boolean>> = {
  //           pending  processing  paid   expired  cancelled  failed
  pending:    { pending: false, processing: true,  paid: true,  expired: true,  cancelled: true,  failed: true },
  processing: { pending: false, processing: false, paid: true,  expired: true,  cancelled: false, failed: true },
  paid:       { pending: false, processing: false, paid: false, expired: false, cancelled: false, failed: false },
  expired:    { pending: false, processing: false, paid: false, expired: false, cancelled: false, failed: false },
  cancelled:  { pending: false, processing: false, paid: false, expired: false, cancelled: false, failed: false },
  failed:     { pending: false, processing: false, paid: false, expired: false, cancelled: false, failed: false },
};

const PAIRS: Array<[InvoiceStatus, InvoiceStatus, boolean]> = ALL.flatMap((from) =>
  ALL.map((to): [InvoiceStatus, InvoiceStatus, boolean] => [from, to, EXPECTED[from][to]]),
);

describe('invoice status list', () => {
  it('has exactly the six statuses in order', () => {
    expect([...INVOICE_STATUSES]).toEqual(ALL);
  });

  it('terminal set is paid, expired, cancelled, failed', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(['cancelled', 'expired', 'failed', 'paid']);
  });

  it('isInvoiceStatus accepts only known statuses', () => {
    for (const s of ALL) expect(isInvoiceStatus(s)).toBe(true);
    for (const v of ['PENDING', 'Paid', '', 'unknown', 'constructor', 'toString', null, undefined, 1, {}, ['paid']]) {
      expect(isInvoiceStatus(v)).toBe(false);
    }
  });
});

describe('canTransition: all 36 pairs', () => {
  it('covers 36 pairs', () => {
    expect(PAIRS).toHaveLength(36);
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
    for (const from of ['paid', 'expired', 'cancelled', 'failed'] as const) {
      expect(isTerminal(from)).toBe(true);
      for (const to of ALL) expect(canTransition(from, to)).toBe(false);
    }
  });

  it('a paid invoice never becomes expired (or anything else)', () => {
    expect(canTransition('paid', 'expired')).toBe(false);
    expect(() => assertTransition('paid', 'expired')).toThrow(InvalidTransitionError);
    for (const to of ALL) expect(canTransition('paid', to)).toBe(false);
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
    pending: false, processing: false, paid: true, expired: true, cancelled: true, failed: true,
  };
  const CAN_CANCEL: Record<InvoiceStatus, boolean> = {
    pending: true, processing: false, paid: false, expired: false, cancelled: false, failed: false,
  };
  const CAN_EXPIRE: Record<InvoiceStatus, boolean> = {
    pending: true, processing: false, paid: false, expired: false, cancelled: false, failed: false,
  };

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
