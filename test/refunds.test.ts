/**
 * Refunds through the API, on the sandbox (which refunds at once): only paid invoices, only on
 * connectors that refund, once (idempotent, and never twice even when asked twice at once), each
 * recorded on the invoice with an invoice.refunded event. BTCPay's pull-payment refunds are in
 * test/connector-btcpay.test.ts; Telegram Stars' in test/connector-stars.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers/harness.js';
import { connectGatewayAccount, createInvoice, createShop, getInvoice } from './helpers/factories.js';
import { startXthonPayEmulator, type XthonPayEmulator } from './emulators/xthonpay.js';

let h: Harness;
let xthon: XthonPayEmulator;
beforeAll(async () => {
  h = await startHarness();
  xthon = await startXthonPayEmulator();
});
afterAll(async () => {
  await xthon?.stop();
  await h?.close();
});

async function paidSandboxInvoice() {
  const shop = await createShop(h, 'Refunds');
  const inv = await createInvoice(h, shop.testKey, { amount: '7.50', currency: 'USD', gateway: 'sandbox' });
  await h.client.post(`/v1/invoices/${inv.id}/simulate`, { auth: shop.testKey, body: { status: 'paid' } });
  return { key: shop.testKey, inv };
}

const refund = (key: string, id: string, body?: unknown, headers?: Record<string, string>) =>
  h.client.post(`/v1/invoices/${id}/refund`, { auth: key, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) });

const eventTypes = async (id: string) => (await h.core.db('events').where({ invoice_id: id }).orderBy('id')).map((e: { type: string }) => e.type);

describe('POST /v1/invoices/{id}/refund', () => {
  it('refunds a paid invoice: refunded, the refund recorded, one invoice.refunded event', async () => {
    const { key, inv } = await paidSandboxInvoice();
    const res = await refund(key, inv.id, { reason: 'Customer asked' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'refunded',
      refunds: [{ amount: '7.50', currency: 'USD', status: 'succeeded', reference: expect.stringMatching(/^sbx_refund_/), claim_url: null, reason: 'Customer asked', source: 'api' }],
    });
    expect(await eventTypes(inv.id)).toEqual(['invoice.created', 'invoice.paid', 'invoice.refunded']);
    expect((await getInvoice(h, key, inv.id)).status).toBe('refunded');
  });

  it('only a paid invoice: pending and refunded ones are 409 invoice_not_refundable and nothing changes', async () => {
    const shop = await createShop(h, 'Not paid');
    const pending = await createInvoice(h, shop.testKey, { amount: '1', currency: 'USD', gateway: 'sandbox' });
    const res = await refund(shop.testKey, pending.id);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'invoice_not_refundable', invoice_status: 'pending' });

    const { key, inv } = await paidSandboxInvoice();
    expect((await refund(key, inv.id)).status).toBe(200);
    const again = await refund(key, inv.id);
    expect(again.status).toBe(409);
    expect((await getInvoice(h, key, inv.id)).refunds).toHaveLength(1);
  });

  it('a connector that cannot refund answers 422 refund_not_supported; GET /v1/connectors shows who can', async () => {
    const shop = await createShop(h, 'No refunds');
    await connectGatewayAccount(h, shop.testKey, { connector: 'xthonpay', credentials: xthon.account.credentials, config: xthon.account.config });
    const inv = await createInvoice(h, shop.testKey, { amount: '3', currency: 'USDT', gateway: 'xthonpay' });
    await h.core.db('invoices').where({ id: inv.id }).update({ status: 'paid' });
    const res = await refund(shop.testKey, inv.id);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'refund_not_supported', connector: 'xthonpay' });
    const connectors = await h.client.get('/v1/connectors', { auth: shop.testKey });
    const refunds = Object.fromEntries(connectors.body.data.map((c: { id: string; capabilities: { refund: boolean } }) => [c.id, c.capabilities.refund]));
    expect(refunds).toMatchObject({ sandbox: true, btcpay: true, xthonpay: false, cryptopay: false });
  });

  it('honours Idempotency-Key: the same key replays the first answer', async () => {
    const { key, inv } = await paidSandboxInvoice();
    const first = await refund(key, inv.id, {}, { 'Idempotency-Key': `refund-${inv.id}` });
    const second = await refund(key, inv.id, {}, { 'Idempotency-Key': `refund-${inv.id}` });
    expect(second.status).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
  });

  it('two refunds at once: exactly one reaches the upstream, the other is 409', async () => {
    const { key, inv } = await paidSandboxInvoice();
    const answers = await Promise.all([refund(key, inv.id), refund(key, inv.id), refund(key, inv.id)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    expect((await getInvoice(h, key, inv.id)).refunds).toHaveLength(1);
    expect((await eventTypes(inv.id)).filter((t) => t === 'invoice.refunded')).toHaveLength(1);
  });

  it('bad input: an unknown field or a too-long reason is 422, another tenant’s invoice 404', async () => {
    const { key, inv } = await paidSandboxInvoice();
    expect((await refund(key, inv.id, { amount: '1' })).status).toBe(422);
    expect((await refund(key, inv.id, { reason: 'x'.repeat(501) })).status).toBe(422);
    const other = await createShop(h, 'Other');
    expect((await refund(other.testKey, inv.id)).status).toBe(404);
    expect((await getInvoice(h, key, inv.id)).status).toBe('paid');
  });
});
