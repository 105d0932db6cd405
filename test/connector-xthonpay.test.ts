import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness } from './helpers/harness.js';
import { connectorConformance } from './helpers/connector-conformance.js';
import { createShop } from './helpers/factories.js';
import { startXthonPayEmulator, xthonPaySignature, type XthonPayEmulator } from './emulators/xthonpay.js';
import { createReconciler } from '../src/invoices/reconcile.js';
import { xthonPayWebhookSignature } from '../src/connectors/xthonpay/index.js';

const xthonPay = connectorConformance({
  connector: 'xthonpay',
  name: 'XthonPay',
  emulator: startXthonPayEmulator,
  invoice: { amount: '3', currency: 'USDT' },
  credentialCheck: (r) => r.method === 'GET' && r.path === '/balance',
  // Its guide documents no status query: only an account that names one (config.status_path) can ask.
  statusQuery: { config: { status_path: '/invoices/{external_id}' } },
});

let h: Harness;
let emu: XthonPayEmulator;
beforeAll(() => void ({ h, emu } = xthonPay));

/** Every request carries the key, a unix-seconds timestamp and an HMAC of that timestamp (not of the body or path). */
function expectSigned(request: { headers: Record<string, string | string[] | undefined> }) {
  const ts = request.headers['x-timestamp'] as string;
  expect(ts).toMatch(/^\d{10}$/);
  expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
  expect(request.headers['x-api-key']).toBe(emu.apiKey);
  expect(request.headers['x-signature']).toBe(xthonPaySignature(emu.apiSecret, ts));
}

describe('XthonPay: connecting an account', () => {
  it('checks the key pair with a signed GET /balance', async () => {
    const before = emu.requests.length;
    await xthonPay.connect();
    const check = emu.requests.slice(before).find((r) => r.path === '/balance')!;
    expect(check.status).toBe(200);
    expectSigned(check);
  });

  it('a refused key pair is reported with XthonPay’s code (INVALID_SIGNATURE)', async () => {
    const shop = await createShop(h, 'Wrong xthon key');
    const res = await h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'xthonpay', credentials: emu.refusedCredentials, config: { base_url: emu.baseUrl } } });
    expect(res.body).toMatchObject({ code: 'upstream_credentials_invalid', upstream_code: 'INVALID_SIGNATURE' });
  });

  it('shows the USDT balance from GET /balance', async () => {
    const { key, account } = await xthonPay.connect();
    const res = await h.client.get(`/v1/gateway-accounts/${account.id}/balance`, { auth: key });
    expect(res.status).toBe(200);
    expect(res.body.balances).toEqual([expect.objectContaining({ currency: 'USDT', available: emu.balance.toFixed(2) })]);
  });
});

describe('XthonPay: invoices', () => {
  it('creates the invoice with a signed POST /invoices (amount with 2 decimals, our id as external_id, the webhook URL) and shows the deposit address', async () => {
    const { key, account } = await xthonPay.connect();
    const inv = await xthonPay.createInvoice(key, { amount: '50', currency: 'USDT', description: 'Premium' });
    const call = emu.requests.filter((r) => r.path === '/invoices').at(-1)!;
    expect(call.method).toBe('POST');
    expectSigned(call);
    expect(call.body).toEqual({ amount: '50.00', external_id: inv.id, callback_url: account.webhook_url });
    const upstream = emu.invoices.get(xthonPay.upstreamOf(inv).upstreamId)!;
    // No page of its own: the buyer is sent to the hosted checkout, which shows the address.
    expect(inv.pay_url).toBe(inv.checkout_url);
    expect(inv.payment).toEqual({ address: upstream.deposit_address, network: 'BSC (BEP-20)', asset: 'USDT', amount: '50.00' });
  });

  it('acknowledges a webhook with a plain OK; the paid amount has 2 decimals', async () => {
    const { key, account } = await xthonPay.connect();
    const inv = await xthonPay.createInvoice(key, { amount: '50', currency: 'USDT' });
    const upstream = xthonPay.upstreamOf(inv);
    await emu.payInFull(upstream.upstreamId);
    expect(await emu.sendInvoiceWebhook(upstream.upstreamId, xthonPay.webhookTarget(account))).toEqual({ status: 200, body: 'OK' });
    await eventually(async () => expect((await xthonPay.invoiceOf(key, inv.id)).paid).toMatchObject({ amount: '50.00', currency: 'USDT' }));
  });

  it('refuses currencies other than USDT and amounts with more than 2 decimals without creating anything upstream', async () => {
    const { key } = await xthonPay.connect();
    const before = emu.requests.filter((r) => r.path === '/invoices').length;
    const ton = await h.client.post('/v1/invoices', { auth: key, body: { gateway: 'xthonpay', amount: '1', currency: 'TON' } });
    expect(ton.status).toBeGreaterThanOrEqual(400);
    const fine = await h.client.post('/v1/invoices', { auth: key, body: { gateway: 'xthonpay', amount: '1.005', currency: 'USDT' } });
    expect(fine.status).toBeGreaterThanOrEqual(400);
    expect(emu.requests.filter((r) => r.path === '/invoices').length).toBe(before);
  });

  it('upstream 500 on create: a clear 502 problem and no half-created invoice', async () => {
    const { key } = await xthonPay.connect();
    emu.failNext('/invoices', { status: 500 });
    const res = await h.client.post('/v1/invoices', { auth: key, body: { gateway: 'xthonpay', amount: '1', currency: 'USDT' } });
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('upstream_error');
    expect(res.body.attempts[0]).toMatchObject({ connector: 'xthonpay', outcome: 'failed', code: 'INTERNAL_ERROR' });
    expect((await h.client.get('/v1/invoices', { auth: key })).body.data).toEqual([]);
  });
});

