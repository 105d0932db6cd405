import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness } from './helpers/harness.js';
import { connectorConformance } from './helpers/connector-conformance.js';
import { createShop } from './helpers/factories.js';
import type { Receiver } from './helpers/receiver.js';
import { btcPaySignature, startBtcPayEmulator, type BtcPayEmulator } from './emulators/btcpay/index.js';
import { btcPayVector } from './vectors/index.js';

/** A real BTCPay delivery (indented JSON) and its signature. */
const { body: VECTOR_BODY, secret: VECTOR_SECRET, signature: VECTOR_SIG } = btcPayVector;

const btcPay = connectorConformance({
  connector: 'btcpay',
  name: 'BTCPay Server',
  emulator: startBtcPayEmulator,
  invoice: { amount: '5', currency: 'USD' },
  // Reading the store's invoices proves the key, the store and the view permission.
  credentialCheck: (r) => r.method === 'GET' && /^\/stores\/[^/]+\/invoices$/.test(r.path),
  statusQuery: {},
});

let h: Harness;
let emu: BtcPayEmulator;
let receiver: Receiver;
let appUrl: string;
beforeAll(() => void ({ h, emu, receiver, appUrl } = btcPay));

const credentials = (o: Partial<Record<'api_key' | 'store_id' | 'webhook_secret', string>> = {}) => ({ ...emu.account.credentials, ...o });
const hookUrl = (accountId: string) => `${appUrl}/hooks/btcpay/${accountId}`;

/** A tenant with a BTCPay account on the emulator, and the store's webhook pointed at it (BTCPay delivers by itself). */
async function connect(config: Record<string, unknown> = {}) {
  const connected = await btcPay.connect({ config });
  emu.webhookUrl = hookUrl(connected.account.id);
  return connected;
}

const createInvoice = (key: string, body: Record<string, unknown>) => h.client.post('/v1/invoices', { auth: key, body: { gateway: 'btcpay', ...body } });
const invoiceOf = (key: string, id: string) => btcPay.invoiceOf(key, id);
const eventsOf = async (invoiceId: string) => (await h.core.db('events').where({ invoice_id: invoiceId }).orderBy('id')).map((e: { type: string }) => e.type);
const hold = (id: string) => btcPay.holdReconciliation(id);
const allProcessed = (accountId: string) => btcPay.webhooksProcessed(accountId);

describe('BTCPay Server: connecting an account', () => {
  it('checks the key by reading the store’s invoices with `Authorization: token …`', async () => {
    const before = emu.requests.length;
    await connect();
    const check = emu.requests.slice(before).find((r) => r.path.startsWith(`/stores/${emu.storeId}/invoices`))!;
    expect(check).toMatchObject({ method: 'GET', status: 200 });
    expect(check.headers.authorization).toBe(`token ${emu.apiKey}`);
  });

  it('a key without the view permission is 422 naming the permission BTCPay asked for', async () => {
    const shop = await createShop(h, 'BTCPay create-only key');
    const res = await h.client.post('/v1/gateway-accounts', {
      auth: shop.testKey,
      body: { connector: 'btcpay', credentials: credentials({ api_key: emu.addApiKey(['btcpay.store.cancreateinvoice']) }), config: { base_url: emu.serverUrl } },
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'upstream_credentials_invalid', upstream_code: 'missing-permission' });
    expect(res.body.detail).toContain('btcpay.store.canviewinvoices');
  });

  it('an unknown key is reported with BTCPay’s code (unauthenticated)', async () => {
    const shop = await createShop(h, 'BTCPay wrong key');
    const res = await h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'btcpay', credentials: emu.refusedCredentials, config: { base_url: emu.serverUrl } } });
    expect(res.body).toMatchObject({ code: 'upstream_credentials_invalid', upstream_code: 'unauthenticated' });
  });

  it('refuses a missing base_url (self-hosted: there is no default) and a bad speed_policy, without checking the key', async () => {
    const shop = await createShop(h, 'BTCPay malformed');
    const before = emu.requests.length;
    const noUrl = await h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'btcpay', credentials: credentials() } });
    expect(noUrl.status).toBe(422);
    expect(noUrl.body.errors).toEqual([expect.objectContaining({ field: '/body/config/base_url' })]);
    const speed = await h.client.post('/v1/gateway-accounts', {
      auth: shop.testKey,
      body: { connector: 'btcpay', credentials: credentials(), config: { base_url: emu.serverUrl, speed_policy: 'Warp' } },
    });
    expect(speed.status).toBe(422);
    expect(speed.body.errors.map((e: { field: string }) => e.field)).toContain('/body/config/speed_policy');
    // No credential check (the store's invoice list) was made for the refused bodies.
    expect(emu.requests.slice(before).filter((r) => r.path.split('?')[0] === `/stores/${emu.storeId}/invoices`)).toHaveLength(0);
    expect((await h.client.get('/v1/gateway-accounts?connector=btcpay', { auth: shop.testKey })).body.data).toEqual([]);
  });
});

