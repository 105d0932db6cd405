import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness } from './helpers/harness.js';
import { connectorConformance } from './helpers/connector-conformance.js';
import { createShop } from './helpers/factories.js';
import { startWalletPayEmulator, type WalletPayEmulator } from './emulators/walletpay.js';
import { walletPayWebhookSignature } from '../src/connectors/walletpay/index.js';
import { fitDescription } from '../src/connectors/walletpay/transformers.js';
import { walletPayVector } from './vectors/index.js';

const customer = { telegram_user_id: 424242 };

const walletPay = connectorConformance({
  connector: 'walletpay',
  name: 'Wallet Pay',
  emulator: startWalletPayEmulator,
  // Behind a reverse proxy that strips /pay-gw: Wallet Pay signs the public path, express sees the rest.
  env: { PUBLIC_BASE_URL: 'http://switchyard.test/pay-gw' },
  // Wallet Pay signs a timestamp; with a tolerance set, stale webhooks are refused too.
  config: { webhook_timestamp_tolerance_seconds: 300 },
  invoice: { amount: '2', currency: 'USDT', customer },
  // Wallet Pay offers no call to check a store API key with.
  statusQuery: {},
});

let h: Harness;
let emu: WalletPayEmulator;
beforeAll(() => void ({ h, emu } = walletPay));

const orderId = (inv: { gateway: { upstream_id: string } }) => Number(inv.gateway.upstream_id);

/** An invoice whose order the test drives; reconciliation is held away so only webhooks move it. */
async function heldInvoice(config: Record<string, unknown> = {}) {
  const connected = await walletPay.connect({ config });
  const inv = await walletPay.createInvoice(connected.key);
  await walletPay.holdReconciliation(inv.id);
  return { ...connected, inv, target: walletPay.webhookTarget(connected.account) };
}

const signPathOf = (target: { publicUrl?: string }) => new URL(target.publicUrl!).pathname;

