import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWalletPayEmulator, walletPaySignature, type WalletPayEmulator } from './walletpay.js';
import { walletPayVector } from '../vectors/index.js';

const V1 = '/wpay/store-api/v1';

interface Answer {
  status: number;
  contentType: string | null;
  text: string;
  json: any;
}

async function call(
  emu: WalletPayEmulator,
  method: 'GET' | 'POST',
  path: string,
  opts: { body?: unknown; rawBody?: string; key?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (opts.key !== null) headers['Wpay-Store-Api-Key'] = opts.key ?? emu.apiKey;
  let body: string | undefined;
  if (opts.rawBody !== undefined || opts.body !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    body = opts.rawBody ?? JSON.stringify(opts.body);
  }
  const res = await fetch(`${emu.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type'), text, json };
}

let seq = 0;
function orderRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  seq += 1;
  return {
    amount: { currencyCode: 'USD', amount: '12.50' },
    description: 'Switchyard test order',
    externalId: `ext-${Date.now()}-${seq}`,
    timeoutSeconds: 3600,
    customerTelegramUserId: 123456789,
    customData: 'cd-42',
    returnUrl: 'https://t.me/switchyard_bot',
    ...overrides,
  };
}

async function createOrder(emu: WalletPayEmulator, overrides: Record<string, unknown> = {}): Promise<number> {
  const res = await call(emu, 'POST', `${V1}/order`, { body: orderRequest(overrides) });
  expect(res.status).toBe(200);
  expect(res.json.status).toBe('SUCCESS');
  return res.json.data.id as number;
}

/** A webhook endpoint standing in for the connector: keeps the raw bytes, answers 200. */
interface Hit {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
}
async function startHookServer() {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks) });
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    hits,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Independent of the emulator's helper: node:crypto straight from the documentation. */
function expectedSignature(key: string, method: string, path: string, timestamp: string, raw: Buffer): string {
  return createHmac('sha256', key).update(`${method}.${path}.${timestamp}.${raw.toString('base64')}`).digest('base64');
}
function verifies(key: string, hit: Hit, path: string): boolean {
  const sig = hit.headers['walletpay-signature'];
  const ts = hit.headers['walletpay-timestamp'];
  if (typeof sig !== 'string' || typeof ts !== 'string') return false;
  const want = Buffer.from(expectedSignature(key, hit.method, path, ts, hit.raw));
  const got = Buffer.from(sig);
  return want.length === got.length && timingSafeEqual(want, got);
}

describe('Wallet Pay emulator: Store API', () => {
  let emu: WalletPayEmulator;
  beforeEach(async () => {
    emu = await startWalletPayEmulator({ apiKey: 'store-key-123' });
  });
  afterEach(async () => {
    await emu.stop();
  });

  it('listens on loopback with the configured key and the pay.wallet.tg paths', () => {
    expect(emu.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.apiKey).toBe('store-key-123');
  });

  it('rejects a missing or wrong Wpay-Store-Api-Key with 401 on every endpoint, and records the requests', async () => {
    for (const key of [null, 'wrong-key', '']) {
      const create = await call(emu, 'POST', `${V1}/order`, { body: orderRequest(), key });
      expect(create.status).toBe(401);
      expect(create.contentType).toMatch(/^application\/json/);
      expect(create.json).toEqual({ status: 'ACCESS_DENIED', message: 'Invalid API key' });
      const prev = await call(emu, 'GET', `${V1}/order/preview?id=1`, { key });
      expect(prev.status).toBe(401);
      const list = await call(emu, 'GET', `${V1}/reconciliation/order-list?offset=0&count=10`, { key });
      expect(list.status).toBe(401);
    }
    expect(emu.orders.size).toBe(0);
    expect(emu.requests).toHaveLength(9);
    expect(emu.requests[1]).toMatchObject({ method: 'GET', path: `${V1}/order/preview`, query: { id: '1' } });
    expect(emu.requests[3]!.headers['wpay-store-api-key']).toBe('wrong-key');
    expect((emu.requests[0]!.body as any).description).toBe('Switchyard test order');
  });

  it('creates an order: SUCCESS with an OrderPreview whose id is a JSON number', async () => {
    const req = orderRequest();
    const res = await call(emu, 'POST', `${V1}/order`, { body: req });
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^application\/json/);
    expect(res.json.status).toBe('SUCCESS');
    const data = res.json.data;
    expect(typeof data.id).toBe('number');
    expect(Number.isSafeInteger(data.id)).toBe(true);
    expect(data.id).toBeGreaterThan(2 ** 50);
    expect(res.text).toContain(`"id":${data.id},`);
    expect(data).toMatchObject({
      status: 'ACTIVE',
      amount: { currencyCode: 'USD', amount: '12.50' },
      payLink: `https://t.me/wallet?startattach=wpay_order_${data.id}`,
      directPayLink: `https://t.me/wallet/start?startapp=wpay_order-orderId__${data.id}`,
    });
    expect(data.number).toMatch(/^[A-Z0-9]{8}$/);
    expect(data.completedDateTime).toBeUndefined();
    const created = Date.parse(data.createdDateTime);
    expect(Date.parse(data.expirationDateTime) - created).toBe(3600 * 1000);
    expect(Math.abs(created - Date.now())).toBeLessThan(5000);

    const stored = emu.orders.get(data.id)!;
    expect(stored).toMatchObject({ externalId: req.externalId, customerTelegramUserId: 123456789, customData: 'cd-42', timeoutSeconds: 3600 });
    expect(emu.requests.at(-1)).toMatchObject({ method: 'POST', path: `${V1}/order`, body: req });
    expect(emu.requests.at(-1)!.headers['content-type']).toBe('application/json');

    const second = await createOrder(emu);
    expect(second).toBe(data.id + 1);
  });

  it('accepts the amount as a JSON number, as in the official curl example', async () => {
    const res = await call(emu, 'POST', `${V1}/order`, { body: orderRequest({ amount: { currencyCode: 'TON', amount: 30.45 } }) });
    expect(res.json.status).toBe('SUCCESS');
    expect(res.json.data.amount).toEqual({ currencyCode: 'TON', amount: '30.45' });
  });

  it('answers ALREADY with data for an identical repeat, CONFLICT without data for different params', async () => {
    const req = orderRequest();
    const first = await call(emu, 'POST', `${V1}/order`, { body: req });
    expect(first.json.status).toBe('SUCCESS');

    const again = await call(emu, 'POST', `${V1}/order`, { body: req });
    expect(again.status).toBe(200);
    expect(again.json.status).toBe('ALREADY');
    expect(again.json.data).toEqual(first.json.data);

    const conflict = await call(emu, 'POST', `${V1}/order`, { body: { ...req, amount: { currencyCode: 'USD', amount: '13.00' } } });
    expect(conflict.status).toBe(200);
    expect(conflict.json.status).toBe('CONFLICT');
    expect(conflict.json.data).toBeUndefined();
    expect(emu.orders.size).toBe(1);
  });

  const invalid: Array<[string, Record<string, unknown>]> = [
    ['description shorter than 5', { description: 'abcd' }],
    ['description longer than 100', { description: 'x'.repeat(101) }],
    ['USD amount with 3 decimals', { amount: { currencyCode: 'USD', amount: '1.001' } }],
    ['TON amount with 10 decimals', { amount: { currencyCode: 'TON', amount: '1.0000000001' } }],
    ['USDT amount with 7 decimals', { amount: { currencyCode: 'USDT', amount: '1.0000001' } }],
    ['TON below the 0.001 minimum', { amount: { currencyCode: 'TON', amount: '0.0009' } }],
    ['BTC below the 0.000001 minimum', { amount: { currencyCode: 'BTC', amount: '0.00000099' } }],
    ['RUB below the 0.1 minimum', { amount: { currencyCode: 'RUB', amount: '0.09' } }],
    ['USD below the 0.01 minimum (as a number)', { amount: { currencyCode: 'USD', amount: 0.001 } }],
    ['unknown currency', { amount: { currencyCode: 'DOGE', amount: '10' } }],
    ['non-numeric amount', { amount: { currencyCode: 'USD', amount: 'ten' } }],
    ['missing customerTelegramUserId', { customerTelegramUserId: undefined }],
    ['fractional customerTelegramUserId', { customerTelegramUserId: 1.5 }],
    ['timeoutSeconds 29', { timeoutSeconds: 29 }],
    ['timeoutSeconds 864001', { timeoutSeconds: 864_001 }],
    ['missing timeoutSeconds', { timeoutSeconds: undefined }],
    ['missing externalId', { externalId: undefined }],
    ['externalId longer than 255', { externalId: 'e'.repeat(256) }],
    ['customData longer than 255', { customData: 'c'.repeat(256) }],
    ['returnUrl longer than 255', { returnUrl: `https://x.test/${'r'.repeat(250)}` }],
    ['autoConversionCurrency differing from a crypto order currency', { amount: { currencyCode: 'TON', amount: '1' }, autoConversionCurrency: 'USDT' }],
  ];
  it.each(invalid)('rejects %s with 400 INVALID_REQUEST', async (_name, overrides) => {
    const res = await call(emu, 'POST', `${V1}/order`, { body: orderRequest(overrides) });
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(/^application\/json/);
    expect(res.json.status).toBe('INVALID_REQUEST');
    expect(typeof res.json.message).toBe('string');
    expect(res.json.message.length).toBeGreaterThan(0);
    expect(res.json.data).toBeUndefined();
    expect(emu.orders.size).toBe(0);
  });

  it('accepts the boundaries: 5 and 100 char descriptions, timeouts 30 and 864000, minimum amounts, full precision', async () => {
    await createOrder(emu, { description: 'abcde', timeoutSeconds: 30 });
    await createOrder(emu, { description: 'x'.repeat(100), timeoutSeconds: 864_000 });
    await createOrder(emu, { amount: { currencyCode: 'TON', amount: '0.001' } });
    await createOrder(emu, { amount: { currencyCode: 'BTC', amount: '0.00000123' } });
    await createOrder(emu, { amount: { currencyCode: 'USDT', amount: '0.010001' } });
    await createOrder(emu, { amount: { currencyCode: 'RUB', amount: '0.10' } });
    await createOrder(emu, { amount: { currencyCode: 'NOT', amount: '100.123456789' }, autoConversionCurrency: 'NOT' });
    await createOrder(emu, { amount: { currencyCode: 'EUR', amount: '5' }, autoConversionCurrency: 'TON', customData: null, returnUrl: null });
    expect(emu.orders.size).toBe(8);
  });

  it('rejects malformed JSON and a body without Content-Type application/json', async () => {
    const bad = await call(emu, 'POST', `${V1}/order`, { rawBody: '{"amount":' });
    expect(bad.status).toBe(400);
    expect(bad.json.status).toBe('INVALID_REQUEST');
    const noType = await call(emu, 'POST', `${V1}/order`, { rawBody: JSON.stringify(orderRequest()), headers: { 'Content-Type': 'text/plain' } });
    expect(noType.status).toBe(400);
    expect(noType.json.status).toBe('INVALID_REQUEST');
    expect(emu.orders.size).toBe(0);
  });

  it('previews an order; unknown ids are 404, malformed ids 400', async () => {
    const id = await createOrder(emu);
    const res = await call(emu, 'GET', `${V1}/order/preview?id=${id}`);
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^application\/json/);
    expect(res.json.status).toBe('SUCCESS');
    expect(res.json.data).toMatchObject({ id, status: 'ACTIVE', amount: { currencyCode: 'USD', amount: '12.50' } });

    const unknown = await call(emu, 'GET', `${V1}/order/preview?id=${id + 1000}`);
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ status: 'INVALID_REQUEST', message: 'Order not found' });

    const malformed = await call(emu, 'GET', `${V1}/order/preview?id=abc`);
    expect(malformed.status).toBe(400);
    expect(malformed.json.status).toBe('INVALID_REQUEST');
  });

  it('reads an order past its expirationDateTime as EXPIRED', async () => {
    const id = await createOrder(emu, { timeoutSeconds: 30 });
    emu.orders.get(id)!.expirationDateTime = new Date(Date.now() - 1000).toISOString();
    const res = await call(emu, 'GET', `${V1}/order/preview?id=${id}`);
    expect(res.json.data.status).toBe('EXPIRED');
    expect(emu.orders.get(id)!.status).toBe('EXPIRED');
    expect(() => emu.pay(id)).toThrow(/EXPIRED/);
  });

  it('expire() makes the order EXPIRED; it can no longer be paid', async () => {
    const id = await createOrder(emu);
    const order = emu.expire(id);
    expect(order.status).toBe('EXPIRED');
    const res = await call(emu, 'GET', `${V1}/order/preview?id=${id}`);
    expect(res.json.data.status).toBe('EXPIRED');
    expect(res.json.data.completedDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(() => emu.pay(id)).toThrow();
  });

  it('pay() makes the order PAID with completedDateTime and a consistent selectedPaymentOption', async () => {
    const id = await createOrder(emu, { amount: { currencyCode: 'TON', amount: '1.5' } });
    const order = emu.pay(id);
    expect(order.status).toBe('PAID');
    expect(order.selectedPaymentOption).toEqual({
      amount: { amount: '1.500000000', currencyCode: 'TON' },
      amountFee: { amount: '0.015000000', currencyCode: 'TON' },
      amountNet: { amount: '1.485000000', currencyCode: 'TON' },
      exchangeRate: '1',
    });
    const res = await call(emu, 'GET', `${V1}/order/preview?id=${id}`);
    expect(res.json.data.status).toBe('PAID');
    expect(res.json.data.completedDateTime).toBe(order.completedDateTime);
    expect(() => emu.expire(id)).toThrow();

    const usd = await createOrder(emu, { amount: { currencyCode: 'USD', amount: '10.00' } });
    const paid = emu.pay(usd, { paidCurrency: 'USDT', paidAmount: '10.000000', fee: '0.100000' });
    expect(paid.selectedPaymentOption).toEqual({
      amount: { amount: '10.000000', currencyCode: 'USDT' },
      amountFee: { amount: '0.100000', currencyCode: 'USDT' },
      amountNet: { amount: '9.900000', currencyCode: 'USDT' },
      exchangeRate: '1',
    });
    const converted = emu.pay(await createOrder(emu, { amount: { currencyCode: 'EUR', amount: '10' } }));
    expect(converted.selectedPaymentOption!.amount.currencyCode).toBe('USDT');
    expect(converted.selectedPaymentOption!.amount.amount).toMatch(/^\d+\.\d{6}$/);
  });

  it('lists orders for reconciliation in creation order with offset and count', async () => {
    const ids = [await createOrder(emu), await createOrder(emu), await createOrder(emu)];
    emu.pay(ids[1]!);
    const all = await call(emu, 'GET', `${V1}/reconciliation/order-list?offset=0&count=100`);
    expect(all.status).toBe(200);
    expect(all.contentType).toMatch(/^application\/json/);
    expect(all.json.status).toBe('SUCCESS');
    expect(all.json.data.items.map((i: any) => i.id)).toEqual(ids);
    const paid = all.json.data.items[1];
    expect(paid).toMatchObject({ status: 'PAID', externalId: emu.orders.get(ids[1]!)!.externalId, customerTelegramUserId: 123456789 });
    expect(paid.paymentDateTime).toBe(emu.orders.get(ids[1]!)!.completedDateTime);
    expect(paid.selectedPaymentOption.amountNet.currencyCode).toBe('USDT');
    expect(all.json.data.items[0].paymentDateTime).toBeUndefined();

    const page = await call(emu, 'GET', `${V1}/reconciliation/order-list?offset=1&count=1`);
    expect(page.json.data.items.map((i: any) => i.id)).toEqual([ids[1]]);
    const beyond = await call(emu, 'GET', `${V1}/reconciliation/order-list?offset=5&count=10`);
    expect(beyond.json.data).toEqual({ items: [] });
    const missing = await call(emu, 'GET', `${V1}/reconciliation/order-list?offset=0`);
    expect(missing.status).toBe(400);
    const tooMany = await call(emu, 'GET', `${V1}/reconciliation/order-list?offset=0&count=10001`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.status).toBe('INVALID_REQUEST');

    const amount = await call(emu, 'GET', `${V1}/reconciliation/order-amount`);
    expect(amount.json).toEqual({ status: 'SUCCESS', message: '', data: { totalAmount: 3 } });
  });

  it('failNext: injected 500, 429 raw body, 200 CONFLICT, repeated failures, then normal service', async () => {
    emu.failNext('order', { httpStatus: 500 });
    const e500 = await call(emu, 'POST', `${V1}/order`, { body: orderRequest() });
    expect(e500.status).toBe(500);
    expect(e500.json).toEqual({ status: 'INTERNAL_ERROR', message: '' });
    expect(emu.orders.size).toBe(0);

    emu.failNext('order', { httpStatus: 429, raw: '<html>Too Many Requests</html>' });
    const e429 = await call(emu, 'POST', `${V1}/order`, { body: orderRequest() });
    expect(e429.status).toBe(429);
    expect(e429.text).toBe('<html>Too Many Requests</html>');
    expect(e429.json).toBeUndefined();

    emu.failNext('order', { httpStatus: 200, status: 'CONFLICT', message: 'conflict' });
    const conflict = await call(emu, 'POST', `${V1}/order`, { body: orderRequest() });
    expect(conflict.status).toBe(200);
    expect(conflict.json).toEqual({ status: 'CONFLICT', message: 'conflict' });

    const ok = await call(emu, 'POST', `${V1}/order`, { body: orderRequest() });
    expect(ok.json.status).toBe('SUCCESS');

    emu.failNext('preview', { httpStatus: 500, status: 'INTERNAL_ERROR', message: 'boom', times: 2 });
    const path = `${V1}/order/preview?id=${ok.json.data.id}`;
    expect((await call(emu, 'GET', path)).json).toEqual({ status: 'INTERNAL_ERROR', message: 'boom' });
    expect((await call(emu, 'GET', path)).status).toBe(500);
    expect((await call(emu, 'GET', path)).json.status).toBe('SUCCESS');

    emu.failNext('order-list', { httpStatus: 429 });
    const list = await call(emu, 'GET', `${V1}/reconciliation/order-list?offset=0&count=1`);
    expect(list.status).toBe(429);
    expect((await call(emu, 'GET', `${V1}/reconciliation/order-list?offset=0&count=1`)).status).toBe(200);
  });

  it('checks the key before injecting failures', async () => {
    emu.failNext('order', { httpStatus: 500 });
    expect((await call(emu, 'POST', `${V1}/order`, { body: orderRequest(), key: 'nope' })).status).toBe(401);
    expect((await call(emu, 'POST', `${V1}/order`, { body: orderRequest() })).status).toBe(500);
  });
});

