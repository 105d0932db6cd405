import { describe, expect, it } from 'vitest';
import { btcToMsat, msatToBtc } from '../../src/connectors/cln/amounts.js';
import { highestPayIndex } from '../../src/connectors/cln/pay-index.js';
import { newLabel } from '../../src/connectors/cln/labels.js';
import { descriptionFor, invoiceEntrySchema, RPC_CODES, toUpstreamInvoice, unwrapAnswer } from '../../src/connectors/cln/transformers.js';
import { classifyFailure, UpstreamError } from '../../src/connectors/kit/index.js';
import { DEFAULT_BACKOFF, isRefusal, waiterBackoffMs } from '../../src/invoices/payment-waiter.js';

describe('CLN amounts: BTC ⇄ msat, exactly', () => {
  it.each([
    ['0.00000001', 1000n],
    ['0.0001', 10_000_000n],
    ['0.00012345', 12_345_000n],
    ['1', 100_000_000_000n],
    ['21000000', 2_100_000_000_000_000_000n],
  ])('%s BTC is %s msat, and back', (btc, msat) => {
    expect(btcToMsat(btc)).toBe(msat);
    expect(msatToBtc(msat)).toBe(btc);
  });

  it('what arrives may be any msat: up to 11 decimals, no trailing zeros, never a float', () => {
    expect(msatToBtc(1n)).toBe('0.00000000001');
    expect(msatToBtc(10_000_001n)).toBe('0.00010000001');
    expect(msatToBtc(0n)).toBe('0');
    expect(btcToMsat('0.000000000001')).toBeUndefined();
  });
});

describe('CLN: the highest pay_index, by probing', () => {
  /** A node whose paid invoices have these pay_indexes; counts the probes. */
  function node(indexes: number[]) {
    const sorted = [...indexes].sort((a, b) => a - b);
    const probes: number[] = [];
    return {
      probes,
      probe: async (after: number) => (probes.push(after), sorted.find((i) => i > after) ?? null),
    };
  }

  it.each([
    ['no payment yet', [], 0],
    ['one', [1], 1],
    ['a run', Array.from({ length: 1000 }, (_, i) => i + 1), 1000],
    ['gaps (deleted invoices)', [1, 2, 7, 8, 40, 41, 900], 900],
    ['a large node', Array.from({ length: 200 }, (_, i) => 1_000_000 + i * 37), 1_000_000 + 199 * 37],
  ])('%s', async (_what, indexes, highest) => {
    const n = node(indexes);
    expect(await highestPayIndex(n.probe)).toBe(highest);
    expect(n.probes.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(highest + 2)) + 2);
  });

  it('payments arriving meanwhile still give an index that exists (waiting from it misses nothing later)', async () => {
    const paid = [1, 2, 3];
    let probes = 0;
    const result = await highestPayIndex(async (after) => {
      if (++probes === 3) paid.push(4, 5, 6, 7, 8, 9, 10);
      return paid.find((i) => i > after) ?? null;
    });
    expect(paid).toContain(result);
  });

  it('a node answering with a pay_index not after the probe is an error, not a loop', async () => {
    await expect(highestPayIndex(async () => 0)).rejects.toThrow(/came back with pay_index 0/);
  });
});

describe('CLN labels', () => {
  it('carry our invoice id and 64 random bits: unique per upstream invoice', () => {
    const labels = new Set(Array.from({ length: 1000 }, () => newLabel('inv_01JXYZ')));
    expect(labels.size).toBe(1000);
    for (const l of labels) expect(l).toMatch(/^switchyard:inv_01JXYZ:[0-9a-f]{16}$/);
  });
});

describe('CLN descriptions', () => {
  it('are the invoice’s, else name it; cut to 639 bytes on a character boundary', () => {
    expect(descriptionFor({ description: ' Coffee ', invoiceId: 'inv_1' })).toBe('Coffee');
    expect(descriptionFor({ description: null, invoiceId: 'inv_1' })).toBe('Invoice inv_1');
    const cut = descriptionFor({ description: '€'.repeat(300), invoiceId: 'inv_1' });
    expect(Buffer.byteLength(cut)).toBe(639);
    expect(cut).toBe('€'.repeat(213));
  });
});

