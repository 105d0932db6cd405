import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamHttp } from '../../src/connectors/kit/http.js';
import { createPayStablecoinConnector, payStablecoinRequestSignature, payStablecoinWebhookSignature } from '../../src/connectors/paystablecoin/index.js';
import { UpstreamError, type AccountContext, type Connector, type CreateInvoiceInput, type InboundWebhookRequest } from '../../src/connectors/types.js';
import { startPayStablecoinEmulator, type PayStablecoinEmulator } from '../emulators/paystablecoin.js';

let emu: PayStablecoinEmulator;
let connector: Connector;
let account: AccountContext;
let receiver: http.Server;
let receiverUrl: string;

beforeAll(async () => {
  emu = await startPayStablecoinEmulator();
  connector = createPayStablecoinConnector({ http: createUpstreamHttp(new (await import('undici')).Agent()) });
  account = {
    accountId: 'acct_psc_1',
    livemode: true,
    credentials: { merchant_id: emu.merchantId, api_secret: emu.apiSecret },
    config: { base_url: emu.baseUrl },
    webhookUrl: 'https://switchyard.example/hooks/paystablecoin/acct_psc_1',
  };
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{"code":"00000"}'));
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await emu?.stop();
  await new Promise<void>((r) => receiver?.close(() => r()));
});

let seq = 0;
function input(over: Partial<CreateInvoiceInput> = {}): CreateInvoiceInput {
  return {
    invoiceId: `inv_psc_${++seq}_${Date.now()}`,
    amount: '25.00',
    currency: 'USDT',
    acceptedAssets: [],
    description: null,
    expiresAt: new Date(Date.now() + 3600_000),
    expiresInSeconds: 3600,
    customer: null,
    returnUrl: null,
    failReturnUrl: null,
    ...over,
  };
}

async function expectUpstreamError(p: Promise<unknown>): Promise<UpstreamError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(UpstreamError);
    return err as UpstreamError;
  }
  throw new Error('expected an UpstreamError');
}

