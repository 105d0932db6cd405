import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXthonPayEmulator, type XthonPayEmulator } from './xthonpay.js';

/** Independent of the emulator: the guide's Python signing written out with node:crypto. */
const hmacHex = (secret: string, data: string | Buffer) => createHmac('sha256', secret).update(data).digest('hex');

let emu: XthonPayEmulator;

beforeAll(async () => {
  emu = await startXthonPayEmulator();
});
afterAll(async () => {
  await emu?.stop();
});

async function call(
  method: 'GET' | 'POST',
  path: string,
  opts: { body?: unknown; key?: string; secret?: string; ts?: number; omit?: 'key' | 'ts' | 'sig' } = {},
): Promise<{ status: number; json: { success?: boolean; data?: Record<string, unknown>; error?: { code: string } } }> {
  const ts = String(opts.ts ?? Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {};
  if (opts.omit !== 'key') headers['X-API-Key'] = opts.key ?? emu.apiKey;
  if (opts.omit !== 'ts') headers['X-Timestamp'] = ts;
  if (opts.omit !== 'sig') headers['X-Signature'] = hmacHex(opts.secret ?? emu.apiSecret, ts);
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${emu.baseUrl}${path}`, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
  return { status: res.status, json: (await res.json()) as never };
}

/** A one-shot webhook receiver that keeps the exact bytes and headers. */
async function catchOne(): Promise<{ url: string; got: Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>; close: () => void }> {
  let resolveGot!: (v: { headers: http.IncomingHttpHeaders; body: Buffer }) => void;
  const got = new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((r) => (resolveGot = r));
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      resolveGot({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, got, close: () => server.close() };
}

describe('XthonPay emulator: authentication', () => {
  it('accepts a correctly signed request and records it', async () => {
    const before = emu.requests.length;
    const res = await call('GET', '/balance');
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ balance: expect.stringMatching(/^\d+\.\d{2}$/) });
    const rec = emu.requests.slice(before)[0]!;
    expect(rec).toMatchObject({ method: 'GET', path: '/balance', status: 200 });
    expect(rec.headers['x-api-key']).toBe(emu.apiKey);
  });

  it.each([
    ['a wrong key', { key: 'xpk_live_wrong' }],
    ['a wrong secret', { secret: 'xps_live_wrong' }],
    ['no key', { omit: 'key' as const }],
    ['no timestamp', { omit: 'ts' as const }],
    ['no signature', { omit: 'sig' as const }],
    ['a timestamp older than 5 minutes', { ts: Math.floor(Date.now() / 1000) - 301 }],
  ])('refuses %s with 401 and a JSON error', async (_name, opts) => {
    const res = await call('GET', '/balance', opts);
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ success: false, error: { code: expect.any(String) } });
  });

  it('a timestamp within the window is fine', async () => {
    expect((await call('GET', '/balance', { ts: Math.floor(Date.now() / 1000) - 200 })).status).toBe(200);
  });
});

describe('XthonPay emulator: invoices, webhooks, failures', () => {
  it('creates an invoice with a BSC deposit address', async () => {
    const res = await call('POST', '/invoices', { body: { amount: '50.00', external_id: 'order_12345', callback_url: 'https://yourapp.com/webhooks/pay' } });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ deposit_address: expect.stringMatching(/^0x[0-9a-f]{40}$/), invoice_id: expect.any(String), external_id: 'order_12345', amount: '50.00' });
    expect(emu.requests.at(-1)!.body).toEqual({ amount: '50.00', external_id: 'order_12345', callback_url: 'https://yourapp.com/webhooks/pay' });
  });

  it('refuses amounts that are not 2-decimal strings', async () => {
    for (const amount of [50, '50.001', '-1', 'abc']) {
      const res = await call('POST', '/invoices', { body: { amount, external_id: 'x' } });
      expect(res.status).toBe(400);
    }
  });

  it('pay() credits the balance and sendWebhook signs the exact bytes sent', async () => {
    const created = await call('POST', '/invoices', { body: { amount: '10.00', external_id: 'order_wh' } });
    const id = created.json.data!.invoice_id as string;
    const before = emu.balance.toFixed(2);
    emu.pay('order_wh'); // by external_id
    expect(emu.invoices.get(id)!.status).toBe('paid');
    expect(emu.balance.minus(before).toFixed(2)).toBe('10.00');

    const ok = await catchOne();
    expect((await emu.sendWebhook(id, ok.url)).body).toBe('OK');
    const got = await ok.got;
    ok.close();
    expect(got.headers['x-xthon-signature']).toBe(hmacHex(emu.webhookSecret, got.body));
    expect(JSON.parse(got.body.toString())).toMatchObject({ event: 'invoice.paid', data: { external_id: 'order_wh', invoice_id: id, amount: '10.00' } });
    expect(got.body.equals(emu.webhookBody(id))).toBe(true);

    for (const [opts, check] of [
      [{ forge: true }, (h: http.IncomingHttpHeaders, b: Buffer) => expect(h['x-xthon-signature']).not.toBe(hmacHex(emu.webhookSecret, b))],
      [{ tamper: true }, (h: http.IncomingHttpHeaders, b: Buffer) => expect(h['x-xthon-signature']).not.toBe(hmacHex(emu.webhookSecret, b))],
      [{ unsigned: true }, (h: http.IncomingHttpHeaders) => expect(h['x-xthon-signature']).toBeUndefined()],
    ] as const) {
      const r = await catchOne();
      await emu.sendWebhook(id, r.url, opts);
      const g = await r.got;
      r.close();
      check(g.headers, g.body);
    }
  });

  it('failNext makes the next call to a path fail once', async () => {
    emu.failNext('/invoices', { status: 500 });
    const failed = await call('POST', '/invoices', { body: { amount: '1.00', external_id: 'f' } });
    expect(failed.status).toBe(500);
    expect(failed.json).toMatchObject({ success: false, error: { code: 'INTERNAL_ERROR' } });
    expect((await call('POST', '/invoices', { body: { amount: '1.00', external_id: 'f' } })).status).toBe(200);
  });
});
