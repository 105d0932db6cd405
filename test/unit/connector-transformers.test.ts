import { describe, expect, it } from 'vitest';
import {
  fitDescription,
  orderSchema as walletPayOrder,
  toUpstreamEvents as walletPayEvents,
  toUpstreamInvoice as walletPayInvoice,
  webhookBodySchema as walletPayBody,
} from '../../src/connectors/walletpay/transformers.js';
import { invoiceSchema, toCreateParams, toUpstreamEvents as cryptoPayEvents, toUpstreamInvoice, updateSchema } from '../../src/connectors/cryptopay/transformers.js';
import { parseAnswer, parseWebhookBody } from '../../src/connectors/kit/index.js';
import { reconcileBackoffSeconds } from '../../src/invoices/reconcile.js';
import { walletPayTimestampMs } from '../../src/connectors/walletpay/index.js';

const input = {
  invoiceId: 'inv_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  amount: '10',
  currency: 'USD',
  acceptedAssets: [],
  description: null,
  expiresAt: new Date(),
  expiresInSeconds: 3600,
  customer: null,
  returnUrl: null,
  failReturnUrl: null,
};

describe('Wallet Pay transformers', () => {
  it('fits descriptions into 5…100 characters', () => {
    expect(fitDescription('Premium plan', 'inv_1')).toBe('Premium plan');
    expect(fitDescription('VIP', 'inv_1')).toBe('VIP — Invoice inv_1');
    expect(fitDescription(null, 'inv_1')).toBe('Invoice inv_1');
    const long = fitDescription('x'.repeat(300), 'inv_1');
    expect(long).toHaveLength(100);
    expect(long.endsWith('…')).toBe(true);
  });

  const read = (body: unknown) => walletPayEvents(parseWebhookBody(walletPayBody, Buffer.from(JSON.stringify(body))));

  it('maps ORDER_PAID, ORDER_FAILED(EXPIRED), other failures and unknown types', () => {
    const base = { eventDateTime: '2026-01-01T00:00:00Z', payload: { id: 7, orderAmount: { currencyCode: 'USDT', amount: '2' }, orderCompletedDateTime: '2026-01-01T00:00:00.123456Z' } };
    const events = read([
      { ...base, eventId: 1, type: 'ORDER_PAID', payload: { ...base.payload, selectedPaymentOption: { amount: { currencyCode: 'TON', amount: '0.5' }, amountFee: { currencyCode: 'TON', amount: '0.005' }, exchangeRate: '4' } } },
      { ...base, eventId: 2, type: 'ORDER_FAILED', payload: { ...base.payload, status: 'EXPIRED' } },
      { ...base, eventId: 3, type: 'ORDER_FAILED', payload: { ...base.payload, status: 'REJECTED' } },
      { ...base, eventId: 4, type: 'ORDER_REFUNDED' },
    ]);
    expect(events.map((e) => [e.dedupeKey, e.status])).toEqual([
      ['1', 'paid'],
      ['2', 'expired'],
      ['3', 'failed'],
      ['4', 'unknown'],
    ]);
    expect(events[0]!.paid).toMatchObject({ amount: '0.5', currency: 'TON', fee: '0.005' });
    // What the payer chose is kept whole for support.
    expect(events[0]!.raw.selected_payment_option).toMatchObject({ exchangeRate: '4' });
  });

  it('reads a single message as well as an array, and amounts sent as numbers', () => {
    const [event] = read({ eventDateTime: '2026-01-01T00:00:00Z', eventId: 9, type: 'ORDER_PAID', payload: { id: '7', orderAmount: { currencyCode: 'USDT', amount: 2.5 } } });
    expect(event).toMatchObject({ dedupeKey: '9', upstreamId: '7', paid: { amount: '2.5', currency: 'USDT', fee: null } });
  });

  it('a webhook body or an order of the wrong shape is refused naming the field', () => {
    expect(() => read([{ eventDateTime: '2026-01-01T00:00:00Z', eventId: 1, type: 'ORDER_PAID', payload: { orderAmount: { currencyCode: 'USDT', amount: '2' } } }])).toThrow(
      expect.objectContaining({ name: 'WebhookBodyError', message: expect.stringMatching(/\/0\/payload\/id/) }),
    );
    expect(() => read({ eventId: 1, type: 'ORDER_PAID', payload: { id: 7, orderAmount: { currencyCode: 'USDT', amount: 'two' } } })).toThrow(/\/0\/eventDateTime.*\/0\/payload\/orderAmount\/amount/);
    expect(() => parseAnswer(walletPayOrder, { id: 7, status: 'ACTIVE' }, 'Wallet Pay POST /order')).toThrow(
      expect.objectContaining({ kind: 'integration', retryable: true, message: expect.stringMatching(/\/amount/) }),
    );
  });

  it('an order id sent as a number is kept as a string; an unknown status is unknown', () => {
    const order = (status: string) => walletPayInvoice(walletPayOrder.parse({ id: 7, status, amount: { currencyCode: 'TON', amount: 1.5 }, completedDateTime: '2026-01-01T00:00:00Z' }));
    expect(order('PAID')).toMatchObject({ upstreamId: '7', status: 'paid', paid: { amount: '1.5', currency: 'TON' } });
    expect(order('REFUNDED').status).toBe('unknown');
  });
});

