/**
 * The hosted checkout's contract over HTTP: checkout links, buyer gateway selection, choosing and
 * choosing again, a payment on an abandoned choice, refusals once the invoice is closed, rate
 * limits, and what the buyer's endpoints must never show. (The page itself is driven in real
 * Chromium in test/browser/.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectorSuite, type ConnectorSuite } from './helpers/connector-suite.js';
import { eventually, startHarness, type Harness } from './helpers/harness.js';
import { addWebhookEndpoint, connectGatewayAccount, createInvoice, createShop, getInvoice, type Invoice } from './helpers/factories.js';
import { startXthonPayEmulator, type XthonPayEmulator } from './emulators/xthonpay.js';
import { startCryptoPayEmulator, type CryptoPayEmulator } from './emulators/cryptopay.js';

let suite: ConnectorSuite<XthonPayEmulator>;
let h: Harness;
let xthon: XthonPayEmulator;
let crypto: CryptoPayEmulator;

beforeAll(async () => {
  suite = await startConnectorSuite(startXthonPayEmulator);
  ({ h, emu: xthon } = suite);
  crypto = await startCryptoPayEmulator();
});
afterAll(async () => {
  await crypto?.stop();
  await suite?.close();
});

const tokenOf = (inv: Invoice) => new URL(inv.checkout_url).pathname.split('/').at(-1)!;
const statePath = (inv: Invoice) => `${new URL(inv.checkout_url).pathname}/state`;
const choicePath = (inv: Invoice) => `${new URL(inv.checkout_url).pathname}/choice`;

/** A tenant with the sandbox, an XthonPay account (no upstream cancel) and a Crypto Pay account (cancels), all in test mode. */
async function shopWithGateways(name = 'Checkout') {
  const shop = await createShop(h, name);
  const key = shop.testKey;
  const xthonAccount = await connectGatewayAccount(h, key, { connector: 'xthonpay', credentials: xthon.account.credentials, config: xthon.account.config });
  const cryptoAccount = await connectGatewayAccount(h, key, { connector: 'cryptopay', credentials: crypto.account.credentials, config: crypto.account.config });
  const path = `/checkout-${Math.random().toString(36).slice(2)}`;
  await addWebhookEndpoint(h, key, { url: suite.receiver.url(path) });
  return { shop, key, xthonAccount, cryptoAccount, path };
}

const buyerInvoice = (key: string, body: Record<string, unknown> = {}) =>
  createInvoice(h, key, { amount: '3', currency: 'USDT', gateway_selection: 'buyer', description: 'Premium', ...body });

/** The buyer pays the XthonPay invoice opened for `inv` (however long ago they moved on from it), and XthonPay says so. */
async function payOnXthonPay(inv: Invoice, accountId: string) {
  const upstream = xthon.findInvoice({ invoiceId: inv.id })!;
  await xthon.payInFull(upstream.upstreamId);
  const answer = await xthon.sendInvoiceWebhook(upstream.upstreamId, { url: `${suite.appUrl}/hooks/xthonpay/${accountId}` });
  expect(answer.status).toBe(200);
  return upstream;
}

const choose = (inv: Invoice, option: string, headers?: Record<string, string>) =>
  h.client.post(choicePath(inv), { body: { option }, ...(headers ? { headers } : {}) });

