import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createHmac } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXRocketEmulator, xRocketSignature, type XRocketEmulator } from './xrocket.js';
import { xRocketVector } from '../vectors/index.js';
import { eventually } from '../helpers/harness.js';

/** Independent of the emulator: the documented signing written out with node:crypto. */
function independentSignature(token: string, body: Buffer): string {
  const secret = createHash('sha256').update(Buffer.from(token, 'utf8')).digest();
  return createHmac('sha256', secret).update(body).digest('hex');
}

interface Answer {
  status: number;
  contentType: string | null;
  text: string;
  json: { success?: boolean; data?: Record<string, unknown>; message?: string; errors?: Array<{ property: string; error: string }> };
}

let emu: XRocketEmulator;
beforeAll(async () => {
  emu = await startXRocketEmulator();
});
afterAll(() => emu?.stop());

async function call(method: string, path: string, opts: { body?: string; key?: string | null; headerName?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (opts.key !== null) headers[opts.headerName ?? 'Rocket-Pay-Key'] = opts.key ?? emu.apiKey;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${emu.baseUrl}${path}`, { method, headers, ...(opts.body !== undefined ? { body: opts.body } : {}) });
  const text = await res.text();
  let json: Answer['json'] = {};
  try {
    json = JSON.parse(text) as Answer['json'];
  } catch {
    // not JSON
  }
  return { status: res.status, contentType: res.headers.get('content-type'), text, json };
}

/** Creates an invoice from a body written by hand (so number literals are exactly what the test says). */
async function create(body: string): Promise<{ id: number; text: string }> {
  const r = await call('POST', '/tg-invoices', { body });
  expect(r.status, r.text).toBe(201);
  return { id: r.json.data!.id as number, text: r.text };
}

async function startRawReceiver() {
  const got: Array<{ headers: http.IncomingHttpHeaders; body: Buffer }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/xrocket`,
    got,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('xRocket emulator: auth and envelope', () => {
  it('GET /version needs no key; everything else answers 401 without the exact Rocket-Pay-Key', async () => {
    const before = emu.requests.length;
    const invoicesBefore = emu.invoices.size;
    expect((await call('GET', '/version', { key: null })).json).toEqual({ version: '1.3.1' });
    const missing = await call('GET', '/app/info', { key: null });
    expect(missing.status).toBe(401);
    expect(missing.text).toBe('{"success":false,"message":"Unauthorized"}');
    const wrong = await call('POST', '/tg-invoices', { key: `${emu.apiKey}x`, body: '{"amount":1,"numPayments":1,"currency":"USDT"}' });
    expect(wrong.status).toBe(401);
    expect((await call('GET', '/app/info', { headerName: 'Authorization' })).status).toBe(401);
    expect(emu.requests.slice(before).map((r) => [r.route, r.authentic, r.status])).toEqual([
      ['version', false, 200],
      ['appInfo', false, 401],
      ['createInvoice', false, 401],
      ['appInfo', false, 401],
    ]);
    expect(emu.requests[before + 2]!.bodyText).toBe('{"amount":1,"numPayments":1,"currency":"USDT"}');
    expect(emu.invoices.size).toBe(invoicesBefore);
  });

  it('takes the header name in any case', async () => {
    for (const name of ['rocket-pay-key', 'ROCKET-PAY-KEY']) expect((await call('GET', '/app/info', { headerName: name })).status).toBe(200);
  });

  it('GET /app/info: name, fee and balances as JSON numbers, written exactly', async () => {
    emu.balances.set('USDT', '12345678901234567.123456789');
    const r = await call('GET', '/app/info');
    expect(r.status).toBe(200);
    expect(r.contentType).toMatch(/^application\/json/);
    expect(r.text).toContain('"feePercents":1.5');
    expect(r.text).toContain('{"currency":"USDT","balance":12345678901234567.123456789}');
    expect(r.json).toMatchObject({ success: true, data: { name: expect.any(String), balances: expect.arrayContaining([{ currency: 'TONCOIN', balance: 0 }]) } });
    emu.balances.set('USDT', '12.5');
  });

  it('unknown routes are 404 envelopes', async () => {
    const r = await call('GET', '/nothing');
    expect(r.status).toBe(404);
    expect(r.json.success).toBe(false);
  });
});

describe('xRocket emulator: invoices', () => {
  it('POST /tg-invoices answers 201 with the InvoiceDto; the amount literal comes back digit for digit', async () => {
    const { id, text } = await create('{"amount":123456.123456789,"numPayments":1,"currency":"TONCOIN","description":"Premium","payload":"inv_1","callbackUrl":"https://shop.example/thanks","expiredIn":900}');
    expect(text).toMatch(/^\{"success":true,"data":\{"id":\d+,"amount":123456\.123456789,"minPayment":null,"totalActivations":1,"activationsLeft":1,/);
    expect(text).toContain('"currency":"TONCOIN"');
    expect(text).toContain('"expiredIn":900');
    const inv = emu.invoices.get(id)!;
    expect(inv).toMatchObject({ amount: '123456.123456789', currency: 'TONCOIN', description: 'Premium', payload: 'inv_1', callbackUrl: 'https://shop.example/thanks', status: 'active', expiredIn: 900 });
    expect(inv.link).toMatch(/^https:\/\/t\.me\/xrocket\?start=inv_[A-Za-z0-9]{15}$/);
    expect(inv.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(emu.requests.at(-1)!.bodyText).toContain('"amount":123456.123456789');
  });

  it('keeps 0.000000001 as written, and cuts digits past the 9th decimal like the upstream', async () => {
    const tiny = await create('{"amount":0.000000001,"numPayments":1,"currency":"USDT"}');
    expect(tiny.text).toContain('"amount":0.000000001,');
    const cut = await create('{"amount":0.1234567891,"numPayments":1,"currency":"USDT"}');
    expect(cut.text).toContain('"amount":0.123456789,');
    const exp = await create('{"amount":1e-9,"numPayments":1,"currency":"USDT"}');
    expect(exp.text).toContain('"amount":0.000000001,');
  });

  it('refuses bad bodies with 400 naming the property, and creates nothing', async () => {
    const before = emu.invoices.size;
    const cases: Array<[string, string]> = [
      ['{"amount":1,"numPayments":1}', 'currency'],
      ['{"amount":1,"currency":"USDT"}', 'numPayments'],
      ['{"amount":"1","numPayments":1,"currency":"USDT"}', 'amount'],
      ['{"amount":1000000.000000001,"numPayments":1,"currency":"USDT"}', 'amount'],
      ['{"amount":-1,"numPayments":1,"currency":"USDT"}', 'amount'],
      ['{"amount":1,"numPayments":1,"currency":"DOGE"}', 'currency'],
      ['{"amount":1,"numPayments":1,"currency":"USDT","expiredIn":86401}', 'expiredIn'],
      ['{"amount":1,"numPayments":1,"currency":"USDT","expiredIn":1.5}', 'expiredIn'],
      [`{"amount":1,"numPayments":1,"currency":"USDT","description":"${'d'.repeat(1001)}"}`, 'description'],
      [`{"amount":1,"numPayments":1,"currency":"USDT","callbackUrl":"https://x.example/${'p'.repeat(490)}"}`, 'callbackUrl'],
      [`{"amount":1,"numPayments":1,"currency":"USDT","payload":"${'p'.repeat(4001)}"}`, 'payload'],
      ['{"amount":1,"numPayments":1,"currency":"USDT","commentsEnabled":"yes"}', 'commentsEnabled'],
    ];
    for (const [body, property] of cases) {
      const r = await call('POST', '/tg-invoices', { body });
      expect({ body: body.slice(0, 80), status: r.status, success: r.json.success, properties: r.json.errors?.map((e) => e.property) }).toEqual({ body: body.slice(0, 80), status: 400, success: false, properties: [property] });
    }
    expect((await call('POST', '/tg-invoices', { body: '{"amount":' })).status).toBe(400);
    expect(emu.invoices.size).toBe(before);
    // The limits themselves pass.
    await create(`{"amount":1000000,"numPayments":1,"currency":"USDT","expiredIn":86400,"description":"${'d'.repeat(1000)}","payload":"${'p'.repeat(4000)}"}`);
  });

  it('GET /tg-invoices/{id} is the FullInvoiceDto: payments with gross and net amounts once paid', async () => {
    const { id } = await create('{"amount":0.3,"numPayments":1,"currency":"USDT","payload":"inv_full"}');
    const open = await call('GET', `/tg-invoices/${id}`);
    expect(open.json.data).toMatchObject({ id, status: 'active', payments: [] });
    emu.pay(id, { userId: 1972087205 });
    const paid = await call('GET', `/tg-invoices/${id}`);
    expect(paid.text).toContain('"paymentAmount":0.3,"paymentAmountReceived":0.2955');
    expect(paid.json.data).toMatchObject({ status: 'paid', activationsLeft: 0, paid: expect.stringMatching(/\.000Z$/), payments: [{ userId: 1972087205, paymentNum: 1, paymentAmount: 0.3, paymentAmountReceived: 0.2955 }] });
    expect((await call('GET', '/tg-invoices/999999999')).status).toBe(404);
  });

  it('GET /tg-invoices lists {total, limit, offset, results}, newest first; limit must be 1…1000', async () => {
    const a = await create('{"amount":1,"numPayments":1,"currency":"BTC"}');
    const b = await create('{"amount":2,"numPayments":1,"currency":"BTC"}');
    const r = await call('GET', '/tg-invoices?limit=2&offset=0');
    expect(r.json.data).toMatchObject({ total: emu.invoices.size, limit: 2, offset: 0 });
    expect((r.json.data!.results as Array<{ id: number }>).map((i) => i.id)).toEqual([b.id, a.id]);
    expect((await call('GET', '/tg-invoices?limit=0')).status).toBe(400);
    expect((await call('GET', '/tg-invoices?limit=1001')).status).toBe(400);
  });

  it('DELETE /tg-invoices/{id} answers {success:true}; the invoice is gone; a paid one stays', async () => {
    const { id } = await create('{"amount":1,"numPayments":1,"currency":"USDT"}');
    const r = await call('DELETE', `/tg-invoices/${id}`);
    expect([r.status, r.text]).toEqual([200, '{"success":true}']);
    expect(emu.invoices.has(id)).toBe(false);
    expect((await call('DELETE', `/tg-invoices/${id}`)).status).toBe(404);
    const paid = await create('{"amount":1,"numPayments":1,"currency":"USDT"}');
    emu.pay(paid.id);
    expect((await call('DELETE', `/tg-invoices/${paid.id}`)).status).toBe(400);
  });

  it('an invoice with expiredIn runs out on its own', async () => {
    const { id } = await create('{"amount":1,"numPayments":1,"currency":"USDT","expiredIn":1}');
    await eventually(async () => expect((await call('GET', `/tg-invoices/${id}`)).json.data!.status).toBe('expired'), { timeoutMs: 5000 });
    const never = await create('{"amount":1,"numPayments":1,"currency":"USDT","expiredIn":0}');
    expect(emu.invoices.get(never.id)!.status).toBe('active');
  });

  it('pay credits the balance with the net amount', async () => {
    const { id } = await create('{"amount":10,"numPayments":1,"currency":"NOT"}');
    const before = emu.balances.get('NOT')!;
    emu.pay(id);
    expect(emu.balances.get('NOT')).toBe(new Decimal(before).plus('9.85').toFixed());
  });

  it('failNext: an error envelope with the given status, or a raw non-JSON body', async () => {
    emu.failNext('createInvoice', { status: 500 });
    const a = await call('POST', '/tg-invoices', { body: '{"amount":1,"numPayments":1,"currency":"USDT"}' });
    expect([a.status, a.text]).toEqual([500, '{"success":false,"message":"Internal server error"}']);
    emu.failNext('getInvoice', { status: 502, raw: '<html>Bad gateway</html>', times: 2 });
    expect((await call('GET', '/tg-invoices/1')).text).toBe('<html>Bad gateway</html>');
    expect((await call('GET', '/tg-invoices/1')).status).toBe(502);
    expect((await call('GET', '/tg-invoices/1')).status).toBe(404);
  });
});

describe('xRocket emulator: webhooks', () => {
  let receiver: Awaited<ReturnType<typeof startRawReceiver>>;
  let paid: number;
  beforeAll(async () => {
    receiver = await startRawReceiver();
    paid = (await create('{"amount":5.5,"numPayments":1,"currency":"TONCOIN","payload":"inv_hook"}')).id;
    emu.pay(paid);
  });
  afterAll(() => receiver?.close());

  it('reproduces the real delivery byte for byte from the same invoice state (id a string, unset text "", minPayment null)', async () => {
    const vector = xRocketVector.body;
    const { timestamp, data } = JSON.parse(vector.toString('utf8')) as { timestamp: string; data: Record<string, unknown> & { payment: Record<string, unknown> } };
    const { id } = await create('{"amount":0.3,"numPayments":1,"currency":"USDT"}');
    const inv = emu.invoices.get(id)!;
    emu.pay(id);
    const p = data.payment;
    Object.assign(inv, {
      id: Number(data.id), created: data.created, paid: data.paid, link: data.link, expiredIn: 0,
      payments: [{ userId: p.userId, paymentNum: p.paymentNum, paymentAmount: '0.3', paymentAmountReceived: '0.2955', paid: p.paid }],
    });
    emu.invoices.delete(id);
    emu.invoices.set(inv.id, inv);
    expect(emu.webhookBody(inv.id, { timestamp }).equals(vector)).toBe(true);
    emu.invoices.delete(inv.id);
  });

  it('sendWebhook POSTs compact JSON signed with rocket-pay-signature; the signature recomputed independently matches', async () => {
    const answer = await emu.sendWebhook(paid, receiver.url);
    expect(answer).toEqual({ status: 200, body: 'OK' });
    const got = receiver.got.at(-1)!;
    expect(got.body.equals(emu.webhookBody(paid))).toBe(true);
    expect(got.headers['content-type']).toMatch(/^application\/json/);
    expect(got.headers['rocket-pay-signature']).toBe(independentSignature(emu.apiKey, got.body));
    const body = JSON.parse(got.body.toString('utf8')) as { type: string; data: { id: unknown; amount: number; payment: { paymentAmount: number } } };
    expect(body).toMatchObject({ type: 'invoicePay', data: { id: String(paid), amount: 5.5, payment: { paymentAmount: 5.5 } } });
    expect(Buffer.from(JSON.stringify(body)).equals(got.body)).toBe(true);
  });

  it('ids are numbers in webhooks when asked (the spec’s type)', () => {
    emu.options.webhookIds = 'number';
    try {
      expect(emu.webhookBody(paid).toString()).toContain(`"data":{"id":${paid},`);
    } finally {
      emu.options.webhookIds = 'string';
    }
    expect(emu.webhookBody(paid).toString()).toContain(`"data":{"id":"${paid}",`);
  });

  it('forged, tampered and unsigned deliveries do not verify', async () => {
    const original = emu.webhookBody(paid);
    await emu.sendWebhook(paid, receiver.url, { forge: true });
    expect(receiver.got.at(-1)!.headers['rocket-pay-signature']).not.toBe(independentSignature(emu.apiKey, original));
    await emu.sendWebhook(paid, receiver.url, { tamper: true });
    const tampered = receiver.got.at(-1)!;
    expect([...tampered.body].filter((b, i) => b !== original[i])).toHaveLength(1);
    expect(tampered.headers['rocket-pay-signature']).toBe(independentSignature(emu.apiKey, original));
    await emu.sendWebhook(paid, receiver.url, { unsigned: true });
    expect(receiver.got.at(-1)!.headers['rocket-pay-signature']).toBeUndefined();
  });

  it('an expired invoice has no webhook unless expiryWebhooks is on; then invoicePay with status expired and no payment', async () => {
    const { id } = await create('{"amount":1,"numPayments":1,"currency":"USDT"}');
    emu.expire(id);
    expect(() => emu.webhookBody(id)).toThrow(/expiryWebhooks/);
    emu.options.expiryWebhooks = true;
    try {
      const body = JSON.parse(emu.webhookBody(id).toString()) as { type: string; data: Record<string, unknown> };
      expect(body.type).toBe('invoicePay');
      expect(body.data.status).toBe('expired');
      expect(body.data.payment).toBeUndefined();
    } finally {
      emu.options.expiryWebhooks = false;
    }
  });
});

describe('xRocket signature vector', () => {
  it('verifies with xRocketSignature and with the algorithm written out, and fails after any change', () => {
    const { body, token, signature } = xRocketVector;
    expect(body.length).toBe(529);
    expect(xRocketSignature(token, body)).toBe(signature);
    expect(independentSignature(token, body)).toBe(signature);
    for (const i of [0, 100, 300, body.length - 1]) {
      const changed = Buffer.from(body);
      changed[i] = changed[i]! ^ 0x01;
      expect(xRocketSignature(token, changed)).not.toBe(signature);
    }
    expect(xRocketSignature(token, Buffer.concat([body, Buffer.from('\n')]))).not.toBe(signature);
  });
});
