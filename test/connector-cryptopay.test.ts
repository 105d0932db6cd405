import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness } from './helpers/harness.js';
import { startConnectorSuite, type ConnectorSuite } from './helpers/connector-suite.js';
import type { Receiver } from './helpers/receiver.js';
import { startCryptoPayEmulator, type CryptoPayEmulator } from './emulators/cryptopay.js';
import { cryptoPayWebhookSignature } from '../src/connectors/cryptopay/index.js';
import { cryptoPayVector } from './vectors/index.js';

let h: Harness;
let emu: CryptoPayEmulator;
let receiver: Receiver;
let appUrl: string;
let suite: ConnectorSuite<CryptoPayEmulator>;

beforeAll(async () => {
  suite = await startConnectorSuite(startCryptoPayEmulator);
  ({ h, emu, receiver, appUrl } = suite);
});
afterAll(() => suite?.close());

/** A tenant with a Crypto Pay account pointed at the emulator and a webhook endpoint of its own. */
async function connect() {
  const shop = await h.createTenant(`Crypto shop ${randomBytes(3).toString('hex')}`);
  const account = await h.client.post('/v1/gateway-accounts', {
    auth: shop.testKey,
    body: { connector: 'cryptopay', name: 'My app', credentials: { token: emu.token }, config: { base_url: emu.baseUrl, environment: 'testnet' } },
  });
  expect(account.status).toBe(201);
  const path = `/tenant/${randomBytes(4).toString('hex')}`;
  await h.client.post('/v1/webhook-endpoints', { auth: shop.testKey, body: { url: receiver.url(path), events: ['invoice.paid'] } });
  return { shop, account: account.body as { id: string; webhook_url: string }, path };
}

const createInvoice = (key: string, body: Record<string, unknown>) => h.client.post('/v1/invoices', { auth: key, body: { gateway: 'cryptopay', ...body } });
const hookUrl = (accountId: string) => `${appUrl}/hooks/cryptopay/${accountId}`;
const upstreamId = (invoice: { gateway: { upstream_id: string } }) => Number(invoice.gateway.upstream_id);
const statusOf = async (key: string, id: string) => (await h.client.get(`/v1/invoices/${id}`, { auth: key })).body;
const paidEvents = async (invoiceId: string) => h.core.db('events').where({ invoice_id: invoiceId, type: 'invoice.paid' });

describe('Crypto Pay: connecting an account', () => {
  it('checks the token with getMe, encrypts it, never returns it, and gives the webhook URL', async () => {
    const before = emu.requests.length;
    const { shop, account } = await connect();
    const getMe = emu.requests.slice(before).find((r) => r.apiMethod === 'getMe')!;
    expect(getMe.headers['crypto-pay-api-token']).toBe(emu.token);
    expect(account.webhook_url).toBe(`http://switchyard.test/hooks/cryptopay/${account.id}`);
    const got = await h.client.get(`/v1/gateway-accounts/${account.id}`, { auth: shop.testKey });
    expect(JSON.stringify(got.body)).not.toContain(emu.token);
    const row = await h.core.db('gateway_accounts').where({ id: account.id }).first();
    expect(JSON.stringify(row)).not.toContain(emu.token.split(':')[1]);
  });

  it('a token the upstream refuses is 422 upstream_credentials_invalid and nothing is stored', async () => {
    const shop = await h.createTenant('Wrong token');
    const res = await h.client.post('/v1/gateway-accounts', {
      auth: shop.testKey,
      body: { connector: 'cryptopay', credentials: { token: `1:${'x'.repeat(35)}` }, config: { base_url: emu.baseUrl } },
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'upstream_credentials_invalid', upstream_code: 'UNAUTHORIZED' });
    expect((await h.client.get('/v1/gateway-accounts?connector=cryptopay', { auth: shop.testKey })).body.data).toEqual([]);
  });

  it('refuses malformed credentials and config with field errors', async () => {
    const shop = await h.createTenant('Malformed');
    const res = await h.client.post('/v1/gateway-accounts', {
      auth: shop.testKey,
      body: { connector: 'cryptopay', credentials: { token: 'nope', extra: 'x' } },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['/body/credentials/token', '/body/credentials/extra']));
  });

  it('shows the balance from getBalance', async () => {
    const { shop, account } = await connect();
    const res = await h.client.get(`/v1/gateway-accounts/${account.id}/balance`, { auth: shop.testKey });
    expect(res.status).toBe(200);
    expect(res.body.balances[0]).toMatchObject({ currency: expect.any(String), available: expect.any(String) });
  });
});

