import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness } from './helpers/harness.js';
import { startConnectorSuite, type ConnectorSuite } from './helpers/connector-suite.js';
import { startPayStablecoinEmulator, type PayStablecoinEmulator } from './emulators/paystablecoin.js';

let h: Harness;
let emu: PayStablecoinEmulator;
let appUrl: string;
let suite: ConnectorSuite<PayStablecoinEmulator>;

beforeAll(async () => {
  suite = await startConnectorSuite(startPayStablecoinEmulator);
  ({ h, emu, appUrl } = suite);
});
afterAll(() => suite?.close());

/** PayStablecoin is live-only: a live key and an account pointed at the emulator. */
async function connect() {
  const shop = await h.createTenant(`Stable shop ${randomBytes(3).toString('hex')}`);
  const account = await h.client.post('/v1/gateway-accounts', {
    auth: shop.liveKey,
    body: { connector: 'paystablecoin', credentials: { merchant_id: emu.merchantId, api_secret: emu.apiSecret }, config: { base_url: emu.baseUrl } },
  });
  expect(account.status).toBe(201);
  return { shop, account: account.body as { id: string } };
}

const createInvoice = (key: string, body: Record<string, unknown>) => h.client.post('/v1/invoices', { auth: key, body: { gateway: 'paystablecoin', ...body } });
const statusOf = async (key: string, id: string) => (await h.client.get(`/v1/invoices/${id}`, { auth: key })).body;
const hold = (id: string) => h.core.db('invoices').where({ id }).update({ next_reconcile_at: new Date(Date.now() + 3600_000) });

describe('PayStablecoin end to end', () => {
  it('creates an order with a deposit address and the crypto amount to show; a signed webhook pays it once and is answered {"code":"00000"}', async () => {
    const { shop, account } = await connect();
    const res = await createInvoice(shop.liveKey, { amount: '25', currency: 'USDT' });
    expect(res.status).toBe(201);
    const inv = res.body;
    expect(inv.payment).toMatchObject({ address: expect.any(String), amount: expect.any(String), network: expect.any(String), asset: 'USDT' });
    expect(emu.orders.get(inv.id)).toBeDefined();
    await hold(inv.id);
    emu.pay(inv.id);
    const answer = await emu.sendWebhook(inv.id, `${appUrl}/hooks/paystablecoin/${account.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('{"code":"00000"}');
    await eventually(async () => expect((await statusOf(shop.liveKey, inv.id)).status).toBe('paid'));
    expect((await emu.sendWebhook(inv.id, `${appUrl}/hooks/paystablecoin/${account.id}`)).status).toBe(200);
    await eventually(async () => expect(await h.core.db('upstream_webhooks').where({ gateway_account_id: account.id }).whereNull('processed_at')).toHaveLength(0));
    expect(await h.core.db('events').where({ invoice_id: inv.id, type: 'invoice.paid' })).toHaveLength(1);
  });

  it.each([
    ['forged', { forge: true }],
    ['unsigned', { unsigned: true }],
    ['tampered', { tamper: true }],
    ['stale', { timestamp: Date.now() - 6 * 60_000 }],
    ['from the future', { timestamp: Date.now() + 6 * 60_000 }],
  ])('a %s webhook is 401 and changes nothing', async (_name, opts) => {
    const { shop, account } = await connect();
    const inv = (await createInvoice(shop.liveKey, { amount: '5', currency: 'USDC' })).body;
    await hold(inv.id);
    emu.pay(inv.id);
    expect((await emu.sendWebhook(inv.id, `${appUrl}/hooks/paystablecoin/${account.id}`, opts)).status).toBe(401);
    expect((await statusOf(shop.liveKey, inv.id)).status).toBe('pending');
  });

  it('an order paid without a webhook is settled by reconciliation (order query)', async () => {
    const { shop } = await connect();
    const inv = (await createInvoice(shop.liveKey, { amount: '5', currency: 'USDT' })).body;
    emu.pay(inv.id);
    await eventually(async () => expect((await statusOf(shop.liveKey, inv.id)).status).toBe('paid'), { timeoutMs: 15_000 });
  });

  it('a stablecoin without a payment method is a 422 listing the valid pairs, and nothing is created', async () => {
    const { shop, account } = await connect();
    const orders = emu.orders.size;
    const res = await createInvoice(shop.liveKey, { amount: '5', currency: 'USD1' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('no_gateway_available');
    expect(res.body.rejected).toEqual([{ account_id: account.id, reason: expect.stringMatching(/no network for USD1; valid currency\/network pairs: .*USDT\/\w+.*USDC\/\w+/) }]);
    expect(emu.orders.size).toBe(orders);
    expect(await h.core.db('invoices').where({ tenant_id: shop.id })).toHaveLength(0);
  });
});
