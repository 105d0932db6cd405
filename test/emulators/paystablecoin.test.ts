import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPayStablecoinEmulator, webhookSignature, type PayStablecoinEmulator, type PayStablecoinOrder } from './paystablecoin.js';

/** The guide's signing helper written out independently of the emulator. */
function sign(secret: string, ts: string, method: 'GET' | 'POST', path: string, body = ''): string {
  const h = (d: string) => createHmac('sha256', secret).update(d).digest('base64');
  return method === 'GET' ? h(`${ts}\nGET\n${path}`) : h(`${ts}\nPOST\n${path}\n${createHash('sha256').update(body).digest('base64')}`);
}

let emu: PayStablecoinEmulator;
beforeAll(async () => {
  emu = await startPayStablecoinEmulator({ merchantId: 'MCH_20240101_ABC123' });
});
afterAll(async () => {
  await emu?.stop();
});

interface Answer {
  status: number;
  text: string;
  json: { code: string; message: string; data: unknown };
}

async function call(method: 'GET' | 'POST', sub: string, opts: { body?: unknown; ts?: number; secret?: string; signPath?: string; omit?: boolean; merchant?: string; signBody?: string } = {}): Promise<Answer> {
  const path = `/api/v1/merchants/${opts.merchant ?? emu.merchantId}/checkout${sub}`;
  const ts = String(opts.ts ?? Date.now());
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers: Record<string, string> = body ? { 'content-type': 'application/json' } : {};
  if (!opts.omit) {
    headers['X-Timestamp'] = ts;
    headers['X-Signature'] = sign(opts.secret ?? emu.apiSecret, ts, method, opts.signPath ?? path, opts.signBody ?? body ?? '');
  }
  const res = await fetch(`${emu.baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as Answer['json'] };
}

const orderBody = (id: string, over: Record<string, unknown> = {}) => ({
  merchantOrderId: id,
  orderAmount: { value: '100.50', currency: 'USDT' },
  paymentMethodType: 'ON_CHAIN_TRANSFER',
  network: 'tron',
  expiresAt: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  callbackUrl: 'https://example.test/hook',
  ...over,
});

describe('PayStablecoin emulator: auth', () => {
  it('accepts a correctly signed GET and answers the {code:"00000",data} envelope, sorted by displayOrder', async () => {
    const r = await call('GET', '/payment-methods');
    expect(r.status).toBe(200);
    expect(r.json.code).toBe('00000');
    const methods = r.json.data as Array<{ displayOrder: number; cryptoCurrency: string; network: string }>;
    expect(methods.length).toBeGreaterThan(3);
    expect(methods.map((m) => m.displayOrder)).toEqual([...methods.map((m) => m.displayOrder)].sort((a, b) => a - b));
    expect(Object.keys(methods[0]!)).toEqual(['cryptoCurrency', 'network', 'networkDisplayName', 'minAmount', 'maxAmount', 'estimatedConfirmationTimeSec', 'displayOrder']);
    expect(emu.requests.at(-1)!.authentic).toBe(true);
  });

  it('rejects missing, wrong-secret, wrong-path and stale/future signatures with 401 JSON', async () => {
    for (const [opts, code] of [
      [{ omit: true }, 'SIGNATURE_MISSING'],
      [{ secret: 'nope' }, 'SIGNATURE_INVALID'],
      [{ signPath: '/api/v1/merchants/x/checkout/payment-methods' }, 'SIGNATURE_INVALID'],
      [{ ts: Date.now() - 6 * 60_000 }, 'TIMESTAMP_EXPIRED'],
      [{ ts: Date.now() + 6 * 60_000 }, 'TIMESTAMP_EXPIRED'],
      [{ ts: Math.floor(Date.now() / 1000) }, 'TIMESTAMP_INVALID'],
    ] as const) {
      const r = await call('GET', '/payment-methods', opts);
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ code, data: null });
      expect(emu.requests.at(-1)!.authentic).toBe(false);
    }
  });

  it('a POST signature covers the exact body bytes', async () => {
    const body = orderBody('SIG_1');
    const other = JSON.stringify(body, null, 1);
    const r = await call('POST', '/orders', { body, signBody: other });
    expect(r.status).toBe(401);
    expect(emu.orders.has('SIG_1')).toBe(false);
    expect((await call('POST', '/orders', { body })).status).toBe(200);
  });

  it('refuses a merchant id in the path that is not the account', async () => {
    const r = await call('GET', '/payment-methods', { merchant: 'MCH_OTHER' });
    expect(r.status).toBe(403);
    expect(r.json.code).toBe('MERCHANT_MISMATCH');
  });
});

describe('PayStablecoin emulator: orders', () => {
  it('creates an order with deposit address and crypto amount; the query returns it', async () => {
    const r = await call('POST', '/orders', { body: orderBody('ORD_1') });
    expect(r.status).toBe(200);
    const o = r.json.data as PayStablecoinOrder;
    expect(o).toMatchObject({ merchantOrderId: 'ORD_1', status: 'PENDING', network: 'tron', networkDisplayName: 'Tron (TRC-20)', orderAmount: { value: '100.50', currency: 'USDT' } });
    expect(o.depositAddress).toMatch(/^T/);
    expect(o.cryptoPaymentAmount.value).toMatch(/^100\.5\d{3}$/);
    const q = await call('GET', '/orders/ORD_1');
    expect((q.json.data as PayStablecoinOrder).status).toBe('PENDING');
    emu.pay('ORD_1');
    expect(((await call('GET', '/orders/ORD_1')).json.data as PayStablecoinOrder).status).toBe('SUCCEEDED');
    expect(() => emu.close('ORD_1')).toThrow(/SUCCEEDED/);
    expect((await call('GET', '/orders/NOPE')).status).toBe(404);
  });

  it('validates the currency, network, amount range and duplicates', async () => {
    const eur = await call('POST', '/orders', { body: orderBody('V1', { orderAmount: { value: '5', currency: 'EUR' } }) });
    expect(eur.status).toBe(422);
    expect(eur.json.code).toBe('CURRENCY_NOT_SUPPORTED');
    const net = await call('POST', '/orders', { body: orderBody('V2', { network: 'polygon' }) });
    expect(net.status).toBe(422);
    expect(net.json.code).toBe('NETWORK_NOT_AVAILABLE');
    expect(net.json.message).toContain('USDT/tron');
    const usd1 = await call('POST', '/orders', { body: orderBody('V3', { orderAmount: { value: '5', currency: 'USD1' } }) });
    expect(usd1.json.code).toBe('NETWORK_NOT_AVAILABLE');
    const small = await call('POST', '/orders', { body: orderBody('V4', { network: 'ethereum', orderAmount: { value: '5', currency: 'USDT' } }) });
    expect(small.json.code).toBe('AMOUNT_OUT_OF_RANGE');
    await call('POST', '/orders', { body: orderBody('V5') });
    expect((await call('POST', '/orders', { body: orderBody('V5') })).status).toBe(409);
    const past = await call('POST', '/orders', { body: orderBody('V6', { expiresAt: '2020-01-01T00:00:00Z' }) });
    expect(past.status).toBe(400);
  });

  it('failNext injects an error envelope or raw text, then recovers', async () => {
    emu.failNext('/payment-methods', { status: 503 });
    const a = await call('GET', '/payment-methods');
    expect(a.status).toBe(503);
    expect(a.json).toMatchObject({ code: 'SYSTEM_ERROR', data: null });
    emu.failNext('/payment-methods', { status: 429, raw: '{"code":"RATE_LIMITED"}' });
    expect((await call('GET', '/payment-methods')).status).toBe(429);
    expect((await call('GET', '/payment-methods')).status).toBe(200);
  });
});

describe('PayStablecoin emulator: webhooks', () => {
  let server: http.Server;
  let url: string;
  const got: Array<{ headers: http.IncomingHttpHeaders; body: Buffer }> = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"code":"00000"}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    await call('POST', '/orders', { body: orderBody('WH_1') });
    emu.pay('WH_1');
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  const independent = (ts: string, body: Buffer) => createHmac('sha256', emu.apiSecret).update(`${ts}\n${body.toString('utf8')}`).digest('base64');

  it('signs `${ts}\\n${rawBody}` over exactly the bytes sent', async () => {
    const answer = await emu.sendWebhook('WH_1', url);
    expect(answer).toMatchObject({ status: 200, body: '{"code":"00000"}' });
    const g = got.at(-1)!;
    expect(g.body.equals(emu.webhookBody('WH_1'))).toBe(true);
    const ts = g.headers['x-timestamp'] as string;
    expect(ts).toMatch(/^\d{13}$/);
    expect(g.headers['x-signature']).toBe(independent(ts, g.body));
    expect(webhookSignature(emu.apiSecret, ts, g.body)).toBe(g.headers['x-signature']);
    expect(JSON.parse(g.body.toString())).toMatchObject({ merchantOrderId: 'WH_1', status: 'SUCCEEDED' });
  });

  it('forged, tampered, unsigned and back-dated deliveries', async () => {
    await emu.sendWebhook('WH_1', url, { forge: true });
    let g = got.at(-1)!;
    expect(g.headers['x-signature']).not.toBe(independent(g.headers['x-timestamp'] as string, g.body));
    await emu.sendWebhook('WH_1', url, { tamper: true });
    g = got.at(-1)!;
    const original = emu.webhookBody('WH_1');
    expect(g.body.length).toBe(original.length);
    expect([...g.body].filter((b, i) => b !== original[i])).toHaveLength(1);
    expect(g.headers['x-signature']).toBe(independent(g.headers['x-timestamp'] as string, original));
    await emu.sendWebhook('WH_1', url, { unsigned: true });
    g = got.at(-1)!;
    expect(g.headers['x-signature']).toBeUndefined();
    expect(g.headers['x-timestamp']).toBeUndefined();
    await emu.sendWebhook('WH_1', url, { timestamp: 1_700_000_000_000 });
    g = got.at(-1)!;
    expect(g.headers['x-timestamp']).toBe('1700000000000');
    expect(g.headers['x-signature']).toBe(independent('1700000000000', g.body));
  });
});
