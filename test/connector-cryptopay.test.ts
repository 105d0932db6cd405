import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness } from './helpers/harness.js';
import { connectorConformance } from './helpers/connector-conformance.js';
import { addWebhookEndpoint, createShop } from './helpers/factories.js';
import type { Receiver } from './helpers/receiver.js';
import { startCryptoPayEmulator, type CryptoPayEmulator } from './emulators/cryptopay.js';
import { cryptoPayWebhookSignature } from '../src/connectors/cryptopay/index.js';
import { cryptoPayVector } from './vectors/index.js';

const cryptoPay = connectorConformance({
  connector: 'cryptopay',
  name: 'Crypto Pay',
  emulator: startCryptoPayEmulator,
  invoice: { amount: '3', currency: 'USDT' },
  credentialCheck: (r) => r.path === '/api/getMe',
  statusQuery: {},
});

let h: Harness;
let emu: CryptoPayEmulator;
let receiver: Receiver;
let appUrl: string;
beforeAll(() => void ({ h, emu, receiver, appUrl } = cryptoPay));

const upstreamId = (invoice: { gateway: { upstream_id: string } }) => Number(invoice.gateway.upstream_id);
const hookUrl = (accountId: string) => `${appUrl}/hooks/cryptopay/${accountId}`;
const lastCall = (apiMethod: string) => emu.requests.filter((r) => r.apiMethod === apiMethod).at(-1)!;

describe('Crypto Pay: connecting an account', () => {
  it('checks the token with getMe, sent in the Crypto-Pay-API-Token header', async () => {
    const before = emu.requests.length;
    await cryptoPay.connect();
    const getMe = emu.requests.slice(before).find((r) => r.apiMethod === 'getMe')!;
    expect(getMe.headers['crypto-pay-api-token']).toBe(emu.token);
  });

  it('a refused token is reported with Crypto Pay’s error name (UNAUTHORIZED)', async () => {
    const shop = await createShop(h, 'Wrong token');
    const res = await h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'cryptopay', credentials: emu.refusedCredentials, config: { base_url: emu.baseUrl } } });
    expect(res.body).toMatchObject({ code: 'upstream_credentials_invalid', upstream_code: 'UNAUTHORIZED' });
  });

  it('a token not shaped <digits>:<letters> is refused as malformed', async () => {
    const shop = await createShop(h, 'Malformed');
    const res = await h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'cryptopay', credentials: { token: 'nope' } } });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['/body/credentials/token']);
  });

  it('shows the balance from getBalance', async () => {
    const { key, account } = await cryptoPay.connect();
    const res = await h.client.get(`/v1/gateway-accounts/${account.id}/balance`, { auth: key });
    expect(res.status).toBe(200);
    expect(res.body.balances[0]).toMatchObject({ currency: expect.any(String), available: expect.any(String) });
  });
});

describe('Crypto Pay: creating invoices', () => {
  it('a crypto invoice is createInvoice with the asset, our id as payload, the lifetime and description; pay_url is the bot link', async () => {
    const { key } = await cryptoPay.connect();
    const inv = await cryptoPay.createInvoice(key, { amount: '12.5', currency: 'USDT', description: 'Premium', expires_in: 900 });
    expect(lastCall('createInvoice').params).toMatchObject({ currency_type: 'crypto', asset: 'USDT', amount: '12.5', payload: inv.id, expires_in: 900, description: 'Premium' });
    expect(inv.pay_url).toBe(emu.invoices.get(upstreamId(inv))!.bot_invoice_url);
  });

  it('a fiat invoice names the accepted assets, and return_url becomes a callback button', async () => {
    const { key } = await cryptoPay.connect();
    await cryptoPay.createInvoice(key, { amount: '9.99', currency: 'EUR', accepted_assets: ['USDT', 'TON'], return_url: 'https://shop.example/thanks' });
    expect(lastCall('createInvoice').params).toMatchObject({ currency_type: 'fiat', fiat: 'EUR', accepted_assets: 'USDT,TON', paid_btn_name: 'callback', paid_btn_url: 'https://shop.example/thanks' });
  });

  it.each([
    [500, 'APP_ERROR'],
    [429, 'TOO_MANY_REQUESTS'],
  ])('upstream %i on create: a clear 502 problem and no half-created invoice', async (status, name) => {
    const { key } = await cryptoPay.connect();
    emu.failNext('createInvoice', { status, name });
    const res = await h.client.post('/v1/invoices', { auth: key, body: { gateway: 'cryptopay', amount: '1', currency: 'USDT' } });
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('upstream_error');
    expect(res.body.attempts[0]).toMatchObject({ connector: 'cryptopay', outcome: 'failed', code: name });
    expect((await h.client.get('/v1/invoices', { auth: key })).body.data).toEqual([]);
  });

  it('an upstream decline (EXPIRES_IN_INVALID) is reported with its name', async () => {
    const { key } = await cryptoPay.connect();
    emu.failNext('createInvoice', { status: 400, name: 'EXPIRES_IN_INVALID' });
    const res = await h.client.post('/v1/invoices', { auth: key, body: { gateway: 'cryptopay', amount: '1', currency: 'USDT' } });
    expect(res.status).toBe(502);
    expect(res.body.attempts[0]).toMatchObject({ outcome: 'declined', code: 'EXPIRES_IN_INVALID' });
  });
});

