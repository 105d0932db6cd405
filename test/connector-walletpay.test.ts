import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness } from './helpers/harness.js';
import { startConnectorSuite, type ConnectorSuite } from './helpers/connector-suite.js';
import { startWalletPayEmulator, type WalletPayEmulator } from './emulators/walletpay.js';
import { walletPayWebhookSignature } from '../src/connectors/walletpay/index.js';
import { fitDescription } from '../src/connectors/walletpay/transformers.js';
import { walletPayVector } from './vectors/index.js';

let h: Harness;
let emu: WalletPayEmulator;
let appUrl: string;
let suite: ConnectorSuite<WalletPayEmulator>;

// Behind a reverse proxy that strips /pay-gw: Wallet Pay signs the public path, express sees the rest.
beforeAll(async () => {
  suite = await startConnectorSuite(startWalletPayEmulator, { PUBLIC_BASE_URL: 'http://switchyard.test/pay-gw' });
  ({ h, emu, appUrl } = suite);
});
afterAll(() => suite?.close());

async function connect(config: Record<string, unknown> = {}) {
  const shop = await h.createTenant(`Wallet shop ${randomBytes(3).toString('hex')}`);
  const account = await h.client.post('/v1/gateway-accounts', {
    auth: shop.testKey,
    body: { connector: 'walletpay', credentials: { api_key: emu.apiKey }, config: { base_url: emu.baseUrl, ...config } },
  });
  expect(account.status).toBe(201);
  return { shop, account: account.body as { id: string; webhook_url: string } };
}

const customer = { telegram_user_id: 424242 };
const createInvoice = (key: string, body: Record<string, unknown>) =>
  h.client.post('/v1/invoices', { auth: key, body: { gateway: 'walletpay', customer, ...body } });
const orderId = (inv: { gateway: { upstream_id: string } }) => Number(inv.gateway.upstream_id);
const statusOf = async (key: string, id: string) => (await h.client.get(`/v1/invoices/${id}`, { auth: key })).body;
/** Where the proxy forwards to (our process), and the path Wallet Pay signs (the public one). */
const target = (accountId: string) => ({ url: `${appUrl}/hooks/walletpay/${accountId}`, signPath: `/pay-gw/hooks/walletpay/${accountId}` });
const holdReconciliation = (id: string) => h.core.db('invoices').where({ id }).update({ next_reconcile_at: new Date(Date.now() + 3600_000) });

