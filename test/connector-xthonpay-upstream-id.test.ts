import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness } from './helpers/harness.js';
import { startConnectorSuite, type ConnectorSuite } from './helpers/connector-suite.js';
import { startXthonPayEmulator, type XthonPayEmulator } from './emulators/xthonpay.js';

/**
 * XthonPay's invoice shows XthonPay's own id as gateway.upstream_id, while its webhooks (which
 * name the invoice by the external_id we sent) keep finding it.
 */
let h: Harness;
let emu: XthonPayEmulator;
let appUrl: string;
let suite: ConnectorSuite<XthonPayEmulator>;

beforeAll(async () => {
  suite = await startConnectorSuite(startXthonPayEmulator);
  ({ h, emu, appUrl } = suite);
});
afterAll(() => suite?.close());

async function connect(config: Record<string, unknown> = {}) {
  const shop = await h.createTenant(`Xthon ids ${randomBytes(3).toString('hex')}`);
  const account = await h.client.post('/v1/gateway-accounts', {
    auth: shop.testKey,
    body: { connector: 'xthonpay', credentials: { api_key: emu.apiKey, api_secret: emu.apiSecret, webhook_secret: emu.webhookSecret }, config: { base_url: emu.baseUrl, ...config } },
  });
  expect(account.status).toBe(201);
  return { key: shop.testKey, hookUrl: `${appUrl}/hooks/xthonpay/${account.body.id}`, accountId: account.body.id as string };
}
const create = async (key: string, amount: string) => (await h.client.post('/v1/invoices', { auth: key, body: { gateway: 'xthonpay', amount, currency: 'USDT' } })).body;
const invoiceOf = async (key: string, id: string) => (await h.client.get(`/v1/invoices/${id}`, { auth: key })).body;
const upstreamOf = (invoiceId: string) => [...emu.invoices.values()].find((i) => i.external_id === invoiceId)!;

describe('XthonPay: gateway.upstream_id is XthonPay’s invoice id', () => {
  it('a paid webhook carrying only external_id settles the invoice; upstream_id stays XthonPay’s id', async () => {
    const { key, hookUrl, accountId } = await connect();
    const inv = await create(key, '7');
    const xthonId = upstreamOf(inv.id).invoice_id;
    expect(inv.gateway.upstream_id).toBe(xthonId);
    expect(xthonId).not.toBe(inv.id);

    emu.pay(xthonId);
    const body = Buffer.from(JSON.stringify({ event: 'invoice.paid', data: { external_id: inv.id, amount: '7.00' } }));
    expect(await emu.sendWebhook(xthonId, hookUrl, { body })).toEqual({ status: 200, body: 'OK' });
    await eventually(async () => expect((await invoiceOf(key, inv.id)).status).toBe('paid'));
    const paid = await invoiceOf(key, inv.id);
    expect(paid).toMatchObject({ paid: { amount: '7.00', currency: 'USDT' }, gateway: { upstream_id: xthonId } });
    const [row] = await h.core.db('upstream_webhooks').where({ gateway_account_id: accountId });
    expect(row).toMatchObject({ verified: true, process_error: null });
  });

  it('an invoice stored with our id as upstream_id (before the change) is still paid by its webhook and synced by {external_id}', async () => {
    const { key, hookUrl } = await connect({ status_path: '/invoices/{external_id}' });
    const inv = await create(key, '3');
    await h.core.db('invoices').where({ id: inv.id }).update({ upstream_id: inv.id, next_reconcile_at: new Date(Date.now() + 3600_000) });
    const synced = await h.client.post(`/v1/invoices/${inv.id}/sync`, { auth: key });
    expect(synced.body).toMatchObject({ status: 'pending', gateway: { upstream_id: inv.id } });

    emu.pay(inv.id);
    expect((await emu.sendWebhook(inv.id, hookUrl)).status).toBe(200);
    await eventually(async () => expect((await invoiceOf(key, inv.id)).status).toBe('paid'));
  });
});