describe('PayStablecoin connector: createInvoice / getInvoice', () => {
  it('creates an order with a correctly signed request and maps the payment fields', async () => {
    const before = emu.requests.length;
    const inv = input({ currency: 'USDC' });
    const out = await connector.createInvoice(account, inv);
    const seen = emu.requests.slice(before);
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /api/v1/merchants/${emu.merchantId}/checkout/payment-methods`,
      `POST /api/v1/merchants/${emu.merchantId}/checkout/orders`,
    ]);
    expect(seen.every((r) => r.authentic)).toBe(true);
    const post = seen[1]!;
    // Independent recomputation over the bytes the emulator received.
    const ts = post.headers['x-timestamp'] as string;
    expect(ts).toMatch(/^\d{13}$/);
    const bodyHash = createHash('sha256').update(post.body).digest('base64');
    expect(post.headers['x-signature']).toBe(createHmac('sha256', emu.apiSecret).update(`${ts}\nPOST\n${post.path}\n${bodyHash}`).digest('base64'));
    expect(post.headers['x-api-key']).toBeUndefined();
    const sent = JSON.parse(post.body.toString()) as Record<string, unknown>;
    // USDC's first method by displayOrder is solana.
    expect(sent).toEqual({
      merchantOrderId: inv.invoiceId,
      orderAmount: { value: '25.00', currency: 'USDC' },
      paymentMethodType: 'ON_CHAIN_TRANSFER',
      network: 'solana',
      expiresAt: inv.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      callbackUrl: account.webhookUrl,
    });
    const order = emu.orders.get(inv.invoiceId)!;
    expect(out).toMatchObject({
      upstreamId: inv.invoiceId,
      status: 'pending',
      payUrl: null,
      payment: { address: order.depositAddress, amount: order.cryptoPaymentAmount.value, network: 'Solana (SPL)', asset: 'USDC' },
      paid: null,
    });
  });

  it('caches payment methods per account for 60 s', async () => {
    await connector.createInvoice(account, input());
    const before = emu.requests.length;
    await connector.createInvoice(account, input());
    expect(emu.requests.slice(before).filter((r) => r.path.endsWith('/payment-methods'))).toHaveLength(0);
    const other = { ...account, accountId: 'acct_psc_2' };
    await connector.createInvoice(other, input());
    expect(emu.requests.slice(before).filter((r) => r.path.endsWith('/payment-methods'))).toHaveLength(1);
  });

  it('maps SUCCEEDED → paid, FAILED → failed, CLOSED → expired, others → pending', async () => {
    const ids = await Promise.all([1, 2, 3, 4].map(async () => (await connector.createInvoice(account, input())).upstreamId));
    emu.pay(ids[0]!);
    emu.fail(ids[1]!);
    emu.close(ids[2]!);
    const got = await Promise.all(ids.map((id) => connector.getInvoice(account, id)));
    expect(got.map((g) => g.status)).toEqual(['paid', 'failed', 'expired', 'pending']);
    expect(got[0]!.paid).toMatchObject({ amount: emu.orders.get(ids[0]!)!.cryptoPaymentAmount.value, currency: 'USDT', fee: null });
    const get = emu.requests.at(-1)!;
    expect(get.method).toBe('GET');
    expect(get.headers['x-signature']).toBe(createHmac('sha256', emu.apiSecret).update(`${get.headers['x-timestamp'] as string}\nGET\n${get.path}`).digest('base64'));
  });

  it('a currency without a method makes the account unsuitable (nothing created), listing the valid pairs', async () => {
    const e = await expectUpstreamError(connector.createInvoice(account, input({ currency: 'USD1' })));
    expect(e).toMatchObject({ kind: 'unsuitable', retryable: false, upstreamCode: 'NETWORK_NOT_AVAILABLE' });
    expect(e.message).toContain('USDT/tron');
    expect(e.message).toContain('USDC/solana');
    const eur = await expectUpstreamError(connector.createInvoice(account, input({ currency: 'EUR' })));
    expect(eur).toMatchObject({ kind: 'unsuitable', retryable: false });
  });

  it('classifies upstream failures: 5xx/429/408 retryable, 401/403 fatal integration, other 4xx and 2xx error codes decline', async () => {
    const fresh = { ...account, accountId: `acct_err_${Date.now()}` };
    emu.failNext('/payment-methods', { status: 503 });
    expect(await expectUpstreamError(connector.createInvoice(fresh, input()))).toMatchObject({ kind: 'integration', retryable: true, upstreamCode: 'SYSTEM_ERROR' });
    emu.failNext('/orders', { status: 429, raw: 'Too Many Requests' });
    expect(await expectUpstreamError(connector.createInvoice(fresh, input()))).toMatchObject({ kind: 'integration', retryable: true, upstreamCode: 'HTTP_429' });
    emu.failNext('/orders', { status: 408, raw: 'Request Timeout' });
    expect(await expectUpstreamError(connector.createInvoice(fresh, input()))).toMatchObject({ kind: 'integration', retryable: true, upstreamCode: 'HTTP_408' });
    const bad = { ...account, accountId: 'acct_bad', credentials: { ...account.credentials, api_secret: 'wrong' } };
    expect(await expectUpstreamError(connector.getInvoice(bad, 'x'))).toMatchObject({ kind: 'integration', retryable: false, upstreamCode: 'SIGNATURE_INVALID' });
    const stranger = { ...account, accountId: 'acct_stranger', credentials: { ...account.credentials, merchant_id: 'MCH_SOMEONE_ELSE' } };
    expect(await expectUpstreamError(connector.getInvoice(stranger, 'x'))).toMatchObject({ kind: 'integration', retryable: false, upstreamCode: 'MERCHANT_MISMATCH' });
    expect(await expectUpstreamError(connector.getInvoice(account, 'no_such_order'))).toMatchObject({ kind: 'decline', retryable: false, upstreamCode: 'ORDER_NOT_FOUND' });
    emu.failNext('/orders', { status: 422, code: 'AMOUNT_OUT_OF_RANGE' });
    expect(await expectUpstreamError(connector.createInvoice(fresh, input()))).toMatchObject({ kind: 'decline', retryable: false, upstreamCode: 'AMOUNT_OUT_OF_RANGE' });
    // An error code inside a 200 is the upstream saying no.
    emu.failNext('/orders', { status: 200, code: 'RISK_REJECTED' });
    expect(await expectUpstreamError(connector.createInvoice(fresh, input()))).toMatchObject({ kind: 'decline', retryable: false, upstreamCode: 'RISK_REJECTED' });
  });

  it('an unreadable answer is a retryable failure that names what is wrong', async () => {
    const fresh = { ...account, accountId: `acct_shape_${Date.now()}` };
    emu.failNext('/orders', { status: 200, raw: '{"code":"00000","message":"success","data":null}' });
    expect(await expectUpstreamError(connector.createInvoice(fresh, input()))).toMatchObject({ kind: 'integration', retryable: true, upstreamCode: 'bad_response' });
    emu.failNext('/orders', { status: 200, raw: '{"code":"00000","data":{"merchantOrderId":"a","cryptoPaymentAmount":{"value":"lots"}}}' });
    const e = await expectUpstreamError(connector.createInvoice(fresh, input()));
    expect(e).toMatchObject({ kind: 'integration', retryable: true, upstreamCode: 'bad_response' });
    expect(e.message).toContain('/cryptoPaymentAmount/value');
    emu.failNext('/payment-methods', { status: 200, raw: '{"code":"00000","data":[{"network":"tron"}]}' });
    expect((await expectUpstreamError(connector.createInvoice({ ...fresh, accountId: `${fresh.accountId}_m` }, input()))).message).toContain('/0/cryptoCurrency');
  });

  it('validates credentials and config, naming what does not belong', () => {
    expect(connector.validateCredentials({ merchant_id: 'MCH_20240101_ABC123', api_secret: 's' })).toEqual([]);
    expect(connector.validateCredentials({ api_key: 'k' }).map((e) => e.field).sort()).toEqual(['/credentials/api_key', '/credentials/api_secret', '/credentials/merchant_id']);
    expect(connector.validateCredentials({ merchant_id: 'MCH 1', api_secret: '' })).toEqual([
      { field: '/credentials/merchant_id', message: 'must be the PayStablecoin Merchant ID (letters, digits, _ and -)' },
      { field: '/credentials/api_secret', message: 'must be the API Secret from the merchant portal' },
    ]);
    expect(connector.validateConfig({ base_url: 'https://psc.example' })).toEqual([]);
    expect(connector.validateConfig({ environment: 'testnet' }).map((e) => e.field)).toEqual(['/config/environment']);
  });

  it('signs requests with the exported helper exactly as the guide describes', () => {
    const h = (d: string) => createHmac('sha256', 'sec').update(d).digest('base64');
    expect(payStablecoinRequestSignature('sec', '1700000000000', 'GET', '/p')).toBe(h('1700000000000\nGET\n/p'));
    const bodyHash = createHash('sha256').update('{"a":1}').digest('base64');
    expect(payStablecoinRequestSignature('sec', '1700000000000', 'POST', '/p', '{"a":1}')).toBe(h(`1700000000000\nPOST\n/p\n${bodyHash}`));
    expect(payStablecoinWebhookSignature('sec', '1700000000000', Buffer.from('{"a":1}'))).toBe(h('1700000000000\n{"a":1}'));
  });
});

describe('PayStablecoin connector: webhooks', () => {
  let orderId: string;
  beforeAll(async () => {
    orderId = (await connector.createInvoice(account, input())).upstreamId;
    emu.pay(orderId);
  });

  async function delivery(opts: Parameters<PayStablecoinEmulator['sendWebhook']>[2] = {}, receivedAt = new Date()): Promise<InboundWebhookRequest> {
    const { sent } = await emu.sendWebhook(orderId, receiverUrl, opts);
    return { method: 'POST', publicPath: '/hooks/paystablecoin/acct_psc_1', headers: sent.headers, rawBody: sent.body, sourceAddress: '127.0.0.1', receivedAt };
  }

  it('accepts a genuine delivery (headers in any case)', async () => {
    const req = await delivery();
    expect(connector.verifyWebhook(account, req)).toEqual({ ok: true });
    const upper = { ...req, headers: { 'X-Timestamp': req.headers['x-timestamp'], 'X-Signature': req.headers['x-signature'] } };
    expect(connector.verifyWebhook(account, upper)).toEqual({ ok: true });
  });

  it('rejects forged, tampered and unsigned deliveries', async () => {
    expect(connector.verifyWebhook(account, await delivery({ forge: true }))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(connector.verifyWebhook(account, await delivery({ tamper: true }))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(connector.verifyWebhook(account, await delivery({ unsigned: true }))).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it('refuses a timestamp that is not milliseconds, even correctly signed', async () => {
    const req = await delivery();
    const timestamp = '2024-01-01T00:00:00Z';
    const headers = { 'x-timestamp': timestamp, 'x-signature': payStablecoinWebhookSignature(emu.apiSecret, timestamp, req.rawBody) };
    expect(connector.verifyWebhook(account, { ...req, headers })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('rejects deliveries signed 6 minutes in the past or the future, accepts 4 minutes', async () => {
    const now = Date.now();
    expect(connector.verifyWebhook(account, await delivery({ timestamp: now - 6 * 60_000 }, new Date(now)))).toEqual({ ok: false, reason: 'stale' });
    expect(connector.verifyWebhook(account, await delivery({ timestamp: now + 6 * 60_000 }, new Date(now)))).toEqual({ ok: false, reason: 'stale' });
    expect(connector.verifyWebhook(account, await delivery({ timestamp: now - 4 * 60_000 }, new Date(now)))).toEqual({ ok: true });
  });

  it('parses the body into one event keyed by order id + status', () => {
    const events = connector.parseWebhook(emu.webhookBody(orderId));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ dedupeKey: `${orderId}:SUCCEEDED`, upstreamId: orderId, status: 'paid' });
    expect(events[0]!.paid).toMatchObject({ currency: 'USDT', amount: emu.orders.get(orderId)!.cryptoPaymentAmount.value });
    expect(connector.parseWebhook(Buffer.from('{"merchantOrderId":"a","status":"WAITING"}'))[0]).toMatchObject({ dedupeKey: 'a:WAITING', status: 'pending' });
  });

  it('also reads an order inside {data}, and amounts sent as JSON numbers', () => {
    const body = { data: { merchantOrderId: 'b', status: 'SUCCEEDED', cryptoPaymentAmount: { value: 25.0042, currency: 'USDC' }, paidAt: '2026-01-02T03:04:05Z' } };
    expect(connector.parseWebhook(Buffer.from(JSON.stringify(body)))).toEqual([
      expect.objectContaining({ dedupeKey: 'b:SUCCEEDED', upstreamId: 'b', status: 'paid', paid: { amount: '25.0042', currency: 'USDC', paidAt: new Date('2026-01-02T03:04:05Z'), fee: null } }),
    ]);
  });

  it('refuses a body without an order, naming the missing field', () => {
    expect(() => connector.parseWebhook(Buffer.from('{"hello":1}'))).toThrow(/\/merchantOrderId/);
    expect(() => connector.parseWebhook(Buffer.from('{"merchantOrderId":"a"}'))).toThrow(/\/status/);
    expect(() => connector.parseWebhook(Buffer.from('not json'))).toThrow(/not JSON/);
  });

  it('acknowledges with exactly 200 {"code":"00000"} as JSON', () => {
    expect(connector.acknowledgement()).toEqual({ status: 200, contentType: 'application/json', body: '{"code":"00000"}' });
  });
});