describe('BTCPay Server: creating invoices', () => {
  it('sends amount as a string, metadata.orderId, itemDesc, expirationMinutes and redirectURL; pay_url is the checkout link; payment has the address and the BOLT11', async () => {
    const { shop } = await connect({ speed_policy: 'MediumSpeed' });
    const res = await createInvoice(shop.testKey, {
      amount: '12.50',
      currency: 'USD',
      description: 'Sticker pack',
      expires_in: 900,
      return_url: 'https://shop.example/thanks',
      customer: { email: 'buyer@example.com' },
    });
    expect(res.status).toBe(201);
    const inv = res.body;
    const call = emu.requests.filter((r) => r.method === 'POST' && r.path === `/stores/${emu.storeId}/invoices`).at(-1)!;
    expect(call.headers.authorization).toBe(`token ${emu.apiKey}`);
    expect(call.body).toEqual({
      amount: '12.50',
      currency: 'USD',
      metadata: { orderId: inv.id, itemDesc: 'Sticker pack', buyerEmail: 'buyer@example.com' },
      checkout: { expirationMinutes: 15, speedPolicy: 'MediumSpeed', redirectURL: 'https://shop.example/thanks', redirectAutomatically: true },
    });
    const upstream = emu.invoices.get(inv.gateway.upstream_id)!;
    expect(upstream.metadata.orderId).toBe(inv.id);
    expect(inv.pay_url).toBe(upstream.checkoutLink);
    const chain = upstream.paymentMethods.find((m) => m.paymentMethodId === 'BTC-CHAIN')!;
    const ln = upstream.paymentMethods.find((m) => m.paymentMethodId === 'BTC-LN')!;
    expect(inv.payment).toEqual({ address: chain.destination, network: 'bitcoin', asset: 'BTC', amount: chain.amount, bolt11: ln.destination });
    expect(inv.payment.bolt11).toMatch(/^ln/);
  });

  it('accepted_assets [BTC-LN] asks BTCPay for Lightning only; a gateway without rails is not considered', async () => {
    const { shop } = await connect();
    const res = await createInvoice(shop.testKey, { amount: '3', currency: 'EUR', accepted_assets: ['BTC-LN'] });
    expect(res.status).toBe(201);
    const call = emu.requests.filter((r) => r.method === 'POST').at(-1)!;
    expect((call.body as { checkout: { paymentMethods: string[] } }).checkout.paymentMethods).toEqual(['BTC-LN']);
    expect(res.body.payment).toMatchObject({ network: 'lightning', bolt11: expect.stringMatching(/^ln/) });
    expect(res.body.payment.address).toBeUndefined();

    const sandboxOnly = await h.createTenant('No rails');
    const refused = await h.client.post('/v1/invoices', { auth: sandboxOnly.testKey, body: { amount: '3', currency: 'EUR', accepted_assets: ['BTC-LN'] } });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('no_gateway_available');
    expect(refused.body.rejected[0].reason).toContain('cannot take payment in BTC-LN');
  });

  it('reads a 1.x server’s legacy payment method ids (BTC, BTC-LightningNetwork)', async () => {
    const { shop } = await connect();
    emu.options.legacyPaymentMethodIds = true;
    try {
      const res = await createInvoice(shop.testKey, { amount: '7', currency: 'USD' });
      expect(res.status).toBe(201);
      expect(res.body.payment).toMatchObject({ address: expect.any(String), bolt11: expect.stringMatching(/^ln/), network: 'bitcoin' });
    } finally {
      emu.options.legacyPaymentMethodIds = false;
    }
  });

  it('a 503 from BTCPay is a retryable failure: 502 upstream_error with the attempt, nothing created', async () => {
    const { shop } = await connect();
    emu.failNext(`/stores/${emu.storeId}/invoices`, { status: 503, times: 1 });
    const failed = await createInvoice(shop.testKey, { amount: '7', currency: 'USD' });
    expect(failed.status).toBe(502);
    expect(failed.body.attempts).toEqual([expect.objectContaining({ outcome: 'failed', code: expect.any(String) })]);
    const ok = await createInvoice(shop.testKey, { amount: '7', currency: 'USD' });
    expect(ok.status).toBe(201);
  });
});

