// The client against the real app over real HTTP: every call, paging, and the errors it throws.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Switchyard, SwitchyardError, type Invoice } from '@switchyard/client';
import { startHarness, type Harness } from '../../test/helpers/harness.js';
import { createShop, type Shop } from '../../test/helpers/factories.js';
import { startCryptoPayEmulator } from '../../test/emulators/cryptopay.js';
import { specCheckedFetch } from './helpers/spec-fetch.js';

let h: Harness;
let baseUrl: string;
let checked: ReturnType<typeof specCheckedFetch>;

beforeAll(async () => {
  h = await startHarness();
  baseUrl = await h.listen();
  checked = specCheckedFetch();
});
afterAll(() => h?.close());
afterEach(() => {
  // Every answer the client got matched the OpenAPI document.
  expect(checked.mismatches).toEqual([]);
});

/** A client for a fresh tenant (test mode), so tests never see each other's objects. */
async function newClient(opts: { mode?: 'test' | 'live' } = {}): Promise<{ sy: Switchyard; shop: Shop }> {
  const shop = await createShop(h, 'SDK shop');
  const sy = new Switchyard({ apiKey: opts.mode === 'live' ? shop.liveKey : shop.testKey, baseUrl, fetch: checked.fetch });
  return { sy, shop };
}

/** The error a call rejects with (failing the test when it resolves). */
async function failure(call: Promise<unknown>): Promise<SwitchyardError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SwitchyardError);
  return err as SwitchyardError;
}

