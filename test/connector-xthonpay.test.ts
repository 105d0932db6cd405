import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness } from './helpers/harness.js';
import { startConnectorSuite, type ConnectorSuite } from './helpers/connector-suite.js';
import type { Receiver } from './helpers/receiver.js';
import { startXthonPayEmulator, xthonPaySignature, type XthonPayEmulator } from './emulators/xthonpay.js';
import { createReconciler } from '../src/invoices/reconcile.js';
import { xthonPayWebhookSignature } from '../src/connectors/xthonpay/index.js';

let h: Harness;
let emu: XthonPayEmulator;
let receiver: Receiver;
let appUrl: string;
let suite: ConnectorSuite<XthonPayEmulator>;

beforeAll(async () => {
  suite = await startConnectorSuite(startXthonPayEmulator);
  ({ h, emu, receiver, appUrl } = suite);
});
afterAll(() => suite?.close());

const credentials = () => ({ api_key: emu.apiKey, api_secret: emu.apiSecret, webhook_secret: emu.webhookSecret });

/** A tenant with an XthonPay account pointed at the emulator and a webhook endpoint of its own. */
async function connect() {
  const shop = await h.createTenant(`Xthon shop ${randomBytes(3).toString('hex')}`);
  const account = await h.client.post('/v1/gateway-accounts', {
    auth: shop.testKey,
    body: { connector: 'xthonpay', name: 'USDT', credentials: credentials(), config: { base_url: emu.baseUrl } },
  });
  expect(account.status).toBe(201);
  const path = `/tenant/${randomBytes(4).toString('hex')}`;
  await h.client.post('/v1/webhook-endpoints', { auth: shop.testKey, body: { url: receiver.url(path), events: ['invoice.paid'] } });
  return { shop, account: account.body as { id: string; webhook_url: string }, path };
}

const createInvoice = (key: string, body: Record<string, unknown>) => h.client.post('/v1/invoices', { auth: key, body: { gateway: 'xthonpay', ...body } });
const hookUrl = (accountId: string) => `${appUrl}/hooks/xthonpay/${accountId}`;
const statusOf = async (key: string, id: string) => (await h.client.get(`/v1/invoices/${id}`, { auth: key })).body;
const paidEvents = async (invoiceId: string) => h.core.db('events').where({ invoice_id: invoiceId, type: 'invoice.paid' });

describe('XthonPay: connecting an account', () => {
  it('checks the key pair with a signed GET /balance, never returns the secrets, and gives the webhook URL', async () => {
    const before = emu.requests.length;
    const { shop, account } = await connect();
    const check = emu.requests.slice(before).find((r) => r.path === '/balance')!;
    expect(check.status).toBe(200);
    expect(account.webhook_url).toBe(`http://switchyard.test/hooks/xthonpay/${account.id}`);
    const got = await h.client.get(`/v1/gateway-accounts/${account.id}`, { auth: shop.testKey });
    for (const secret of [emu.apiSecret, emu.webhookSecret, emu.apiKey]) expect(JSON.stringify(got.body)).not.toContain(secret);
  });

  it('a key pair the upstream refuses is 422 upstream_credentials_invalid', async () => {
    const shop = await h.createTenant('Wrong xthon key');
    const res = await h.client.post('/v1/gateway-accounts', {
      auth: shop.testKey,
      body: { connector: 'xthonpay', credentials: { ...credentials(), api_secret: 'xps_live_wrong' }, config: { base_url: emu.baseUrl } },
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'upstream_credentials_invalid', upstream_code: 'INVALID_SIGNATURE' });
  });

  it('refuses missing and unknown credential fields', async () => {
    const shop = await h.createTenant('Malformed xthon');
    const res = await h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'xthonpay', credentials: { api_key: 'k', extra: 'x' } } });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['/body/credentials/api_secret', '/body/credentials/webhook_secret', '/body/credentials/extra']),
    );
  });

  it('shows the USDT balance from GET /balance', async () => {
    const { shop, account } = await connect();
    const res = await h.client.get(`/v1/gateway-accounts/${account.id}/balance`, { auth: shop.testKey });
    expect(res.status).toBe(200);
    expect(res.body.balances).toEqual([expect.objectContaining({ currency: 'USDT', available: emu.balance.toFixed(2) })]);
  });
});