describe('Wallet Pay: creating orders', () => {
  it('creates an order with our id as externalId, the customer, a fitted description and the timeout', async () => {
    const { key } = await walletPay.connect();
    const inv = await walletPay.createInvoice(key, { amount: '1.5', currency: 'TON', description: 'VIP', expires_in: 600, return_url: 'https://shop.example/ok' });
    const call = emu.requests.filter((r) => r.path.endsWith('/order')).at(-1)!;
    expect(call.headers['wpay-store-api-key']).toBe(emu.apiKey);
    expect(call.body).toMatchObject({
      amount: { currencyCode: 'TON', amount: '1.5' },
      externalId: inv.id,
      customerTelegramUserId: 424242,
      timeoutSeconds: 600,
      returnUrl: 'https://shop.example/ok',
    });
    expect((call.body as { description: string }).description).toBe(fitDescription('VIP', inv.id));
    expect(inv.pay_url).toBe(emu.orders.get(orderId(inv))!.payLink);
  });

  it('without customer.telegram_user_id a forced Wallet Pay invoice is 422 naming the field', async () => {
    const { key } = await walletPay.connect();
    const res = await h.client.post('/v1/invoices', { auth: key, body: { gateway: 'walletpay', amount: '1', currency: 'USDT' } });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('/body/customer/telegram_user_id');
  });

  it('below the upstream minimum no gateway can take it (checked before calling Wallet Pay)', async () => {
    const { key } = await walletPay.connect();
    const calls = emu.requests.length;
    const res = await h.client.post('/v1/invoices', { auth: key, body: { gateway: 'walletpay', customer, amount: '0.001', currency: 'USDT' } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('no_gateway_available');
    // No order was attempted (reconciliation may still be reading other invoices meanwhile).
    expect(emu.requests.slice(calls).filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('upstream 500 on create is a 502 problem and nothing is created', async () => {
    const { key } = await walletPay.connect();
    emu.failNext('order', { httpStatus: 500, status: 'INTERNAL_ERROR' });
    const res = await h.client.post('/v1/invoices', { auth: key, body: { gateway: 'walletpay', customer, amount: '2', currency: 'USDT' } });
    expect(res.status).toBe(502);
    expect((await h.client.get('/v1/invoices', { auth: key })).body.data).toEqual([]);
  });
});

describe('Wallet Pay: webhooks', () => {
  it('ORDER_FAILED with EXPIRED expires the invoice', async () => {
    const { key, inv, target } = await heldInvoice();
    emu.expire(orderId(inv));
    expect((await emu.sendWebhook(orderId(inv), target.url, { signPath: signPathOf(target) })).status).toBe(200);
    await eventually(async () => expect((await walletPay.invoiceOf(key, inv.id)).status).toBe('expired'));
  });

  it('a webhook signed over the path our process sees, not the public one the upstream called, is 401 and changes nothing', async () => {
    const { key, account, inv, target } = await heldInvoice();
    emu.pay(orderId(inv));
    expect((await emu.sendWebhook(orderId(inv), target.url, { signPath: `/hooks/walletpay/${account.id}` })).status).toBe(401);
    expect((await walletPay.invoiceOf(key, inv.id)).status).toBe('pending');
  });

  it('with an IP allow-list, webhooks from other addresses are refused', async () => {
    const { account, inv, target } = await heldInvoice({ webhook_ip_allowlist: ['172.255.248.29', '172.255.248.12'] });
    emu.pay(orderId(inv));
    expect((await emu.sendWebhook(orderId(inv), target.url, { signPath: signPathOf(target) })).status).toBe(401);
    const stored = await h.client.get(`/admin/v1/upstream-webhooks?gateway_account_id=${account.id}`, { auth: h.operatorToken });
    expect(stored.body.data[0].verification_error).toBe('source_not_allowed');
  });

  it('`webhook_ip_allowlist: true` means the two documented Wallet Pay addresses', async () => {
    const { inv, target } = await heldInvoice({ webhook_ip_allowlist: true });
    emu.pay(orderId(inv));
    expect((await emu.sendWebhook(orderId(inv), target.url, { signPath: signPathOf(target) })).status).toBe(401);
  });

  it('with a timestamp tolerance, a stale (or unreadable) timestamp is refused and a fresh one accepted', async () => {
    const { key, account, inv, target } = await heldInvoice({ webhook_timestamp_tolerance_seconds: 300 });
    emu.pay(orderId(inv));
    const signPath = signPathOf(target);
    const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
    expect((await emu.sendWebhook(orderId(inv), target.url, { signPath, timestamp: ns(Date.now() - 3600_000) })).status).toBe(401);
    expect((await emu.sendWebhook(orderId(inv), target.url, { signPath, timestamp: 'yesterday' })).status).toBe(401);
    const stored = await h.client.get(`/admin/v1/upstream-webhooks?gateway_account_id=${account.id}&verified=false`, { auth: h.operatorToken });
    // An old timestamp is stale; one that cannot be read at all is malformed.
    expect(stored.body.data.map((w: { verification_error: string }) => w.verification_error).sort()).toEqual(['malformed', 'stale']);
    expect((await walletPay.invoiceOf(key, inv.id)).status).toBe('pending');
    expect((await emu.sendWebhook(orderId(inv), target.url, { signPath, timestamp: ns(Date.now()) })).status).toBe(200);
    await eventually(async () => expect((await walletPay.invoiceOf(key, inv.id)).status).toBe('paid'));
  });

  it('without a tolerance, the timestamp is not checked (its unit is uncertain)', async () => {
    const shop = await createShop(h, 'No tolerance');
    const account = await h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'walletpay', ...emu.account } });
    expect(account.status).toBe(201);
    const inv = await walletPay.createInvoice(shop.testKey);
    await walletPay.holdReconciliation(inv.id);
    emu.pay(orderId(inv));
    const target = walletPay.webhookTarget(account.body);
    expect((await emu.sendWebhook(orderId(inv), target.url, { signPath: signPathOf(target), timestamp: 'yesterday' })).status).toBe(200);
  });

  it('the verifier accepts the official vector and rejects it after a one-byte change', () => {
    const { body, key, timestamp, path, signature } = walletPayVector;
    expect(walletPayWebhookSignature(key, 'POST', path, timestamp, body)).toBe(signature);
    const changed = Buffer.from(body);
    changed[5] = changed[5]! ^ 1;
    expect(walletPayWebhookSignature(key, 'POST', path, timestamp, changed)).not.toBe(signature);
  });
});

describe('Wallet Pay: status', () => {
  it('reconciliation reads the order preview', async () => {
    const { key } = await walletPay.connect();
    const inv = await walletPay.createInvoice(key);
    emu.pay(orderId(inv));
    await eventually(async () => expect((await walletPay.invoiceOf(key, inv.id)).status).toBe('paid'), { timeoutMs: 15_000 });
    expect(emu.requests.some((r) => r.path.endsWith('/order/preview') && r.query.id === String(orderId(inv)))).toBe(true);
  });
});