describe('Crypto Pay transformers', () => {
  it('crypto vs fiat requests, with accepted assets and our id in payload', () => {
    expect(toCreateParams({ ...input, currency: 'TON' })).toMatchObject({ currency_type: 'crypto', asset: 'TON', payload: input.invoiceId });
    expect(toCreateParams({ ...input, acceptedAssets: ['USDT', 'TON'] })).toMatchObject({ currency_type: 'fiat', fiat: 'USD', accepted_assets: 'USDT,TON' });
    expect(toCreateParams({ ...input, description: 'd'.repeat(2000) }).description).toHaveLength(1024);
  });

  it('accepts amounts as strings or numbers and maps unknown statuses to unknown', () => {
    const read = (v: unknown) => toUpstreamInvoice(invoiceSchema.parse(v));
    expect(read({ invoice_id: 1, amount: 10.5, status: 'paid', asset: 'USDT', paid_amount: 10.5 }).paid).toMatchObject({ amount: '10.5', currency: 'USDT' });
    expect(read({ invoice_id: 1, amount: 1e-7, status: 'paid', asset: 'BTC' }).paid).toMatchObject({ amount: '0.0000001' });
    expect(read({ invoice_id: 1, amount: '1', status: 'refunded' }).status).toBe('unknown');
    const update = { update_id: 1, update_type: 'something_new', request_date: '', payload: { invoice_id: 1, amount: '1', status: 'paid' } };
    expect(cryptoPayEvents(updateSchema.parse(update))).toEqual([]);
  });

  it('a webhook or answer of the wrong shape is refused naming the field', () => {
    const body = Buffer.from(JSON.stringify({ update_id: 1, update_type: 'invoice_paid', payload: { invoice_id: 1, status: 'paid' } }));
    expect(() => parseWebhookBody(updateSchema, body)).toThrow(/\/payload\/amount/);
    expect(() => parseAnswer(invoiceSchema, { invoice_id: 1, amount: 'ten', status: 'paid' }, 'Crypto Pay createInvoice')).toThrow(
      expect.objectContaining({ kind: 'integration', retryable: true, message: expect.stringMatching(/\/amount: is not a decimal amount/) }),
    );
  });
});

describe('Wallet Pay timestamps', () => {
  it('reads seconds, ms, µs and ns from the magnitude', () => {
    const ms = Date.parse('2026-11-23T12:00:00Z');
    expect(walletPayTimestampMs(String(ms / 1000))).toBe(ms);
    expect(walletPayTimestampMs(String(ms))).toBe(ms);
    expect(walletPayTimestampMs(String(ms * 1000))).toBe(ms);
    expect(walletPayTimestampMs(`${BigInt(ms) * 1_000_000n}`)).toBe(ms);
    // The docs' own example (15 digits, July 2023 in units of 10 µs) fits no unit: one reason the
    // tolerance check is off unless an operator turns it on.
    expect(walletPayTimestampMs('168824905680291')).toBeLessThan(Date.parse('2000-01-01'));
    expect(walletPayTimestampMs('soon')).toBeUndefined();
  });
});

describe('reconciliation back-off', () => {
  it('asks at the base interval at first, then doubles up to 16×', () => {
    expect([0, 4, 5, 10, 15, 20, 100].map((n) => reconcileBackoffSeconds(60, n))).toEqual([60, 60, 120, 240, 480, 960, 960]);
  });
});