describe('CLN answers and failures', () => {
  const classify = (status: number, json: unknown) => {
    const u = unwrapAnswer({ status, json, text: JSON.stringify(json) });
    if (!('error' in u)) return u;
    return classifyFailure({ status, code: u.error.code ?? `HTTP_${status}`, message: 'x', codes: RPC_CODES });
  };

  it('a 201 is the bare result', () => {
    expect(unwrapAnswer({ status: 201, json: { id: '02ab' }, text: '' })).toEqual({ data: { id: '02ab' } });
    expect(unwrapAnswer({ status: 201, json: undefined, text: 'oops' })).toHaveProperty('unreadable');
  });

  it.each([
    ['missing rune', 403, { code: 1501, message: 'Not authorized: Missing rune', data: null }, { kind: 'integration', retryable: false, upstreamCode: '1501' }],
    ['invalid rune', 401, { code: 1502, message: 'Rune is not valid' }, { kind: 'integration', retryable: false, upstreamCode: '1502' }],
    ['unknown method', 404, { code: -32601, message: "Unknown command 'x'" }, { kind: 'integration', retryable: false, upstreamCode: '-32601' }],
    ['duplicate label', 500, { code: 900, message: 'Duplicate label' }, { kind: 'decline', retryable: false, upstreamCode: '900' }],
    ['bad params', 500, { code: -32602, message: 'Descriptions greater than 639 bytes' }, { kind: 'decline', retryable: false, upstreamCode: '-32602' }],
    ['wrong status to delete', 500, { code: 906, message: 'Invoice status is paid not unpaid', data: { current_status: 'paid' } }, { kind: 'decline', upstreamCode: '906' }],
    ['lightningd error', 500, { code: -1, message: 'Database error' }, { kind: 'integration', retryable: true, upstreamCode: '-1' }],
    ['plugin failure, code null', 500, { code: null, message: 'Could not connect' }, { kind: 'integration', retryable: true, upstreamCode: 'HTTP_500' }],
  ])('%s (%i) is classified by its RPC code', (_what, status, body, expected) => {
    expect(classify(status, body)).toMatchObject(expected);
  });

  it('a body that is no clnrest error is unreadable (then the status decides: 502 retryable)', () => {
    expect(unwrapAnswer({ status: 502, json: undefined, text: '<html>' })).toHaveProperty('unreadable');
    expect(unwrapAnswer({ status: 500, json: ['x'], text: '' })).toHaveProperty('unreadable');
  });
});

describe('CLN invoice entries', () => {
  const base = { label: 'switchyard:inv_1:ab', bolt11: 'lnbc1500n1xyz', payment_hash: 'aa', amount_msat: 150_000, description: 'x', expires_at: 1_900_000_000, created_index: 3 };

  it('unpaid is pending, expired is expired, anything new is unknown', () => {
    expect(toUpstreamInvoice(invoiceEntrySchema.parse({ ...base, status: 'unpaid' }))).toMatchObject({
      upstreamId: base.label,
      status: 'pending',
      paid: null,
      payUrl: null,
      payment: { network: 'lightning', asset: 'BTC', amount: '0.0000015', bolt11: base.bolt11 },
    });
    expect(toUpstreamInvoice(invoiceEntrySchema.parse({ ...base, status: 'expired' })).status).toBe('expired');
    expect(toUpstreamInvoice(invoiceEntrySchema.parse({ ...base, status: 'held' })).status).toBe('unknown');
  });

  it('paid records what arrived and when (older nodes’ "msat" strings too)', () => {
    const paid = invoiceEntrySchema.parse({ ...base, status: 'paid', pay_index: 7, amount_received_msat: '150001msat', paid_at: 1_800_000_000, payment_preimage: 'bb' });
    expect(toUpstreamInvoice(paid)).toMatchObject({
      status: 'paid',
      paid: { amount: '0.00000150001', currency: 'BTC', paidAt: new Date(1_800_000_000_000), fee: null },
      raw: { cln_pay_index: 7, cln_amount_received_msat: '150001', cln_payment_preimage: 'bb' },
    });
  });

  it('refuses a paid entry without pay_index or amount, and an amount JSON cannot carry exactly', () => {
    expect(invoiceEntrySchema.safeParse({ ...base, status: 'paid', amount_received_msat: 1 }).success).toBe(false);
    expect(invoiceEntrySchema.safeParse({ ...base, status: 'unpaid', amount_msat: 2 ** 60 }).success).toBe(false);
  });
});

describe('payment waiter back-off', () => {
  const refused = new UpstreamError('x', 'integration', false, '1502');
  const down = new UpstreamError('x', 'integration', true, 'ECONNREFUSED');

  it('a refused rune waits long; other failures double from 1 s up to a minute; ±20 % jitter', () => {
    expect(isRefusal(refused)).toBe(true);
    expect(isRefusal(down)).toBe(false);
    expect(isRefusal(new Error('db down'))).toBe(false);
    const mid = () => 0.5;
    expect(waiterBackoffMs(refused, 1, DEFAULT_BACKOFF, mid)).toBe(300_000);
    expect([1, 2, 3, 7, 50].map((n) => waiterBackoffMs(down, n, DEFAULT_BACKOFF, mid))).toEqual([1000, 2000, 4000, 60_000, 60_000]);
    expect(waiterBackoffMs(down, 1, DEFAULT_BACKOFF, () => 0)).toBe(800);
    expect(waiterBackoffMs(down, 1, DEFAULT_BACKOFF, () => 0.999999)).toBe(1200);
  });
});
