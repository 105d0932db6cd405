import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from './helpers/harness.js';
import { startCryptoPayEmulator, type CryptoPayEmulator } from './emulators/cryptopay.js';
import { startWorker } from '../src/jobs/worker.js';

let h: Harness;
let emu: CryptoPayEmulator;

beforeAll(async () => {
  h = await startHarness();
  emu = await startCryptoPayEmulator();
});
afterAll(async () => {
  await emu?.stop();
  await h?.close();
});

const connect = (key: string, extra: Record<string, unknown> = {}) =>
  h.client.post('/v1/gateway-accounts', { auth: key, body: { connector: 'cryptopay', credentials: { token: emu.token }, config: { base_url: emu.baseUrl }, ...extra } });

describe('gateway accounts API', () => {
  it('lists (the built-in sandbox included), gets, updates and deletes accounts', async () => {
    const shop = await h.createTenant('Accounts');
    const created = (await connect(shop.testKey, { name: 'Main', priority: 10, currencies: ['USDT', 'TON'], min_amount: '1', max_amount: '1000' })).body;
    expect(created).toMatchObject({ object: 'gateway_account', connector: 'cryptopay', livemode: false, priority: 10, currencies: ['USDT', 'TON'], enabled: true });
    const list = await h.client.get('/v1/gateway-accounts', { auth: shop.testKey });
    expect(list.body.data.map((a: { connector: string }) => a.connector)).toEqual(['cryptopay', 'sandbox']);
    const patched = await h.client.patch(`/v1/gateway-accounts/${created.id}`, { auth: shop.testKey, body: { enabled: false, name: null, currencies: null } });
    expect(patched.body).toMatchObject({ enabled: false, name: null, currencies: null });
    const deleted = await h.client.delete(`/v1/gateway-accounts/${created.id}`, { auth: shop.testKey });
    expect(deleted.body).toEqual({ id: created.id, object: 'gateway_account', deleted: true });
    expect((await h.client.get(`/v1/gateway-accounts/${created.id}`, { auth: shop.testKey })).status).toBe(404);
  });

  it('routes by priority and the account’s own limits; the sandbox is the fallback in test mode', async () => {
    const shop = await h.createTenant('Routing');
    const account = (await connect(shop.testKey, { currencies: ['USDT'], max_amount: '100' })).body;
    const usdt = await h.client.post('/v1/invoices', { auth: shop.testKey, body: { amount: '50', currency: 'USDT' } });
    expect(usdt.body.gateway).toMatchObject({ connector: 'cryptopay', account_id: account.id });
    const tooBig = await h.client.post('/v1/invoices', { auth: shop.testKey, body: { amount: '500', currency: 'USDT' } });
    expect(tooBig.body.gateway.connector).toBe('sandbox');
    const ton = await h.client.post('/v1/invoices', { auth: shop.testKey, body: { amount: '5', currency: 'TON' } });
    expect(ton.body.gateway.connector).toBe('sandbox');
  });

  it('another tenant, or the other mode, gets 404 on every account route', async () => {
    const a = await h.createTenant('Owner');
    const b = await h.createTenant('Stranger');
    const id = (await connect(a.testKey)).body.id;
    for (const key of [b.testKey, a.liveKey]) {
      expect((await h.client.get(`/v1/gateway-accounts/${id}`, { auth: key })).status).toBe(404);
      expect((await h.client.patch(`/v1/gateway-accounts/${id}`, { auth: key, body: { enabled: false } })).status).toBe(404);
      expect((await h.client.delete(`/v1/gateway-accounts/${id}`, { auth: key })).status).toBe(404);
      expect((await h.client.get(`/v1/gateway-accounts/${id}/balance`, { auth: key })).status).toBe(404);
    }
  });

  it('refuses the sandbox with a live key or as a new account, and bad bodies', async () => {
    const shop = await h.createTenant('Refusals');
    expect((await h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'sandbox', credentials: {} } })).status).toBe(422);
    expect((await h.client.post('/v1/gateway-accounts', { auth: shop.liveKey, body: { connector: 'sandbox', credentials: {} } })).status).toBe(422);
    expect((await h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'paypal', credentials: {} } })).status).toBe(422);
    const bounds = await connect(shop.testKey, { min_amount: '10', max_amount: '1' });
    expect(bounds.status).toBe(422);
    expect(bounds.body.errors[0].field).toBe('/body/min_amount');
    expect((await h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'cryptopay' } })).status).toBe(422);
  });

  it.each(['http://256.256.256.256/', 'http://999999999999/', 'https://exa mple.com/', 'http://[::1/'])(
    'a base_url WHATWG URL cannot parse (%s) is 422 naming it, on create and on PATCH; nothing is saved',
    async (base_url) => {
      const shop = await h.createTenant('Unparseable base_url');
      const created = await connect(shop.testKey, { config: { base_url } });
      expect(created.status).toBe(422);
      expect(created.body.errors.map((e: { field: string }) => e.field)).toEqual(['/body/config/base_url']);
      expect((await h.client.get('/v1/gateway-accounts?connector=cryptopay', { auth: shop.testKey })).body.data).toEqual([]);
      const account = (await connect(shop.testKey)).body;
      const patched = await h.client.patch(`/v1/gateway-accounts/${account.id}`, { auth: shop.testKey, body: { config: { base_url } } });
      expect(patched.status).toBe(422);
      expect(patched.body.errors.map((e: { field: string }) => e.field)).toEqual(['/body/config/base_url']);
      expect((await h.client.get(`/v1/gateway-accounts/${account.id}`, { auth: shop.testKey })).body.config.base_url).toBe(emu.baseUrl);
    },
  );

  it('a base_url with credentials in it is refused', async () => {
    const shop = await h.createTenant('Credentials in base_url');
    const res = await connect(shop.testKey, { config: { base_url: emu.baseUrl.replace('://', '://user:secret@') } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: '/body/config/base_url', message: 'must not carry credentials', code: 'invalid_url' }]);
  });

  it('balance is 422 balance_not_supported where the upstream has none', async () => {
    const shop = await h.createTenant('No balance');
    const sandbox = (await h.client.get('/v1/gateway-accounts?connector=sandbox', { auth: shop.testKey })).body.data[0];
    const res = await h.client.get(`/v1/gateway-accounts/${sandbox.id}/balance`, { auth: shop.testKey });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('balance_not_supported');
  });

  it('a base_url on a private address is refused when the operator has not allowed it', async () => {
    const guarded = await startHarness({ ALLOW_PRIVATE_WEBHOOK_URLS: 'false' });
    try {
      const shop = await guarded.createTenant('Guarded');
      const res = await guarded.client.post('/v1/gateway-accounts', {
        auth: shop.testKey,
        body: { connector: 'cryptopay', credentials: { token: emu.token }, config: { base_url: emu.baseUrl } },
      });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('url_not_allowed');
      expect(res.body.errors[0]).toMatchObject({ field: '/body/config/base_url', message: expect.stringContaining('WEBHOOK_ALLOWED_HOSTS') });
      expect(emu.requests.filter((r) => r.apiMethod === 'getMe' && r.headers['crypto-pay-api-token'] === emu.token).length).toBeGreaterThanOrEqual(0);
    } finally {
      await guarded.close();
    }
  });
});