describe('Crypto Pay: webhooks and status', () => {
  it('a webhook for an unknown account or connector is 404 and stored', async () => {
    const res = await fetch(`${appUrl}/hooks/cryptopay/ga_01ARZ3NDEKTSV4RRFFQ69G5FAV`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(404);
    const other = await fetch(`${appUrl}/hooks/paypal/anything`, { method: 'POST', body: 'x' });
    expect(other.status).toBe(404);
    const stored = await h.client.get('/admin/v1/upstream-webhooks?connector=paypal', { auth: h.operatorToken });
    expect(stored.body.data[0]).toMatchObject({ verification_error: 'unknown_connector', body: 'x' });
  });

  it('a genuine webhook for an invoice we do not know is stored, logged and acknowledged', async () => {
    const { account } = await cryptoPay.connect();
    // An invoice made in the upstream's own dashboard, not through Switchyard.
    const made = await fetch(`${emu.baseUrl}/api/createInvoice`, {
      method: 'POST',
      headers: { 'Crypto-Pay-API-Token': emu.token, 'content-type': 'application/json' },
      body: JSON.stringify({ asset: 'TON', amount: '1' }),
    });
    const foreign = ((await made.json()) as { result: { invoice_id: number } }).result.invoice_id;
    emu.pay(foreign);
    expect((await emu.sendWebhook(foreign, hookUrl(account.id))).status).toBe(200);
    await eventually(async () => {
      const stored = await h.client.get(`/admin/v1/upstream-webhooks?gateway_account_id=${account.id}`, { auth: h.operatorToken });
      expect(stored.body.data[0]).toMatchObject({ verified: true, processed_at: expect.any(String), process_error: `unknown upstream invoice(s): ${foreign}` });
    });
  });

  it('reconciliation reads invoices with getInvoices by invoice_ids', async () => {
    const { key } = await cryptoPay.connect();
    const inv = await cryptoPay.createInvoice(key);
    emu.pay(upstreamId(inv));
    await eventually(async () => expect((await cryptoPay.invoiceOf(key, inv.id)).status).toBe('paid'), { timeoutMs: 15_000 });
    expect(emu.requests.some((r) => r.apiMethod === 'getInvoices' && String(r.params.invoice_ids).split(',').includes(String(upstreamId(inv))))).toBe(true);
  });

  it('a payment webhook for an invoice our expiry job already expired is surfaced as invoice.late_payment, status unchanged', async () => {
    const { key, account } = await cryptoPay.connect();
    const path = `/late/${account.id}`;
    await addWebhookEndpoint(h, key, { url: receiver.url(path), events: ['invoice.late_payment'] });
    const inv = await cryptoPay.createInvoice(key, { amount: '3', currency: 'USDT' });
    await h.core.db('invoices').where({ id: inv.id }).update({ expires_at: new Date(Date.now() - 1000), next_reconcile_at: new Date(Date.now() + 3600_000) });
    expect(await h.core.invoices.expireOverdue()).toBeGreaterThanOrEqual(1);
    expect((await cryptoPay.invoiceOf(key, inv.id)).status).toBe('expired');
    emu.pay(upstreamId(inv));
    expect((await emu.sendWebhook(upstreamId(inv), hookUrl(account.id))).status).toBe(200);
    await eventually(async () => expect((await cryptoPay.invoiceOf(key, inv.id)).paid).toMatchObject({ amount: '3', currency: 'USDT', exception: 'late' }));
    expect((await cryptoPay.invoiceOf(key, inv.id)).status).toBe('expired');
    await eventually(async () => expect(receiver.on(path).map((r) => JSON.parse(r.body).type)).toEqual(['invoice.late_payment']));
    // The same webhook again changes nothing and sends nothing more.
    expect((await emu.sendWebhook(upstreamId(inv), hookUrl(account.id))).status).toBe(200);
    await cryptoPay.webhooksProcessed(account.id);
    expect(await cryptoPay.eventsOf(key, inv.id, 'invoice.late_payment')).toHaveLength(1);
  });

  it('sync reads an expiry; cancel deletes the upstream invoice', async () => {
    const { key } = await cryptoPay.connect();
    const a = await cryptoPay.createInvoice(key, { amount: '1', currency: 'BTC' });
    emu.expire(upstreamId(a));
    const synced = await h.client.post(`/v1/invoices/${a.id}/sync`, { auth: key });
    expect(synced.body.status).toBe('expired');
    const b = await cryptoPay.createInvoice(key, { amount: '1', currency: 'BTC' });
    const cancelled = await h.client.post(`/v1/invoices/${b.id}/cancel`, { auth: key });
    expect(cancelled.body.status).toBe('cancelled');
    expect(lastCall('deleteInvoice').params.invoice_id).toBe(upstreamId(b));
  });
});

describe('Crypto Pay: signature verifier', () => {
  it('accepts the published vector and rejects it after a one-byte change', () => {
    const { body, token, signature } = cryptoPayVector;
    expect(cryptoPayWebhookSignature(token, body)).toBe(signature);
    const changed = Buffer.from(body);
    changed[10] = changed[10]! ^ 1;
    expect(cryptoPayWebhookSignature(token, changed)).not.toBe(signature);
  });
});