describe('checkout links', () => {
  it('every invoice has a checkout_url with an unguessable token (192 random bits, never the invoice id), unique per invoice', async () => {
    const { key } = await shopWithGateways('Tokens');
    const invoices = await Promise.all(Array.from({ length: 20 }, () => createInvoice(h, key, { amount: '1', currency: 'USDT', gateway: 'sandbox' })));
    const tokens = invoices.map(tokenOf);
    for (const [i, inv] of invoices.entries()) {
      expect(inv.checkout_url).toBe(`http://switchyard.test/checkout/${tokens[i]}`);
      expect(tokens[i]).toMatch(/^[A-Za-z0-9_-]{32}$/); // 32 base64url characters = 192 bits
      expect(inv.checkout_url).not.toContain(inv.id.slice(4));
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('an unknown token is a 404 page for people and a 404 problem for JSON clients', async () => {
    const page = await h.client.get('/checkout/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(page.status).toBe(404);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const state = await h.client.get('/checkout/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/state');
    expect(state.status).toBe(404);
    expect(state.body.code).toBe('not_found');
    const chosen = await h.client.post('/checkout/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/choice', { body: { option: 'sandbox' } });
    expect(chosen.status).toBe(404);
  });

  it('the page is served with a strict CSP, no referrer and no caching', async () => {
    const { key } = await shopWithGateways('Headers');
    const inv = await buyerInvoice(key);
    const res = await h.client.get(new URL(inv.checkout_url).pathname);
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(res.headers['content-security-policy']).not.toMatch(/unsafe-inline/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('gateway_selection: buyer', () => {
  it('opens nothing upstream at creation: gateway is null and pay_url is the checkout page; the offer lists the eligible gateways', async () => {
    const { key, xthonAccount, cryptoAccount } = await shopWithGateways('Offer');
    const before = crypto.requests.length + xthon.requests.length;
    const inv = await buyerInvoice(key);
    expect(crypto.requests.length + xthon.requests.length).toBe(before);
    expect(inv).toMatchObject({ gateway_selection: 'buyer', gateway: null, pay_url: inv.checkout_url, status: 'pending' });

    const offer = await h.client.get(`/v1/invoices/${inv.id}/checkout`, { auth: key });
    expect(offer.status).toBe(200);
    expect(offer.body).toMatchObject({ object: 'invoice_checkout', url: inv.checkout_url, gateway_selection: 'buyer', choosable: true, upstream_invoices: [] });
    const byConnector = Object.fromEntries(offer.body.options.map((o: { connector: string }) => [o.connector, o]));
    expect(Object.keys(byConnector).sort()).toEqual(['cryptopay', 'sandbox', 'xthonpay']);
    expect(byConnector.xthonpay).toMatchObject({ account_ids: [xthonAccount.id], assets: ['USDT'], selected: false });
    expect(byConnector.cryptopay).toMatchObject({ account_ids: [cryptoAccount.id] });
  });

  it('cannot be combined with a forced gateway', async () => {
    const { key } = await shopWithGateways('Forced');
    const res = await h.client.post('/v1/invoices', { auth: key, body: { amount: '3', currency: 'USDT', gateway_selection: 'buyer', gateway: 'sandbox' } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: '/body/gateway', code: 'not_allowed' })]);
  });

  it('an unknown selection is a validation error naming the allowed values', async () => {
    const { key } = await shopWithGateways('Unknown selection');
    const res = await h.client.post('/v1/invoices', { auth: key, body: { amount: '3', currency: 'USDT', gateway_selection: 'random' } });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('/body/gateway_selection');
  });

  it('the buyer’s pick opens the upstream invoice through routing and is recorded on gateway.attempts (selected_by: buyer)', async () => {
    const { key, xthonAccount } = await shopWithGateways('Pick');
    const inv = await buyerInvoice(key);
    const res = await choose(inv, 'xthonpay');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'checkout_state', status: 'pending', can_choose: true, selected: { connector: 'xthonpay', payment: { asset: 'USDT', network: 'BSC (BEP-20)' } } });
    const after = await getInvoice(h, key, inv.id);
    expect(after.gateway).toMatchObject({ connector: 'xthonpay', account_id: xthonAccount.id, upstream_id: expect.any(String) });
    expect(after.gateway.attempts).toEqual([expect.objectContaining({ account_id: xthonAccount.id, outcome: 'succeeded', selected_by: 'buyer' })]);
    expect(xthon.findInvoice({ invoiceId: inv.id })).toBeDefined();
    // Address-style upstream without a page of its own: the buyer keeps paying on the checkout page.
    expect(after.pay_url).toBe(inv.checkout_url);
  });

  it('picking the option already chosen changes nothing; picking another cancels the first where the upstream can', async () => {
    const { key } = await shopWithGateways('Switch');
    const inv = await buyerInvoice(key);
    await choose(inv, 'cryptopay');
    const first = await getInvoice(h, key, inv.id);
    expect((await choose(inv, 'cryptopay')).status).toBe(200);
    expect((await getInvoice(h, key, inv.id)).gateway.attempts).toHaveLength(1);

    await choose(inv, 'sandbox');
    const offer = await h.client.get(`/v1/invoices/${inv.id}/checkout`, { auth: key });
    expect(offer.body.upstream_invoices.map((u: { connector: string; state: string }) => [u.connector, u.state])).toEqual([
      ['cryptopay', 'cancelled'],
      ['sandbox', 'current'],
    ]);
    // Crypto Pay's deleteInvoice withdrew it upstream.
    expect(crypto.requests.some((r) => r.apiMethod === 'deleteInvoice')).toBe(true);
    expect(crypto.invoices.has(Number(first.gateway.upstream_id))).toBe(false);
    const after = await getInvoice(h, key, inv.id);
    expect(after.gateway.connector).toBe('sandbox');
    expect(after.gateway.attempts.map((a) => [a.connector, a.selected_by])).toEqual([
      ['cryptopay', 'buyer'],
      ['sandbox', 'buyer'],
    ]);
  });

  it('a payment on an abandoned choice (an upstream that cannot cancel) still settles the invoice, and the tenant gets invoice.paid', async () => {
    const { key, path, xthonAccount } = await shopWithGateways('Abandoned');
    const inv = await buyerInvoice(key);
    await choose(inv, 'xthonpay');
    await choose(inv, 'cryptopay');
    expect((await getInvoice(h, key, inv.id)).gateway.connector).toBe('cryptopay');
    const offer = await h.client.get(`/v1/invoices/${inv.id}/checkout`, { auth: key });
    expect(offer.body.upstream_invoices.map((u: { connector: string; state: string }) => [u.connector, u.state])).toEqual([
      ['xthonpay', 'abandoned'],
      ['cryptopay', 'current'],
    ]);

    // The buyer had already sent USDT to the first address.
    const upstream = await payOnXthonPay(inv, xthonAccount.id);
    await eventually(async () => expect((await getInvoice(h, key, inv.id)).status).toBe('paid'));
    const paid = await getInvoice(h, key, inv.id);
    expect(paid.gateway).toMatchObject({ connector: 'xthonpay', upstream_id: upstream.upstreamId });
    await eventually(async () =>
      expect(suite.receiver.on(path).some((r) => {
        const event = JSON.parse(r.body) as { type: string; data: { id: string } };
        return event.type === 'invoice.paid' && event.data.id === inv.id;
      })).toBe(true),
    );

    // Once a payment is seen, the buyer can no longer switch.
    const again = await choose(inv, 'sandbox');
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('checkout_closed');
  });

  it('a second payment on an abandoned choice after the invoice was paid elsewhere is an invoice.late_payment, recorded on that upstream invoice', async () => {
    const { key, path, xthonAccount } = await shopWithGateways('Twice');
    const inv = await buyerInvoice(key);
    await choose(inv, 'xthonpay');
    await choose(inv, 'sandbox');
    await h.client.post(`/v1/invoices/${inv.id}/simulate`, { auth: key, body: { status: 'paid' } });

    await payOnXthonPay(inv, xthonAccount.id);
    await eventually(async () => {
      const offer = await h.client.get(`/v1/invoices/${inv.id}/checkout`, { auth: key });
      expect(offer.body.upstream_invoices[0]).toMatchObject({ connector: 'xthonpay', state: 'abandoned', status: 'paid', paid: { amount: '3.00', currency: 'USDT' } });
    });
    const after = await getInvoice(h, key, inv.id);
    expect(after).toMatchObject({ status: 'paid', gateway: { connector: 'sandbox' }, paid: { amount: '3' } });
    await eventually(async () => expect(suite.receiver.on(path).map((r) => (JSON.parse(r.body) as { type: string }).type)).toContain('invoice.late_payment'));
  });

  it('sync and reconciliation also ask about abandoned choices: a payment there with no webhook is still found', async () => {
    const { key, xthonAccount } = await shopWithGateways('Watched');
    // An XthonPay account that can be asked for an invoice's state.
    const patched = await h.client.patch(`/v1/gateway-accounts/${xthonAccount.id}`, { auth: key, body: { config: { ...xthon.account.config, status_path: '/invoices/{external_id}' } } });
    expect(patched.status).toBe(200);
    const bySync = await buyerInvoice(key);
    await choose(bySync, 'xthonpay');
    await choose(bySync, 'sandbox');
    await xthon.payInFull(xthon.findInvoice({ invoiceId: bySync.id })!.upstreamId);
    const synced = await h.client.post(`/v1/invoices/${bySync.id}/sync`, { auth: key });
    expect(synced.status).toBe(200);
    expect(synced.body).toMatchObject({ status: 'paid', gateway: { connector: 'xthonpay' } });

    // The worker reconciles every second in this suite.
    const byReconcile = await buyerInvoice(key);
    await choose(byReconcile, 'xthonpay');
    await choose(byReconcile, 'sandbox');
    await xthon.payInFull(xthon.findInvoice({ invoiceId: byReconcile.id })!.upstreamId);
    await eventually(async () => expect((await getInvoice(h, key, byReconcile.id)).status).toBe('paid'), { timeoutMs: 15_000 });
  });

  it('once paid, the buyer’s other open picks are withdrawn where the upstream can cancel, so nobody pays twice', async () => {
    const { key } = await shopWithGateways('Withdraw');
    const inv = await buyerInvoice(key);
    await choose(inv, 'cryptopay');
    const cryptoInvoice = Number((await getInvoice(h, key, inv.id)).gateway.upstream_id);
    // Crypto Pay is down when the buyer moves on: its invoice stays open upstream, watched.
    crypto.failNext('deleteInvoice', { status: 500 });
    await choose(inv, 'sandbox');
    expect(crypto.invoices.has(cryptoInvoice)).toBe(true);
    await h.client.post(`/v1/invoices/${inv.id}/simulate`, { auth: key, body: { status: 'paid' } });
    expect(crypto.invoices.has(cryptoInvoice)).toBe(false);
    const offer = await h.client.get(`/v1/invoices/${inv.id}/checkout`, { auth: key });
    expect(offer.body.upstream_invoices.map((u: { connector: string; state: string }) => [u.connector, u.state])).toEqual([
      ['cryptopay', 'cancelled'],
      ['sandbox', 'current'],
    ]);
  });

  it('going back to an earlier pick that is still open shows it again instead of opening a second one', async () => {
    const { key } = await shopWithGateways('Back');
    const inv = await buyerInvoice(key);
    await choose(inv, 'xthonpay');
    const first = (await getInvoice(h, key, inv.id)).gateway.upstream_id;
    await choose(inv, 'sandbox');
    await choose(inv, 'xthonpay');
    const after = await getInvoice(h, key, inv.id);
    expect(after.gateway.upstream_id).toBe(first);
    expect(xthon.requests.filter((r) => r.method === 'POST' && r.path === '/invoices' && (r.body as { external_id?: string })?.external_id === inv.id)).toHaveLength(1);
  });

  it('refuses a pick once the invoice is paid, expired or cancelled, and for an invoice routed at creation', async () => {
    const { key } = await shopWithGateways('Closed');
    const paid = await buyerInvoice(key);
    await choose(paid, 'sandbox');
    await h.client.post(`/v1/invoices/${paid.id}/simulate`, { auth: key, body: { status: 'paid' } });
    const expired = await buyerInvoice(key);
    await h.core.db('invoices').where({ id: expired.id }).update({ expires_at: new Date(Date.now() - 1000) });
    await h.core.invoices.expireOverdue();
    const cancelled = await buyerInvoice(key);
    await h.client.post(`/v1/invoices/${cancelled.id}/cancel`, { auth: key });
    const routed = await createInvoice(h, key, { amount: '3', currency: 'USDT', gateway: 'sandbox' });
    for (const inv of [paid, expired, cancelled, routed]) {
      const res = await choose(inv, 'xthonpay');
      expect(res.status, inv.id).toBe(409);
      expect(res.body.code).toBe('checkout_closed');
    }
    expect(xthon.findInvoice({ invoiceId: paid.id })).toBeUndefined();
  });

  it('an option not on offer is a 422 naming it; a made-up one is a validation error', async () => {
    const { key } = await shopWithGateways('Not offered');
    const inv = await buyerInvoice(key);
    const res = await choose(inv, 'btcpay');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'option_unavailable', option: 'btcpay' });
    const bad = await choose(inv, 'nope');
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('validation_failed');
  });

  it('a form post (no JavaScript) answers 303 back to the page, with a notice when refused', async () => {
    const { key } = await shopWithGateways('Form');
    const inv = await buyerInvoice(key);
    const page = new URL(inv.checkout_url).pathname;
    const ok = await h.client.post(`${choicePath(inv)}?lang=ru`, { raw: 'option=sandbox', contentType: 'application/x-www-form-urlencoded' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`${page}?lang=ru`);
    expect((await getInvoice(h, key, inv.id)).gateway.connector).toBe('sandbox');
    const refused = await h.client.post(choicePath(inv), { raw: 'option=btcpay', contentType: 'application/x-www-form-urlencoded' });
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toBe(`${page}?notice=gateway_unavailable`);
  });
});

describe('what the buyer sees', () => {
  it('the state and the page hold nothing private: no account ids, metadata, customer data or other ids', async () => {
    const { key, xthonAccount, cryptoAccount } = await shopWithGateways('Private');
    const inv = await buyerInvoice(key, {
      metadata: { internal_note: 'vip-customer-4471' },
      customer: { email: 'buyer-secret@example.com', telegram_user_id: 987654321 },
      external_id: 'order-private-1',
    });
    await choose(inv, 'xthonpay');
    const state = await h.client.get(statePath(inv));
    const page = await h.client.get(new URL(inv.checkout_url).pathname);
    for (const text of [JSON.stringify(state.body), page.text]) {
      for (const secret of [xthonAccount.id, cryptoAccount.id, 'vip-customer-4471', 'buyer-secret@example.com', '987654321', 'order-private-1', 'ga_', 'evt_']) {
        expect(text).not.toContain(secret);
      }
    }
    expect(state.body).toMatchObject({ amount: '3', currency: 'USDT', description: 'Premium', test_mode: true });
  });

  it('the merchant name is the tenant’s display name (and support link) when set, else its name', async () => {
    const { shop, key } = await shopWithGateways('Branding');
    const inv = await buyerInvoice(key);
    expect((await h.client.get(statePath(inv))).body.merchant).toEqual({ name: expect.stringMatching(/^Branding /), support_url: null });
    const set = await h.client.patch('/v1/checkout-settings', { auth: key, body: { display_name: 'Acme Store', support_url: 'https://t.me/acme_support' } });
    expect(set.body).toEqual({ object: 'checkout_settings', display_name: 'Acme Store', support_url: 'https://t.me/acme_support' });
    expect((await h.client.get(statePath(inv))).body.merchant).toEqual({ name: 'Acme Store', support_url: 'https://t.me/acme_support' });
    expect((await h.client.get('/v1/checkout-settings', { auth: shop.liveKey })).body.display_name).toBe('Acme Store');
    for (const support_url of ['javascript:alert(1)', 'data:text/html,hi', 'http://256.256.256.256/', 'http://999999999999/help', 'mailto:', 'http://[::1/']) {
      const bad = await h.client.patch('/v1/checkout-settings', { auth: key, body: { support_url } });
      expect(bad.status).toBe(422);
      expect(bad.body.errors[0].field).toBe('/body/support_url');
    }
    expect((await h.client.patch('/v1/checkout-settings', { auth: key, body: { display_name: '   ' } })).status).toBe(422);
    const mail = await h.client.patch('/v1/checkout-settings', { auth: key, body: { support_url: 'mailto:help@acme.example' } });
    expect(mail.body.support_url).toBe('mailto:help@acme.example');
  });

  it('test mode: the page’s simulate endpoint settles a sandbox invoice; live invoices and other gateways refuse', async () => {
    const { key } = await shopWithGateways('Simulate');
    const inv = await buyerInvoice(key);
    await choose(inv, 'sandbox');
    const res = await h.client.post(`${new URL(inv.checkout_url).pathname}/simulate`, { body: { status: 'paid' } });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('paid');
    const other = await buyerInvoice(key);
    await choose(other, 'xthonpay');
    const refused = await h.client.post(`${new URL(other.checkout_url).pathname}/simulate`, { body: { status: 'paid' } });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('simulation_not_supported');
  });
});

describe('rate limits', () => {
  let limited: Harness;
  beforeAll(async () => {
    limited = await startHarness({ CHECKOUT_CHOICES_PER_INVOICE: '3', CHECKOUT_CHOICES_PER_ADDRESS: '5', CHECKOUT_REQUESTS_PER_ADDRESS: '1000' });
  });
  afterAll(async () => limited?.close());

  it('choosing is limited per invoice and per address, answered 429 with Retry-After, and changes nothing', async () => {
    const shop = await limited.createTenant('Limits');
    const make = () => createInvoice(limited, shop.testKey, { amount: '3', currency: 'USDT', gateway_selection: 'buyer' });
    const inv = await make();
    const path = `${new URL(inv.checkout_url).pathname}/choice`;
    for (let i = 0; i < 3; i++) expect((await limited.client.post(path, { body: { option: 'sandbox' } })).status).toBe(200);
    const fourth = await limited.client.post(path, { body: { option: 'sandbox' } });
    expect(fourth.status).toBe(429);
    expect(fourth.body.code).toBe('rate_limited');
    expect(fourth.headers['retry-after']).toMatch(/^\d+$/);

    // The same address, another invoice: the address has one pick left (the refused one counted too), then it is out.
    const other = await make();
    const otherPath = `${new URL(other.checkout_url).pathname}/choice`;
    expect((await limited.client.post(otherPath, { body: { option: 'sandbox' } })).status).toBe(200);
    const limitedByAddress = await limited.client.post(otherPath, { body: { option: 'sandbox' } });
    expect(limitedByAddress.status).toBe(429);
    expect((await getInvoice(limited, shop.testKey, other.id)).gateway?.attempts ?? []).toHaveLength(1);
  });
});