describe('Wallet Pay', () => {
  it('the webhook URL carries PUBLIC_BASE_URL’s path', async () => {
    const { account } = await connect();
    expect(account.webhook_url).toBe(`http://switchyard.test/pay-gw/hooks/walletpay/${account.id}`);
  });

  it('creates an order with our id as externalId, the customer, a fitted description and the timeout', async () => {
    const { shop } = await connect();
    const res = await createInvoice(shop.testKey, { amount: '1.5', currency: 'TON', description: 'VIP', expires_in: 600, return_url: 'https://shop.example/ok' });
    expect(res.status).toBe(201);
    const call = emu.requests.filter((r) => r.path.endsWith('/order')).at(-1)!;
    expect(call.headers['wpay-store-api-key']).toBe(emu.apiKey);
    expect(call.body).toMatchObject({
      amount: { currencyCode: 'TON', amount: '1.5' },
      externalId: res.body.id,
      customerTelegramUserId: 424242,
      timeoutSeconds: 600,
      returnUrl: 'https://shop.example/ok',
    });
    expect((call.body as { description: string }).description).toBe(fitDescription('VIP', res.body.id));
    expect(res.body.pay_url).toBe(emu.orders.get(orderId(res.body))!.payLink);
  });

  it('without customer.telegram_user_id a forced Wallet Pay invoice is 422 naming the field', async () => {
    const { shop } = await connect();
    const res = await h.client.post('/v1/invoices', { auth: shop.testKey, body: { gateway: 'walletpay', amount: '1', currency: 'USDT' } });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('/body/customer/telegram_user_id');
  });

  it('below the upstream minimum no gateway can take it (checked before calling Wallet Pay)', async () => {
    const { shop } = await connect();
    const calls = emu.requests.length;
    const res = await createInvoice(shop.testKey, { amount: '0.001', currency: 'USDT' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('no_gateway_available');
    // No order was attempted (reconciliation may still be reading other invoices meanwhile).
    expect(emu.requests.slice(calls).filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('a signed ORDER_PAID webhook on the public path pays the invoice once; a repeat changes nothing', async () => {
    const { shop, account } = await connect();
    const inv = (await createInvoice(shop.testKey, { amount: '2', currency: 'USDT' })).body;
    await holdReconciliation(inv.id);
    emu.pay(orderId(inv));
    const { url, signPath } = target(account.id);
    expect((await emu.sendWebhook(orderId(inv), url, { signPath })).status).toBe(200);
    await eventually(async () => expect((await statusOf(shop.testKey, inv.id)).status).toBe('paid'));
    expect((await statusOf(shop.testKey, inv.id)).paid).toMatchObject({ currency: expect.any(String), amount: expect.any(String) });
    expect((await emu.sendWebhook(orderId(inv), url, { signPath })).status).toBe(200);
    await eventually(async () => expect(await h.core.db('upstream_webhooks').where({ gateway_account_id: account.id }).whereNull('processed_at')).toHaveLength(0));
    expect(await h.core.db('events').where({ invoice_id: inv.id, type: 'invoice.paid' })).toHaveLength(1);
  });

  it('ORDER_FAILED with EXPIRED expires the invoice', async () => {
    const { shop, account } = await connect();
    const inv = (await createInvoice(shop.testKey, { amount: '2', currency: 'USDT' })).body;
    await holdReconciliation(inv.id);
    emu.expire(orderId(inv));
    const { url, signPath } = target(account.id);
    expect((await emu.sendWebhook(orderId(inv), url, { signPath })).status).toBe(200);
    await eventually(async () => expect((await statusOf(shop.testKey, inv.id)).status).toBe('expired'));
  });

  it.each([
    ['forged', { forge: true }],
    ['unsigned', { unsigned: true }],
    ['tampered', { tamper: true }],
    ['signed over the wrong path', { wrongPath: true }],
  ])('a %s webhook is 401 and changes nothing', async (_name, opts) => {
    const { shop, account } = await connect();
    const inv = (await createInvoice(shop.testKey, { amount: '2', currency: 'USDT' })).body;
    await holdReconciliation(inv.id);
    emu.pay(orderId(inv));
    const { url, signPath } = target(account.id);
    const { wrongPath, ...variant } = opts as { wrongPath?: boolean; forge?: boolean; unsigned?: boolean; tamper?: boolean };
    // Wrong path: signed over the path express sees, not the public one the upstream called.
    const answer = await emu.sendWebhook(orderId(inv), url, { ...variant, signPath: wrongPath ? `/hooks/walletpay/${account.id}` : signPath });
    expect(answer.status).toBe(401);
    expect((await statusOf(shop.testKey, inv.id)).status).toBe('pending');
  });

  it('with an IP allow-list, webhooks from other addresses are refused', async () => {
    const { shop, account } = await connect({ webhook_ip_allowlist: ['172.255.248.29', '172.255.248.12'] });
    const inv = (await createInvoice(shop.testKey, { amount: '2', currency: 'USDT' })).body;
    await holdReconciliation(inv.id);
    emu.pay(orderId(inv));
    const { url, signPath } = target(account.id);
    expect((await emu.sendWebhook(orderId(inv), url, { signPath })).status).toBe(401);
    const stored = await h.client.get(`/admin/v1/upstream-webhooks?gateway_account_id=${account.id}`, { auth: h.operatorToken });
    expect(stored.body.data[0].verification_error).toBe('source_not_allowed');
  });

  it('`webhook_ip_allowlist: true` means the two documented Wallet Pay addresses', async () => {
    const { shop, account } = await connect({ webhook_ip_allowlist: true });
    const inv = (await createInvoice(shop.testKey, { amount: '2', currency: 'USDT' })).body;
    await holdReconciliation(inv.id);
    emu.pay(orderId(inv));
    const { url, signPath } = target(account.id);
    expect((await emu.sendWebhook(orderId(inv), url, { signPath })).status).toBe(401);
  });

  it('with a timestamp tolerance, a stale (or unreadable) timestamp is refused and a fresh one accepted', async () => {
    const { shop, account } = await connect({ webhook_timestamp_tolerance_seconds: 300 });
    const inv = (await createInvoice(shop.testKey, { amount: '2', currency: 'USDT' })).body;
    await holdReconciliation(inv.id);
    emu.pay(orderId(inv));
    const { url, signPath } = target(account.id);
    const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
    expect((await emu.sendWebhook(orderId(inv), url, { signPath, timestamp: ns(Date.now() - 3600_000) })).status).toBe(401);
    expect((await emu.sendWebhook(orderId(inv), url, { signPath, timestamp: 'yesterday' })).status).toBe(401);
    const stored = await h.client.get(`/admin/v1/upstream-webhooks?gateway_account_id=${account.id}&verified=false`, { auth: h.operatorToken });
    expect(stored.body.data.map((w: { verification_error: string }) => w.verification_error).sort()).toEqual(['malformed', 'stale']);
    expect((await statusOf(shop.testKey, inv.id)).status).toBe('pending');
    expect((await emu.sendWebhook(orderId(inv), url, { signPath, timestamp: ns(Date.now()) })).status).toBe(200);
    await eventually(async () => expect((await statusOf(shop.testKey, inv.id)).status).toBe('paid'));
  });

  it('an order paid without a webhook is settled by reconciliation (order preview)', async () => {
    const { shop } = await connect();
    const inv = (await createInvoice(shop.testKey, { amount: '2', currency: 'USDT' })).body;
    emu.pay(orderId(inv));
    await eventually(async () => expect((await statusOf(shop.testKey, inv.id)).status).toBe('paid'), { timeoutMs: 15_000 });
    expect(emu.requests.some((r) => r.path.endsWith('/order/preview') && r.query.id === String(orderId(inv)))).toBe(true);
  });

  it('upstream 500 on create is a 502 problem and nothing is created', async () => {
    const { shop } = await connect();
    emu.failNext('order', { httpStatus: 500, status: 'INTERNAL_ERROR' });
    const res = await createInvoice(shop.testKey, { amount: '2', currency: 'USDT' });
    expect(res.status).toBe(502);
    expect(await h.core.db('invoices').where({ tenant_id: shop.id })).toHaveLength(0);
  });

  it('the verifier accepts the official vector and rejects it after a one-byte change', () => {
    const { body, key, timestamp, path, signature } = walletPayVector;
    expect(walletPayWebhookSignature(key, 'POST', path, timestamp, body)).toBe(signature);
    const changed = Buffer.from(body);
    changed[5] = changed[5]! ^ 1;
    expect(walletPayWebhookSignature(key, 'POST', path, timestamp, changed)).not.toBe(signature);
  });
});