describe('invoices', () => {
  it('creates, gets, cancels, and reads the checkout', async () => {
    const { sy } = await newClient();
    const created = await sy.invoices.create({ amount: '9.99', currency: 'USD', description: 'Sticker pack', metadata: { order: 42 } });
    expect(created).toMatchObject({ object: 'invoice', status: 'pending', amount: '9.99', currency: 'USD', livemode: false, metadata: { order: 42 } });
    expect(created.checkout_url).toMatch(/\/checkout\/[A-Za-z0-9_-]{32}$/);
    // Every create carries an Idempotency-Key the client made (a UUID v4).
    const post = checked.requests.findLast((r) => r.method === 'POST' && r.url.pathname === '/v1/invoices')!;
    expect(post.headers.get('idempotency-key')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(post.headers.get('authorization')).toMatch(/^Bearer sy_test_/);

    expect(await sy.invoices.get(created.id)).toEqual(created);
    const checkout = await sy.invoices.checkout(created.id);
    expect(checkout).toMatchObject({ object: 'invoice_checkout', url: created.checkout_url });

    const cancelled = await sy.invoices.cancel(created.id);
    expect(cancelled.status).toBe('cancelled');
    const again = await failure(sy.invoices.cancel(created.id));
    expect(again).toMatchObject({ status: 409, code: 'invoice_not_cancellable' });
  });

  it('a caller-given Idempotency-Key replays the first answer instead of creating twice', async () => {
    const { sy } = await newClient();
    const first = await sy.invoices.create({ amount: '3.00', currency: 'EUR' }, { idempotencyKey: 'order-7' });
    const second = await sy.invoices.create({ amount: '3.00', currency: 'EUR' }, { idempotencyKey: 'order-7' });
    expect(second.id).toBe(first.id);
    const conflict = await failure(sy.invoices.create({ amount: '4.00', currency: 'EUR' }, { idempotencyKey: 'order-7' }));
    expect(conflict).toMatchObject({ status: 422, code: 'idempotency_conflict' });
    expect((await sy.invoices.listPage()).data).toHaveLength(1);
  });

  it('list() walks every page with starting_after until has_more is false; listPage() gives one page', async () => {
    const { sy } = await newClient();
    const made: Invoice[] = [];
    for (let i = 0; i < 7; i++) made.push(await sy.invoices.create({ amount: `${i + 1}.00`, currency: 'USD', external_id: `page-${i}` }));
    const newestFirst = made.map((i) => i.id).reverse();

    const before = checked.requests.length;
    const seen: string[] = [];
    for await (const invoice of sy.invoices.list({ limit: 3 })) seen.push(invoice.id);
    expect(seen).toEqual(newestFirst);
    const pages = checked.requests.slice(before).map((r) => r.url.searchParams);
    expect(pages.map((q) => q.get('starting_after'))).toEqual([null, newestFirst[2], newestFirst[5]]);
    expect(pages.every((q) => q.get('limit') === '3')).toBe(true);

    const page = await sy.invoices.listPage({ limit: 3, starting_after: newestFirst[2] });
    expect(page).toMatchObject({ object: 'list', has_more: true });
    expect(page.data.map((i) => i.id)).toEqual(newestFirst.slice(3, 6));

    // Filters pass through; breaking out of the loop stops fetching.
    const filtered: string[] = [];
    for await (const invoice of sy.invoices.list({ external_id: 'page-4' })) filtered.push(invoice.id);
    expect(filtered).toEqual([made[4]!.id]);
    const beforeBreak = checked.requests.length;
    for await (const invoice of sy.invoices.list({ limit: 1 })) {
      expect(invoice.id).toBe(newestFirst[0]);
      break;
    }
    expect(checked.requests.length - beforeBreak).toBe(1);
  });

  it('simulates a sandbox payment and syncs', async () => {
    const { sy } = await newClient();
    const invoice = await sy.invoices.create({ amount: '12.50', currency: 'USD' });
    const paid = await sy.invoices.simulate(invoice.id, { status: 'paid' });
    expect(paid).toMatchObject({ status: 'paid', paid: { amount: '12.50', currency: 'USD' } });
    expect((await sy.invoices.sync(invoice.id)).status).toBe('paid');
  });
});

describe('errors', () => {
  it('validation_failed carries every offending field in errors[] and the request id', async () => {
    const { sy } = await newClient();
    const err = await failure(sy.invoices.create({ amount: 'ten', currency: 'USD' }));
    expect(err).toMatchObject({ status: 422, code: 'validation_failed', title: expect.any(String), type: expect.stringMatching(/^https?:\/\//) });
    expect(err.errors?.map((e) => e.field)).toEqual(['/body/amount']);
    expect(err.errors?.[0]).toMatchObject({ path: err.errors?.[0]?.field, message: expect.any(String) });
    expect(err.requestId).toMatch(/\S/);
    expect(err.requestId).toBe(err.headers.get('x-request-id'));
    expect(err.message).toContain(err.title);
  });

  it('not_found for an unknown id and for another tenant’s or mode’s object', async () => {
    const { sy, shop } = await newClient();
    expect(await failure(sy.invoices.get(`inv_${'0'.repeat(26)}`))).toMatchObject({ status: 404, code: 'not_found' });
    const mine = await sy.invoices.create({ amount: '1.00', currency: 'USD' });
    const live = new Switchyard({ apiKey: shop.liveKey, baseUrl, fetch: checked.fetch });
    expect(await failure(live.invoices.get(mine.id))).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('unauthorized for a wrong key, and is not retried', async () => {
    const sy = new Switchyard({ apiKey: 'sy_test_not-a-real-key', baseUrl, fetch: checked.fetch });
    const before = checked.requests.length;
    expect(await failure(sy.invoices.listPage())).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(checked.requests.length - before).toBe(1);
  });

  it('refuses bad options at construction', () => {
    expect(() => new Switchyard({ apiKey: '', baseUrl })).toThrow(TypeError);
    expect(() => new Switchyard({ apiKey: 'sy_test_x', baseUrl: '127.0.0.1:3000' })).toThrow(/baseUrl/);
    expect(() => new Switchyard({ apiKey: 'sy_test_x', baseUrl, maxRetries: -1 })).toThrow(/maxRetries/);
  });
});

describe('the other resources', () => {
  it('webhook endpoints: create (with its secret), get, list, update, rotate, delete', async () => {
    const { sy } = await newClient();
    const endpoint = await sy.webhookEndpoints.create({ url: 'http://127.0.0.1:9/hook', events: ['invoice.paid'], description: 'orders' });
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(await sy.webhookEndpoints.get(endpoint.id)).toMatchObject({ id: endpoint.id, events: ['invoice.paid'], description: 'orders' });
    const all = [];
    for await (const e of sy.webhookEndpoints.list()) all.push(e.id);
    expect(all).toEqual([endpoint.id]);
    expect(await sy.webhookEndpoints.update(endpoint.id, { enabled: false })).toMatchObject({ enabled: false });
    const rotated = await sy.webhookEndpoints.rotateSecret(endpoint.id);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect(await sy.webhookEndpoints.delete(endpoint.id)).toEqual({ id: endpoint.id, object: 'webhook_endpoint', deleted: true });
  });

  it('events: list, get, deliveries, redeliver', async () => {
    const { sy } = await newClient();
    const invoice = await sy.invoices.create({ amount: '2.00', currency: 'USD' });
    const events = [];
    for await (const e of sy.events.list({ type: 'invoice.created' })) events.push(e);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ id: invoice.id });
    expect((await sy.events.get(events[0]!.id)).type).toBe('invoice.created');
    expect(await sy.events.deliveries(events[0]!.id)).toMatchObject({ object: 'list', data: [] });
    // No endpoint would receive it.
    expect(await failure(sy.events.redeliver(events[0]!.id))).toMatchObject({ status: 422, code: 'no_endpoints' });
  });

  it('gateway accounts, connectors and checkout settings', async () => {
    const { sy } = await newClient();
    const connectors = [];
    for await (const c of sy.connectors.list()) connectors.push(c.id);
    expect(connectors).toContain('sandbox');

    const cryptoPay = await startCryptoPayEmulator();
    try {
      const account = await sy.gatewayAccounts.create({ connector: 'cryptopay', name: 'Crypto Pay', credentials: cryptoPay.account.credentials, config: cryptoPay.account.config });
      expect(account).toMatchObject({ object: 'gateway_account', connector: 'cryptopay', name: 'Crypto Pay' });
      expect(JSON.stringify(account)).not.toContain(String(cryptoPay.account.credentials.token));
      expect((await sy.gatewayAccounts.get(account.id)).id).toBe(account.id);
      const ids = [];
      for await (const a of sy.gatewayAccounts.list({ connector: 'cryptopay' })) ids.push(a.id);
      expect(ids).toEqual([account.id]);
      expect(await sy.gatewayAccounts.balance(account.id)).toMatchObject({ object: 'balance', account_id: account.id });
      expect(await sy.gatewayAccounts.update(account.id, { priority: 5 })).toMatchObject({ priority: 5 });
      expect(await sy.gatewayAccounts.delete(account.id)).toMatchObject({ id: account.id, deleted: true });
      // The sandbox is built in: creating one is refused.
      expect(await failure(sy.gatewayAccounts.create({ connector: 'sandbox', credentials: {} }))).toMatchObject({ status: 422, code: 'validation_failed' });
    } finally {
      await cryptoPay.stop();
    }

    expect(await sy.checkoutSettings.update({ display_name: 'Acme Stickers' })).toMatchObject({ display_name: 'Acme Stickers' });
    expect(await sy.checkoutSettings.get()).toMatchObject({ object: 'checkout_settings', display_name: 'Acme Stickers' });
  });
});
