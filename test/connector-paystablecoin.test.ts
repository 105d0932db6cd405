import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness } from './helpers/harness.js';
import { connectorConformance } from './helpers/connector-conformance.js';
import { startPayStablecoinEmulator, type PayStablecoinEmulator } from './emulators/paystablecoin.js';

const payStablecoin = connectorConformance({
  connector: 'paystablecoin',
  name: 'PayStablecoin',
  emulator: startPayStablecoinEmulator,
  // API Checkout has no sandbox: accounts are live.
  mode: 'live',
  invoice: { amount: '5', currency: 'USDT' },
  // Listing the payment methods is the cheapest signed call.
  credentialCheck: (r) => r.method === 'GET' && r.path.endsWith('/checkout/payment-methods'),
  statusQuery: {},
});

let h: Harness;
let emu: PayStablecoinEmulator;
beforeAll(() => void ({ h, emu } = payStablecoin));

describe('PayStablecoin: orders', () => {
  it('creates an order with a deposit address and the crypto amount to show', async () => {
    const { key } = await payStablecoin.connect();
    const inv = await payStablecoin.createInvoice(key, { amount: '25', currency: 'USDT' });
    const order = emu.orders.get(payStablecoin.upstreamOf(inv).upstreamId)!;
    expect(inv.payment).toMatchObject({ address: order.depositAddress, amount: order.cryptoPaymentAmount.value, network: expect.any(String), asset: 'USDT' });
  });

  it('a stablecoin without a payment method is a 422 listing the valid pairs, and nothing is created', async () => {
    const { key, account } = await payStablecoin.connect();
    const orders = emu.orders.size;
    const res = await h.client.post('/v1/invoices', { auth: key, body: { gateway: 'paystablecoin', amount: '5', currency: 'USD1' } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('no_gateway_available');
    expect(res.body.rejected).toEqual([{ account_id: account.id, reason: expect.stringMatching(/no network for USD1; valid currency\/network pairs: .*USDT\/\w+.*USDC\/\w+/) }]);
    expect(emu.orders.size).toBe(orders);
    expect((await h.client.get('/v1/invoices', { auth: key })).body.data).toEqual([]);
  });
});

describe('PayStablecoin: webhooks', () => {
  it('a webhook is answered {"code":"00000"}, the acknowledgement PayStablecoin expects', async () => {
    const { key, account } = await payStablecoin.connect();
    const inv = await payStablecoin.createInvoice(key);
    await payStablecoin.holdReconciliation(inv.id);
    const upstream = payStablecoin.upstreamOf(inv);
    await emu.payInFull(upstream.upstreamId);
    const answer = await emu.sendInvoiceWebhook(upstream.upstreamId, payStablecoin.webhookTarget(account));
    expect(answer).toMatchObject({ status: 200, body: '{"code":"00000"}' });
    await eventually(async () => expect((await payStablecoin.invoiceOf(key, inv.id)).status).toBe('paid'));
  });

  it('a webhook timestamped in the future is refused like a stale one', async () => {
    const { key, account } = await payStablecoin.connect();
    const inv = await payStablecoin.createInvoice(key, { amount: '5', currency: 'USDC' });
    await payStablecoin.holdReconciliation(inv.id);
    const upstream = payStablecoin.upstreamOf(inv);
    await emu.payInFull(upstream.upstreamId);
    const answer = await emu.sendWebhook(upstream.upstreamId, payStablecoin.webhookTarget(account).url, { timestamp: Date.now() + 6 * 60_000 });
    expect(answer.status).toBe(401);
    expect((await payStablecoin.invoiceOf(key, inv.id)).status).toBe('pending');
  });
});