describe('acknowledged upstream webhooks survive a crash', () => {
  it('a webhook stored and acknowledged while no worker runs (and whose job is lost) is processed once a worker starts', async () => {
    const shop = await h.createTenant('Crash');
    const account = (await connect(shop.testKey)).body;
    const inv = (await h.client.post('/v1/invoices', { auth: shop.testKey, body: { gateway: 'cryptopay', amount: '1', currency: 'USDT' } })).body;
    await h.core.db('invoices').where({ id: inv.id }).update({ next_reconcile_at: new Date(Date.now() + 3600_000) });
    emu.pay(Number(inv.gateway.upstream_id));
    const appUrl = await h.listen();
    const answer = await emu.sendWebhook(Number(inv.gateway.upstream_id), `${appUrl}/hooks/cryptopay/${account.id}`);
    expect(answer.status).toBe(200);
    // The process died right after answering: its queued job is gone, only the stored row remains.
    const { Queue } = await import('bullmq');
    const queue = new Queue('upstream-webhooks', { connection: { url: h.config.redisUrl }, prefix: h.config.queuePrefix });
    await queue.obliterate({ force: true });
    await queue.close();
    expect((await h.client.get(`/v1/invoices/${inv.id}`, { auth: shop.testKey })).body.status).toBe('pending');
    const worker = await startWorker(h.core);
    try {
      await eventually(async () => expect((await h.client.get(`/v1/invoices/${inv.id}`, { auth: shop.testKey })).body.status).toBe('paid'), { timeoutMs: 20_000 });
    } finally {
      await worker.close();
    }
  });
});