describe('XthonPay: status queries', () => {
  it('without a status query, reconciliation never asks (only the webhook pays it) and sync is 422 sync_not_supported', async () => {
    const { key } = await xthonPay.connect();
    const inv = await xthonPay.createInvoice(key);
    await emu.payInFull(xthonPay.upstreamOf(inv).upstreamId);
    const reconcile = createReconciler({ ...h.core, publicBaseUrl: h.config.publicBaseUrl, intervalSeconds: 1 });
    const calls = emu.requests.length;
    await reconcile();
    expect(emu.requests.length).toBe(calls);
    expect((await xthonPay.invoiceOf(key, inv.id)).status).toBe('pending');
    const sync = await h.client.post(`/v1/invoices/${inv.id}/sync`, { auth: key });
    expect(sync.status).toBe(422);
    expect(sync.body.code).toBe('sync_not_supported');
    expect(emu.requests.length).toBe(calls);
  });

  it('config.status_path must be a path with {external_id}; the query is a signed GET with our invoice id in it', async () => {
    const shop = await createShop(h, 'Xthon with status query');
    const bad = await h.client.post('/v1/gateway-accounts', {
      auth: shop.testKey,
      body: { connector: 'xthonpay', credentials: emu.account.credentials, config: { base_url: emu.baseUrl, status_path: '/invoices/latest' } },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('/body/config/status_path');
    const { key } = await xthonPay.connect({ config: { status_path: '/invoices/{external_id}' } });
    const inv = await xthonPay.createInvoice(key, { amount: '4', currency: 'USDT' });
    await xthonPay.holdReconciliation(inv.id);
    const pending = await h.client.post(`/v1/invoices/${inv.id}/sync`, { auth: key });
    expect(pending.body.status).toBe('pending');
    const query = emu.requests.at(-1)!;
    expect(query).toMatchObject({ method: 'GET', path: `/invoices/${inv.id}`, status: 200 });
    expectSigned(query);
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

describe('XthonPay: gateway.upstream_id is XthonPay’s own invoice id', () => {
  it('a paid webhook carrying only external_id settles the invoice; upstream_id stays XthonPay’s id', async () => {
    const { key, account } = await xthonPay.connect();
    const inv = await xthonPay.createInvoice(key, { amount: '7', currency: 'USDT' });
    const xthonId = [...emu.invoices.values()].find((i) => i.external_id === inv.id)!.invoice_id;
    expect(inv.gateway.upstream_id).toBe(xthonId);
    expect(xthonId).not.toBe(inv.id);

    emu.pay(xthonId);
    const body = Buffer.from(JSON.stringify({ event: 'invoice.paid', data: { external_id: inv.id, amount: '7.00' } }));
    expect(await emu.sendWebhook(xthonId, xthonPay.webhookTarget(account).url, { body })).toEqual({ status: 200, body: 'OK' });
    await eventually(async () => expect((await xthonPay.invoiceOf(key, inv.id)).status).toBe('paid'));
    expect(await xthonPay.invoiceOf(key, inv.id)).toMatchObject({ paid: { amount: '7.00', currency: 'USDT' }, gateway: { upstream_id: xthonId } });
    const [row] = await h.core.db('upstream_webhooks').where({ gateway_account_id: account.id });
    expect(row).toMatchObject({ verified: true, process_error: null });
  });

  it('an invoice stored with our id as upstream_id (before the change) is still paid by its webhook and synced by {external_id}', async () => {
    const { key, account } = await xthonPay.connect({ config: { status_path: '/invoices/{external_id}' } });
    const inv = await xthonPay.createInvoice(key, { amount: '3', currency: 'USDT' });
    await h.core.db('invoices').where({ id: inv.id }).update({ upstream_id: inv.id, next_reconcile_at: new Date(Date.now() + 3600_000) });
    const synced = await h.client.post(`/v1/invoices/${inv.id}/sync`, { auth: key });
    expect(synced.body).toMatchObject({ status: 'pending', gateway: { upstream_id: inv.id } });

    emu.pay(inv.id);
    expect((await emu.sendWebhook(inv.id, xthonPay.webhookTarget(account).url)).status).toBe(200);
    await eventually(async () => expect((await xthonPay.invoiceOf(key, inv.id)).status).toBe('paid'));
  });
});