describe('Crypto Pay: invoices end to end', () => {
  it('creates a crypto invoice upstream with our id in payload, and a webhook pays it exactly once', async () => {
    const { shop, account, path } = await connect();
    const created = await createInvoice(shop.testKey, { amount: '12.5', currency: 'USDT', description: 'Premium', expires_in: 900 });
    expect(created.status).toBe(201);
    const inv = created.body;
    const call = emu.requests.filter((r) => r.apiMethod === 'createInvoice').at(-1)!;
    expect(call.headers['crypto-pay-api-token']).toBe(emu.token);
    expect(call.params).toMatchObject({ currency_type: 'crypto', asset: 'USDT', amount: '12.5', payload: inv.id, expires_in: 900, description: 'Premium' });
    expect(inv.pay_url).toBe(emu.invoices.get(upstreamId(inv))!.bot_invoice_url);

    emu.pay(upstreamId(inv));
    const answer = await emu.sendWebhook(upstreamId(inv), hookUrl(account.id));
    expect(answer.status).toBe(200);
    await eventually(async () => expect((await statusOf(shop.testKey, inv.id)).status).toBe('paid'));
    const paid = await statusOf(shop.testKey, inv.id);
    expect(paid.paid).toMatchObject({ amount: expect.any(String), currency: 'USDT' });
    await eventually(async () => expect(receiver.on(path)).toHaveLength(1));

    // The same webhook again: acknowledged, but no second invoice.paid.
    expect((await emu.sendWebhook(upstreamId(inv), hookUrl(account.id))).status).toBe(200);
    await eventually(async () => {
      const rows = await h.core.db('upstream_webhooks').where({ gateway_account_id: account.id }).whereNull('processed_at');
      expect(rows).toHaveLength(0);
    });
    expect(await paidEvents(inv.id)).toHaveLength(1);
    expect(receiver.on(path)).toHaveLength(1);
  });

  it('creates fiat invoices with accepted assets and a return button', async () => {
    const { shop } = await connect();
    const res = await createInvoice(shop.testKey, { amount: '9.99', currency: 'EUR', accepted_assets: ['USDT', 'TON'], return_url: 'https://shop.example/thanks' });
    expect(res.status).toBe(201);
    const call = emu.requests.filter((r) => r.apiMethod === 'createInvoice').at(-1)!;
    expect(call.params).toMatchObject({ currency_type: 'fiat', fiat: 'EUR', accepted_assets: 'USDT,TON', paid_btn_name: 'callback', paid_btn_url: 'https://shop.example/thanks' });
  });

  it.each([
    ['forged', { forge: true }],
    ['unsigned', { unsigned: true }],
    ['tampered', { tamper: true }],
  ])('a %s webhook is 401, stored as unverified, and changes nothing', async (_name, opts) => {
    const { shop, account } = await connect();
    const inv = (await createInvoice(shop.testKey, { amount: '1', currency: 'TON' })).body;
    // Keep reconciliation away from this invoice: only the webhook could pay it here.
    await h.core.db('invoices').where({ id: inv.id }).update({ next_reconcile_at: new Date(Date.now() + 3600_000) });
    emu.pay(upstreamId(inv));
    const answer = await emu.sendWebhook(upstreamId(inv), hookUrl(account.id), opts);
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).code).toBe('unauthorized');
    const stored = await h.client.get(`/admin/v1/upstream-webhooks?gateway_account_id=${account.id}&verified=false`, { auth: h.operatorToken });
    expect(stored.body.data).toHaveLength(1);
    expect(stored.body.data[0]).toMatchObject({ verified: false, connector: 'cryptopay', processed_at: null });
    expect(['missing_signature', 'bad_signature']).toContain(stored.body.data[0].verification_error);
    expect((await statusOf(shop.testKey, inv.id)).status).toBe('pending');
  });

  it('a webhook for an unknown account or connector is 404 and stored', async () => {
    const res = await fetch(`${appUrl}/hooks/cryptopay/ga_01ARZ3NDEKTSV4RRFFQ69G5FAV`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(404);
    const other = await fetch(`${appUrl}/hooks/paypal/anything`, { method: 'POST', body: 'x' });
    expect(other.status).toBe(404);
    const stored = await h.client.get('/admin/v1/upstream-webhooks?connector=paypal', { auth: h.operatorToken });
    expect(stored.body.data[0]).toMatchObject({ verification_error: 'unknown_connector', body: 'x' });
  });

  it('a genuine webhook for an invoice we do not know is stored, logged and acknowledged', async () => {
    const { account } = await connect();
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

  it('an invoice whose webhook never comes is paid by reconciliation', async () => {
    const { shop } = await connect();
    const inv = (await createInvoice(shop.testKey, { amount: '3', currency: 'USDT' })).body;
    emu.pay(upstreamId(inv));
    await eventually(async () => expect((await statusOf(shop.testKey, inv.id)).status).toBe('paid'), { timeoutMs: 15_000 });
    expect(emu.requests.some((r) => r.apiMethod === 'getInvoices' && String(r.params.invoice_ids).split(',').includes(String(upstreamId(inv))))).toBe(true);
  });

  it('a payment webhook for an invoice our expiry job already expired is surfaced as invoice.late_payment, status unchanged', async () => {
    const { shop, account } = await connect();
    const path = `/late/${randomBytes(4).toString('hex')}`;
    const endpoint = await h.client.post('/v1/webhook-endpoints', { auth: shop.testKey, body: { url: receiver.url(path), events: ['invoice.late_payment'] } });
    expect(endpoint.status).toBe(201);
    const inv = (await createInvoice(shop.testKey, { amount: '3', currency: 'USDT' })).body;
    await h.core.db('invoices').where({ id: inv.id }).update({ expires_at: new Date(Date.now() - 1000), next_reconcile_at: new Date(Date.now() + 3600_000) });
    expect(await h.core.invoices.expireOverdue()).toBeGreaterThanOrEqual(1);
    expect((await statusOf(shop.testKey, inv.id)).status).toBe('expired');
    emu.pay(upstreamId(inv));
    expect((await emu.sendWebhook(upstreamId(inv), hookUrl(account.id))).status).toBe(200);
    await eventually(async () => expect((await statusOf(shop.testKey, inv.id)).paid).toMatchObject({ amount: '3', currency: 'USDT', exception: 'late' }));
    expect((await statusOf(shop.testKey, inv.id)).status).toBe('expired');
    await eventually(async () => expect(receiver.on(path).map((r) => JSON.parse(r.body).type)).toEqual(['invoice.late_payment']));
    // The same webhook again changes nothing and sends nothing more.
    expect((await emu.sendWebhook(upstreamId(inv), hookUrl(account.id))).status).toBe(200);
    await eventually(async () => expect(await h.core.db('upstream_webhooks').where({ gateway_account_id: account.id, verified: true }).whereNull('processed_at')).toHaveLength(0));
    expect(await h.core.db('events').where({ invoice_id: inv.id, type: 'invoice.late_payment' })).toHaveLength(1);
  });

  it('sync asks the upstream now; cancel deletes the upstream invoice', async () => {
    const { shop } = await connect();
    const a = (await createInvoice(shop.testKey, { amount: '1', currency: 'BTC' })).body;
    emu.expire(upstreamId(a));
    const synced = await h.client.post(`/v1/invoices/${a.id}/sync`, { auth: shop.testKey });
    expect(synced.body.status).toBe('expired');
    const b = (await createInvoice(shop.testKey, { amount: '1', currency: 'BTC' })).body;
    const cancelled = await h.client.post(`/v1/invoices/${b.id}/cancel`, { auth: shop.testKey });
    expect(cancelled.body.status).toBe('cancelled');
    expect(emu.requests.filter((r) => r.apiMethod === 'deleteInvoice').at(-1)!.params.invoice_id).toBe(upstreamId(b));
  });

  it.each([
    [500, 'APP_ERROR'],
    [429, 'TOO_MANY_REQUESTS'],
  ])('upstream %i on create: a clear 502 problem and no half-created invoice', async (status, name) => {
    const { shop } = await connect();
    const before = await h.core.db('invoices').where({ tenant_id: shop.id }).count('* as n');
    emu.failNext('createInvoice', { status, name });
    const res = await createInvoice(shop.testKey, { amount: '1', currency: 'USDT' });
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('upstream_error');
    expect(res.body.attempts[0]).toMatchObject({ connector: 'cryptopay', outcome: 'failed', code: name });
    expect(await h.core.db('invoices').where({ tenant_id: shop.id }).count('* as n')).toEqual(before);
  });

  it('an upstream decline (EXPIRES_IN_INVALID) is reported with its name', async () => {
    const { shop } = await connect();
    emu.failNext('createInvoice', { status: 400, name: 'EXPIRES_IN_INVALID' });
    const res = await createInvoice(shop.testKey, { amount: '1', currency: 'USDT' });
    expect(res.status).toBe(502);
    expect(res.body.attempts[0]).toMatchObject({ outcome: 'declined', code: 'EXPIRES_IN_INVALID' });
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