describe('BTCPay Server: webhooks move the invoice', () => {
  it('on-chain: paid in full → processing, confirmed → paid, with one invoice.paid to the tenant', async () => {
    const { shop, account, path } = await connect();
    const inv = (await createInvoice(shop.testKey, { amount: '20', currency: 'USD' })).body;
    await hold(inv.id);
    const upstreamId = inv.gateway.upstream_id as string;

    const first = await emu.pay(upstreamId);
    expect(first.map((d) => d.status)).toEqual(first.map(() => 200));
    await eventually(async () => expect((await invoiceOf(shop.testKey, inv.id)).status).toBe('processing'));
    await emu.confirm(upstreamId);
    await eventually(async () => expect((await invoiceOf(shop.testKey, inv.id)).status).toBe('paid'));
    const paid = await invoiceOf(shop.testKey, inv.id);
    expect(paid.paid).toMatchObject({ amount: emu.invoices.get(upstreamId)!.paidAmount, currency: 'USD', exception: null });
    await allProcessed(account.id);
    expect(await eventsOf(inv.id)).toEqual(['invoice.created', 'invoice.processing', 'invoice.paid']);
    await eventually(async () => expect(receiver.on(path).filter((r) => JSON.parse(r.body).type === 'invoice.paid')).toHaveLength(1));
  });

  it('Lightning: settled at once → paid', async () => {
    const { shop, account } = await connect();
    const inv = (await createInvoice(shop.testKey, { amount: '2', currency: 'USD' })).body;
    await hold(inv.id);
    await emu.pay(inv.gateway.upstream_id, { method: 'BTC-LN' });
    await eventually(async () => expect((await invoiceOf(shop.testKey, inv.id)).status).toBe('paid'));
    await allProcessed(account.id);
    expect((await eventsOf(inv.id)).filter((t) => t === 'invoice.paid')).toHaveLength(1);
  });

  it('an overpayment is paid with paid.exception overpaid', async () => {
    const { shop } = await connect();
    const inv = (await createInvoice(shop.testKey, { amount: '10', currency: 'USD' })).body;
    await hold(inv.id);
    await emu.pay(inv.gateway.upstream_id, { amount: '12' });
    await emu.confirm(inv.gateway.upstream_id);
    await eventually(async () => expect((await invoiceOf(shop.testKey, inv.id)).status).toBe('paid'));
    expect((await invoiceOf(shop.testKey, inv.id)).paid).toMatchObject({ exception: 'overpaid' });
    expect(emu.invoices.get(inv.gateway.upstream_id)!.additionalStatus).toBe('PaidOver');
  });

  it('a partial payment that expires is expired with what came in (paid.exception underpaid) in invoice.expired', async () => {
    const { shop, account } = await connect();
    const inv = (await createInvoice(shop.testKey, { amount: '10', currency: 'USD' })).body;
    await hold(inv.id);
    await emu.pay(inv.gateway.upstream_id, { amount: '4' });
    await emu.expire(inv.gateway.upstream_id);
    await eventually(async () => expect((await invoiceOf(shop.testKey, inv.id)).status).toBe('expired'));
    await allProcessed(account.id);
    const expired = await invoiceOf(shop.testKey, inv.id);
    expect(expired.paid).toMatchObject({ currency: 'USD', exception: 'underpaid' });
    expect(Number(expired.paid!.amount)).toBe(4);
    const event = await h.core.db('events').where({ invoice_id: inv.id, type: 'invoice.expired' }).first();
    expect(event.data.paid).toMatchObject({ exception: 'underpaid' });
  });

  it('a partial payment whose news comes after our own expiry job is still surfaced (invoice.late_payment, underpaid)', async () => {
    const { shop, account } = await connect();
    const inv = (await createInvoice(shop.testKey, { amount: '10', currency: 'USD' })).body;
    emu.webhookUrl = null; // BTCPay's webhooks are late
    await emu.pay(inv.gateway.upstream_id, { amount: '3' });
    await h.core.db('invoices').where({ id: inv.id }).update({ expires_at: new Date(Date.now() - 1000), next_reconcile_at: new Date(Date.now() + 3600_000) });
    await h.core.invoices.expireOverdue();
    expect((await invoiceOf(shop.testKey, inv.id)).status).toBe('expired');
    emu.webhookUrl = hookUrl(account.id);
    await emu.expire(inv.gateway.upstream_id);
    await eventually(async () => expect((await invoiceOf(shop.testKey, inv.id)).paid).toMatchObject({ currency: 'USD', exception: 'underpaid' }));
    await allProcessed(account.id);
    expect(await eventsOf(inv.id)).toEqual(['invoice.created', 'invoice.expired', 'invoice.late_payment']);
  });

  it('a payment after expiry is surfaced as invoice.late_payment; the invoice stays expired', async () => {
    const { shop, account, path } = await connect();
    const inv = (await createInvoice(shop.testKey, { amount: '5', currency: 'USD' })).body;
    await hold(inv.id);
    await emu.expire(inv.gateway.upstream_id);
    await eventually(async () => expect((await invoiceOf(shop.testKey, inv.id)).status).toBe('expired'));
    await emu.pay(inv.gateway.upstream_id);
    await eventually(async () => expect((await invoiceOf(shop.testKey, inv.id)).paid).toMatchObject({ exception: 'late' }));
    await allProcessed(account.id);
    expect((await invoiceOf(shop.testKey, inv.id)).status).toBe('expired');
    expect(await eventsOf(inv.id)).toEqual(['invoice.created', 'invoice.expired', 'invoice.late_payment']);
    await eventually(async () => expect(receiver.on(path).filter((r) => JSON.parse(r.body).type === 'invoice.late_payment')).toHaveLength(1));
  });

  it('cancel is ours only (BTCPay has no cancel); money that still arrives is a late payment, not lost', async () => {
    const { shop, account } = await connect();
    const inv = (await createInvoice(shop.testKey, { amount: '5', currency: 'USD' })).body;
    await hold(inv.id);
    const before = emu.requests.length;
    const cancelled = await h.client.post(`/v1/invoices/${inv.id}/cancel`, { auth: shop.testKey });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    // Nothing but status reads (reconciliation of other invoices) went to BTCPay.
    expect(emu.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
    await emu.pay(inv.gateway.upstream_id, { method: 'BTC-LN' });
    await eventually(async () => expect((await invoiceOf(shop.testKey, inv.id)).paid).toMatchObject({ exception: 'late' }));
    await allProcessed(account.id);
    expect(await eventsOf(inv.id)).toEqual(['invoice.created', 'invoice.cancelled', 'invoice.late_payment']);
  });

  it('a payment that never confirms → failed', async () => {
    const { shop } = await connect();
    const inv = (await createInvoice(shop.testKey, { amount: '5', currency: 'USD' })).body;
    await hold(inv.id);
    await emu.pay(inv.gateway.upstream_id);
    await emu.invalidate(inv.gateway.upstream_id);
    await eventually(async () => expect((await invoiceOf(shop.testKey, inv.id)).status).toBe('failed'));
  });

  it('a redelivery (new deliveryId, same originalDeliveryId) is acknowledged, stored and skipped without asking BTCPay again', async () => {
    const { shop, account } = await connect();
    const inv = (await createInvoice(shop.testKey, { amount: '5', currency: 'USD' })).body;
    await hold(inv.id);
    const deliveries = await emu.pay(inv.gateway.upstream_id, { method: 'BTC-LN' });
    await eventually(async () => expect((await invoiceOf(shop.testKey, inv.id)).status).toBe('paid'));
    await allProcessed(account.id);
    const settled = deliveries.at(-1)!;
    const queries = () => emu.requests.filter((r) => r.method === 'GET' && r.path.includes(inv.gateway.upstream_id)).length;
    const getsBefore = queries();
    const again = await emu.redeliver(settled.deliveryId);
    expect(again.status).toBe(200);
    expect(again.deliveryId).not.toBe(settled.deliveryId);
    expect(again.originalDeliveryId).toBe(settled.originalDeliveryId);
    await allProcessed(account.id);
    const rows = await h.core.db('upstream_webhooks').where({ gateway_account_id: account.id, verified: true }).orderBy('id', 'desc');
    expect(rows[0].process_error).toContain('duplicate');
    expect(queries()).toBe(getsBefore);
    expect((await eventsOf(inv.id)).filter((t) => t === 'invoice.paid')).toHaveLength(1);
  });
});

describe('BTCPay Server: webhook verification', () => {
  it('the signature covers the indented bytes: the same event re-serialised compactly is refused', async () => {
    const { shop, account } = await connect();
    const inv = (await createInvoice(shop.testKey, { amount: '5', currency: 'USD' })).body;
    await hold(inv.id);
    const { body } = emu.webhookBody(inv.gateway.upstream_id, 'InvoiceSettled');
    expect(body.toString()).toContain('\n  "');
    const compact = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    const res = await request(hookUrl(account.id), { method: 'POST', headers: { 'content-type': 'application/json', 'btcpay-sig': btcPaySignature(emu.webhookSecret, body) }, body: compact });
    expect(res.statusCode).toBe(401);
    await res.body.dump();
    expect((await invoiceOf(shop.testKey, inv.id)).status).toBe('pending');
  });

  it('accepts a real BTCPay delivery (and refuses it one byte changed)', async () => {
    const shop = await h.createTenant('BTCPay vector');
    const account = await h.client.post('/v1/gateway-accounts', {
      auth: shop.testKey,
      body: { connector: 'btcpay', credentials: credentials({ webhook_secret: VECTOR_SECRET }), config: { base_url: emu.serverUrl } },
    });
    expect(account.status).toBe(201);
    const post = async (body: Buffer) => {
      const res = await request(hookUrl(account.body.id), { method: 'POST', headers: { 'content-type': 'application/json', 'btcpay-sig': VECTOR_SIG }, body });
      await res.body.dump();
      return res.statusCode;
    };
    expect(await post(VECTOR_BODY)).toBe(200);
    const changed = Buffer.from(VECTOR_BODY);
    changed[changed.indexOf('2')] = '3'.charCodeAt(0);
    expect(await post(changed)).toBe(401);
    // Its invoice is not ours: stored, acknowledged, noted.
    await eventually(async () => {
      const row = await h.core.db('upstream_webhooks').where({ gateway_account_id: account.body.id, verified: true }).first();
      expect(row.process_error).toContain('6wmoR7p5UFVzCYuwyiViKX');
    });
  });
});

describe('BTCPay Server: status', () => {
  it('sync reads an on-chain payment that is not confirmed yet as processing', async () => {
    const { shop } = await connect();
    emu.webhookUrl = null;
    const inv = (await createInvoice(shop.testKey, { amount: '5', currency: 'USD' })).body;
    await hold(inv.id);
    await emu.pay(inv.gateway.upstream_id);
    const synced = await h.client.post(`/v1/invoices/${inv.id}/sync`, { auth: shop.testKey });
    expect(synced.status).toBe(200);
    expect(synced.body.status).toBe('processing');
  });
});

describe('BTCPay Server: refunds', () => {
  async function paidInvoice(config: Record<string, unknown> = {}) {
    const connected = await connect(config);
    const inv = (await createInvoice(connected.shop.testKey, { amount: '12', currency: 'USD' })).body;
    await emu.pay(inv.gateway.upstream_id, { method: 'BTC-LN' });
    await eventually(async () => expect((await invoiceOf(connected.shop.testKey, inv.id)).status).toBe('paid'));
    return { ...connected, inv };
  }

  it('makes a pull payment and returns the link the buyer claims it at; the invoice is refunded with invoice.refunded', async () => {
    const { shop, inv, path } = await paidInvoice();
    const res = await h.client.post(`/v1/invoices/${inv.id}/refund`, { auth: shop.testKey, body: { reason: 'Out of stock' } });
    expect(res.status).toBe(200);
    const call = emu.requests.filter((r) => r.path === `/stores/${emu.storeId}/invoices/${inv.gateway.upstream_id}/refund`).at(-1)!;
    expect(call.method).toBe('POST');
    expect(call.body).toEqual({ refundVariant: 'RateThen', paymentMethod: 'BTC-CHAIN', name: `Refund of ${inv.id}`, description: 'Out of stock' });
    const pull = [...emu.pullPayments.values()].at(-1)!;
    expect(res.body).toMatchObject({ status: 'refunded', refunds: [{ status: 'pending', reference: pull.id, claim_url: pull.viewLink, reason: 'Out of stock', source: 'api', amount: res.body.paid.amount }] });
    await eventually(async () => expect(receiver.on(path).filter((r) => JSON.parse(r.body).type === 'invoice.refunded')).toHaveLength(1));
  });

  it('config picks the variant and the rail (Fiat on Lightning)', async () => {
    const { shop, inv } = await paidInvoice({ refund_variant: 'Fiat', refund_payment_method: 'BTC-LN' });
    expect((await h.client.post(`/v1/invoices/${inv.id}/refund`, { auth: shop.testKey })).status).toBe(200);
    expect(emu.requests.filter((r) => r.path.endsWith('/refund')).at(-1)!.body).toMatchObject({ refundVariant: 'Fiat', paymentMethod: 'BTC-LN' });
  });

  it('a refund BTCPay refuses leaves the invoice paid and says why (422 refund_declined)', async () => {
    const { shop, inv } = await paidInvoice();
    // BTCPay sees the invoice as not settled (e.g. marked invalid there): it refuses with a validation error.
    const upstream = emu.invoices.get(inv.gateway.upstream_id)!;
    upstream.status = 'Invalid';
    upstream.additionalStatus = 'Marked';
    const res = await h.client.post(`/v1/invoices/${inv.id}/refund`, { auth: shop.testKey });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('refund_declined');
    expect(res.body.detail).toContain('Cannot refund this invoice');
    expect((await invoiceOf(shop.testKey, inv.id)).status).toBe('paid');
  });

  it('BTCPay down: 502 upstream_error, the invoice stays paid and can be refunded once it is back', async () => {
    const { shop, inv } = await paidInvoice();
    emu.failNext(`/stores/${emu.storeId}/invoices/${inv.gateway.upstream_id}/refund`, { status: 503 });
    const res = await h.client.post(`/v1/invoices/${inv.id}/refund`, { auth: shop.testKey });
    expect(res.status).toBe(502);
    expect((await invoiceOf(shop.testKey, inv.id)).status).toBe('paid');
    expect((await h.client.post(`/v1/invoices/${inv.id}/refund`, { auth: shop.testKey })).status).toBe(200);
  });
});