describe('XthonPay: invoices end to end', () => {
  it('creates the invoice with a signed request, shows the deposit address, and a webhook pays it exactly once', async () => {
    const { shop, account, path } = await connect();
    const created = await createInvoice(shop.testKey, { amount: '50', currency: 'USDT', description: 'Premium' });
    expect(created.status).toBe(201);
    const inv = created.body;

    const call = emu.requests.filter((r) => r.path === '/invoices').at(-1)!;
    expect(call.method).toBe('POST');
    const ts = call.headers['x-timestamp'] as string;
    expect(ts).toMatch(/^\d{10}$/);
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
    expect(call.headers['x-api-key']).toBe(emu.apiKey);
    expect(call.headers['x-signature']).toBe(xthonPaySignature(emu.apiSecret, ts));
    expect(call.body).toEqual({ amount: '50.00', external_id: inv.id, callback_url: account.webhook_url });

    const upstream = [...emu.invoices.values()].find((i) => i.external_id === inv.id)!;
    // XthonPay's own id, the one its support finds; webhooks still find the invoice by external_id.
    expect(inv.gateway.upstream_id).toBe(upstream.invoice_id);
    expect(inv.pay_url).toBeNull();
    expect(inv.payment).toEqual({ address: upstream.deposit_address, network: 'BSC (BEP-20)', asset: 'USDT', amount: '50.00' });

    emu.pay(upstream.invoice_id);
    const answer = await emu.sendWebhook(upstream.invoice_id, hookUrl(account.id));
    expect(answer).toEqual({ status: 200, body: 'OK' });
    await eventually(async () => expect((await statusOf(shop.testKey, inv.id)).status).toBe('paid'));
    expect((await statusOf(shop.testKey, inv.id)).paid).toMatchObject({ amount: '50.00', currency: 'USDT' });
    await eventually(async () => expect(receiver.on(path)).toHaveLength(1));

    // The same webhook again: acknowledged, but no second invoice.paid.
    expect((await emu.sendWebhook(upstream.invoice_id, hookUrl(account.id))).status).toBe(200);
    await eventually(async () => {
      const rows = await h.core.db('upstream_webhooks').where({ gateway_account_id: account.id }).whereNull('processed_at');
      expect(rows).toHaveLength(0);
    });
    expect(await paidEvents(inv.id)).toHaveLength(1);
    expect(receiver.on(path)).toHaveLength(1);
  });

  it.each([
    ['forged', { forge: true }],
    ['unsigned', { unsigned: true }],
    ['tampered', { tamper: true }],
  ])('a %s webhook is 401, stored as unverified, and changes nothing', async (_name, opts) => {
    const { shop, account } = await connect();
    const inv = (await createInvoice(shop.testKey, { amount: '1', currency: 'USDT' })).body;
    emu.pay(inv.id);
    const answer = await emu.sendWebhook(inv.id, hookUrl(account.id), opts);
    expect(answer.status).toBe(401);
    const stored = await h.client.get(`/admin/v1/upstream-webhooks?gateway_account_id=${account.id}&verified=false`, { auth: h.operatorToken });
    expect(stored.body.data).toHaveLength(1);
    expect(stored.body.data[0]).toMatchObject({ verified: false, connector: 'xthonpay', processed_at: null });
    expect(['missing_signature', 'bad_signature']).toContain(stored.body.data[0].verification_error);
    expect((await statusOf(shop.testKey, inv.id)).status).toBe('pending');
    expect(await paidEvents(inv.id)).toHaveLength(0);
  });

  it('without a status query, reconciliation never asks (only the webhook pays it) and sync is 422 sync_not_supported', async () => {
    const { shop } = await connect();
    const inv = (await createInvoice(shop.testKey, { amount: '3', currency: 'USDT' })).body;
    emu.pay(inv.id);
    const reconcile = createReconciler({ ...h.core, publicBaseUrl: h.config.publicBaseUrl, intervalSeconds: 1 });
    const calls = emu.requests.length;
    await reconcile();
    expect(emu.requests.length).toBe(calls);
    expect((await statusOf(shop.testKey, inv.id)).status).toBe('pending');
    const sync = await h.client.post(`/v1/invoices/${inv.id}/sync`, { auth: shop.testKey });
    expect(sync.status).toBe(422);
    expect(sync.body.code).toBe('sync_not_supported');
    expect(emu.requests.length).toBe(calls);
  });

  it('an account that names a status query (config.status_path) can sync, and reconciliation pays a webhook-less invoice', async () => {
    const shop = await h.createTenant('Xthon with status query');
    const bad = await h.client.post('/v1/gateway-accounts', {
      auth: shop.testKey,
      body: { connector: 'xthonpay', credentials: credentials(), config: { base_url: emu.baseUrl, status_path: '/invoices/latest' } },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('/body/config/status_path');
    const account = await h.client.post('/v1/gateway-accounts', {
      auth: shop.testKey,
      body: { connector: 'xthonpay', credentials: credentials(), config: { base_url: emu.baseUrl, status_path: '/invoices/{external_id}' } },
    });
    expect(account.status).toBe(201);
    const first = (await createInvoice(shop.testKey, { amount: '4', currency: 'USDT' })).body;
    await h.core.db('invoices').where({ id: first.id }).update({ next_reconcile_at: new Date(Date.now() + 3600_000) });
    const pending = await h.client.post(`/v1/invoices/${first.id}/sync`, { auth: shop.testKey });
    expect(pending.body.status).toBe('pending');
    const query = emu.requests.at(-1)!;
    expect(query).toMatchObject({ method: 'GET', path: `/invoices/${first.id}`, status: 200 });
    expect(query.headers['x-signature']).toBe(xthonPaySignature(emu.apiSecret, query.headers['x-timestamp'] as string));
    emu.pay(first.id);
    const paid = await h.client.post(`/v1/invoices/${first.id}/sync`, { auth: shop.testKey });
    expect(paid.body).toMatchObject({ status: 'paid', paid: { amount: '4.00', currency: 'USDT' } });

    const second = (await createInvoice(shop.testKey, { amount: '6', currency: 'USDT' })).body;
    emu.pay(second.id);
    await eventually(async () => expect((await statusOf(shop.testKey, second.id)).status).toBe('paid'), { timeoutMs: 15_000 });
  });

  it('refuses currencies other than USDT and amounts with more than 2 decimals without creating anything upstream', async () => {
    const { shop } = await connect();
    const before = emu.requests.filter((r) => r.path === '/invoices').length;
    const ton = await createInvoice(shop.testKey, { amount: '1', currency: 'TON' });
    expect(ton.status).toBeGreaterThanOrEqual(400);
    const fine = await createInvoice(shop.testKey, { amount: '1.005', currency: 'USDT' });
    expect(fine.status).toBeGreaterThanOrEqual(400);
    expect(emu.requests.filter((r) => r.path === '/invoices').length).toBe(before);
  });

  it('upstream 500 on create: a clear 502 problem and no half-created invoice', async () => {
    const { shop } = await connect();
    const before = await h.core.db('invoices').where({ tenant_id: shop.id }).count('* as n');
    emu.failNext('/invoices', { status: 500 });
    const res = await createInvoice(shop.testKey, { amount: '1', currency: 'USDT' });
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('upstream_error');
    expect(res.body.attempts[0]).toMatchObject({ connector: 'xthonpay', outcome: 'failed', code: 'INTERNAL_ERROR' });
    expect(await h.core.db('invoices').where({ tenant_id: shop.id }).count('* as n')).toEqual(before);
  });
});

describe('XthonPay: signature verifier', () => {
  it('matches the guide (hex HMAC-SHA256 of the raw body) and rejects a one-byte change', () => {
    const body = Buffer.from('{"event":"invoice.paid","data":{"external_id":"order_12345"}}');
    const sig = xthonPayWebhookSignature('your_webhook_secret', body);
    expect(sig).toBe(xthonPaySignature('your_webhook_secret', body));
    expect(sig).toMatch(/^[0-9a-f]{64}$/);
    const changed = Buffer.from(body);
    changed[5] = changed[5]! ^ 1;
    expect(xthonPayWebhookSignature('your_webhook_secret', changed)).not.toBe(sig);
  });
});