describe('Wallet Pay emulator: webhooks', () => {
  let emu: WalletPayEmulator;
  let hook: Awaited<ReturnType<typeof startHookServer>>;
  beforeAll(async () => {
    hook = await startHookServer();
  });
  afterAll(async () => {
    await hook.close();
  });
  beforeEach(async () => {
    emu = await startWalletPayEmulator({ apiKey: 'hook-key-XYZ' });
    hook.hits.length = 0;
  });
  afterEach(async () => {
    await emu.stop();
  });

  it('POSTs a compact JSON array of one ORDER_PAID message, signed over the exact bytes on the wire', async () => {
    const id = await createOrder(emu, { amount: { currencyCode: 'TON', amount: '0.1' }, externalId: 'JDF23NN', customData: 'in exercitation' });
    emu.pay(id, { paidCurrency: 'USDT', paidAmount: '0.132653' });
    const answer = await emu.sendWebhook(id, hook.url('/hooks/walletpay/acc_1'));
    expect(answer).toEqual({ status: 200, body: 'OK' });
    expect(hook.hits).toHaveLength(1);
    const hit = hook.hits[0]!;
    expect(hit.method).toBe('POST');
    expect(hit.url).toBe('/hooks/walletpay/acc_1');
    expect(hit.headers['content-type']).toBe('application/json');
    expect(hit.headers['walletpay-timestamp']).toMatch(/^\d+$/);
    expect(hit.raw.equals(emu.webhookBody(id))).toBe(true);
    expect(hit.raw.toString('utf8')).toBe(JSON.stringify(JSON.parse(hit.raw.toString('utf8'))));

    expect(verifies('hook-key-XYZ', hit, '/hooks/walletpay/acc_1')).toBe(true);
    expect(verifies('other-key', hit, '/hooks/walletpay/acc_1')).toBe(false);
    expect(hit.headers['walletpay-signature']).toBe(
      walletPaySignature('hook-key-XYZ', 'POST', '/hooks/walletpay/acc_1', hit.headers['walletpay-timestamp'] as string, hit.raw),
    );

    const messages = JSON.parse(hit.raw.toString('utf8'));
    expect(Array.isArray(messages)).toBe(true);
    expect(messages).toHaveLength(1);
    const [m] = messages;
    expect(Object.keys(m)).toEqual(['eventDateTime', 'eventId', 'type', 'payload']);
    expect(typeof m.eventId).toBe('number');
    expect(m.type).toBe('ORDER_PAID');
    expect(m.eventDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(m.payload).toEqual({
      id,
      number: emu.orders.get(id)!.number,
      customData: 'in exercitation',
      externalId: 'JDF23NN',
      orderAmount: { amount: '0.1', currencyCode: 'TON' },
      selectedPaymentOption: {
        amount: { amount: '0.132653', currencyCode: 'USDT' },
        amountFee: { amount: '0.001327', currencyCode: 'USDT' },
        amountNet: { amount: '0.131326', currencyCode: 'USDT' },
        exchangeRate: m.payload.selectedPaymentOption.exchangeRate,
      },
      orderCompletedDateTime: emu.orders.get(id)!.completedDateTime,
    });
    expect(m.payload.status).toBeUndefined();
  });

  it('signs the path given as signPath (behind a reverse proxy), not the path received', async () => {
    const id = await createOrder(emu);
    emu.pay(id);
    await emu.sendWebhook(id, hook.url('/hooks/x'), { signPath: '/proxy/prefix/hooks/x' });
    const hit = hook.hits[0]!;
    expect(hit.url).toBe('/hooks/x');
    expect(verifies('hook-key-XYZ', hit, '/proxy/prefix/hooks/x')).toBe(true);
    expect(verifies('hook-key-XYZ', hit, '/hooks/x')).toBe(false);
  });

  it('signs the pathname only, without the query string', async () => {
    const id = await createOrder(emu);
    emu.pay(id);
    await emu.sendWebhook(id, hook.url('/hooks/q?account=7'));
    const hit = hook.hits[0]!;
    expect(hit.url).toBe('/hooks/q?account=7');
    expect(verifies('hook-key-XYZ', hit, '/hooks/q')).toBe(true);
  });

  it('forged, tampered and unsigned deliveries do not verify', async () => {
    const id = await createOrder(emu);
    emu.pay(id);
    const url = hook.url('/hooks/neg');
    await emu.sendWebhook(id, url, { forge: true });
    await emu.sendWebhook(id, url, { tamper: true });
    await emu.sendWebhook(id, url, { unsigned: true });
    const [forged, tampered, unsigned] = hook.hits;
    expect(verifies('hook-key-XYZ', forged!, '/hooks/neg')).toBe(false);
    expect(forged!.raw.equals(emu.webhookBody(id))).toBe(true);

    expect(verifies('hook-key-XYZ', tampered!, '/hooks/neg')).toBe(false);
    const original = emu.webhookBody(id);
    expect(tampered!.raw.length).toBe(original.length);
    expect([...tampered!.raw].filter((b, i) => b !== original[i])).toHaveLength(1);
    // The signature in the header is the one over the original bytes.
    expect(tampered!.headers['walletpay-signature']).toBe(
      expectedSignature('hook-key-XYZ', 'POST', '/hooks/neg', tampered!.headers['walletpay-timestamp'] as string, original),
    );

    expect(unsigned!.headers['walletpay-signature']).toBeUndefined();
    expect(unsigned!.headers['walletpay-timestamp']).toBeDefined();
    expect(verifies('hook-key-XYZ', unsigned!, '/hooks/neg')).toBe(false);
  });

  it('uses a timestamp override in the header and in the signature', async () => {
    const id = await createOrder(emu);
    emu.pay(id);
    await emu.sendWebhook(id, hook.url('/hooks/ts'), { timestamp: '168824905680291' });
    const hit = hook.hits[0]!;
    expect(hit.headers['walletpay-timestamp']).toBe('168824905680291');
    expect(verifies('hook-key-XYZ', hit, '/hooks/ts')).toBe(true);
  });

  it('sends a caller-supplied body as is, signed', async () => {
    const id = await createOrder(emu);
    const body = Buffer.from('[{"custom":true}]');
    await emu.sendWebhook(id, hook.url('/hooks/body'), { body });
    const hit = hook.hits[0]!;
    expect(hit.raw.equals(body)).toBe(true);
    expect(verifies('hook-key-XYZ', hit, '/hooks/body')).toBe(true);
  });

  it('ORDER_FAILED with payload.status EXPIRED for an expired order; eventId unique per (order, type), stable on redelivery', async () => {
    const a = await createOrder(emu, { customData: null });
    const b = await createOrder(emu);
    emu.expire(a);
    emu.pay(b);
    await emu.sendWebhook(a, hook.url('/hooks/f'));
    const failed = JSON.parse(hook.hits[0]!.raw.toString('utf8'))[0];
    expect(failed.type).toBe('ORDER_FAILED');
    expect(failed.payload.status).toBe('EXPIRED');
    expect(failed.payload.selectedPaymentOption).toBeUndefined();
    expect(failed.payload.customData).toBeUndefined();
    expect(failed.payload.externalId).toBe(emu.orders.get(a)!.externalId);
    expect(failed.payload.orderCompletedDateTime).toBe(emu.orders.get(a)!.completedDateTime);
    expect(verifies('hook-key-XYZ', hook.hits[0]!, '/hooks/f')).toBe(true);

    const eventOf = (id: number, type?: 'ORDER_PAID' | 'ORDER_FAILED') =>
      JSON.parse(emu.webhookBody(id, type ? { type } : {}).toString('utf8'))[0].eventId as number;
    expect(eventOf(a)).toBe(failed.eventId);
    expect(emu.webhookBody(a).equals(hook.hits[0]!.raw)).toBe(true);
    const ids = [eventOf(a), eventOf(b), eventOf(b, 'ORDER_FAILED'), eventOf(a, 'ORDER_PAID')];
    expect(new Set(ids).size).toBe(4);
    expect(JSON.parse(emu.webhookBody(b, { eventId: 77 }).toString('utf8'))[0].eventId).toBe(77);
    const active = await createOrder(emu);
    expect(() => emu.webhookBody(active)).toThrow(/ACTIVE/);
  });

  it('reports the endpoint answer, e.g. a non-200 from the receiver', async () => {
    const failing = http.createServer((_req, res) => res.writeHead(503).end('down'));
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    try {
      const id = await createOrder(emu);
      emu.pay(id);
      const { port } = failing.address() as AddressInfo;
      expect(await emu.sendWebhook(id, `http://127.0.0.1:${port}/hook`)).toEqual({ status: 503, body: 'down' });
    } finally {
      failing.closeAllConnections();
      await new Promise<void>((resolve) => failing.close(() => resolve()));
    }
  });
});

describe('Wallet Pay signature: official docs vector', () => {
  const body = walletPayVector.body;
  const key = 'your_secret_api_key_sYIpNypce5sls6Ik';
  const expected = 'MGfJzeEprADZbihhRcGcCY5pYTI/IEJ91ejyA+XOWAs=';

  it('walletPaySignature reproduces the documented signature over the exact 554 bytes', () => {
    expect(body.length).toBe(554);
    expect(walletPaySignature(key, 'POST', '/webhook/', '168824905680291', body)).toBe(expected);
    expect(expectedSignature(key, 'POST', '/webhook/', '168824905680291', body)).toBe(expected);
  });

  it('does not match after a one-byte change, another path, timestamp or key', () => {
    const changed = Buffer.from(body);
    changed[100] = changed[100]! ^ 0x01;
    expect(walletPaySignature(key, 'POST', '/webhook/', '168824905680291', changed)).not.toBe(expected);
    expect(walletPaySignature(key, 'POST', '/webhook', '168824905680291', body)).not.toBe(expected);
    expect(walletPaySignature(key, 'POST', '/webhook/', '168824905680292', body)).not.toBe(expected);
    expect(walletPaySignature(`${key}x`, 'POST', '/webhook/', '168824905680291', body)).not.toBe(expected);
    expect(walletPaySignature(key, 'POST', '/webhook/', '168824905680291', Buffer.concat([body, Buffer.from('\n')]))).not.toBe(expected);
  });
});
