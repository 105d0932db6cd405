import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import supertest from 'supertest';
import { eventually, startHarness, type Harness } from './helpers/harness.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { addWebhookEndpoint, createShop } from './helpers/factories.js';
import { startWorker, type RunningWorker } from '../src/jobs/worker.js';

let h: Harness;
let worker: RunningWorker;
let receiver: Receiver;

beforeAll(async () => {
  h = await startHarness({
    // Short schedule and timeout so retries happen within a test; the production default is data too.
    WEBHOOK_RETRY_SCHEDULE: '0,0,0',
    WEBHOOK_TIMEOUT_MS: '1000',
    OUTBOX_POLL_MS: '200',
    DELIVERY_SWEEP_MS: '500',
    DELIVERY_SWEEP_GRACE_MS: '1000',
  });
  receiver = await startReceiver();
  worker = await startWorker(h.core);
});
afterAll(async () => {
  await worker?.close();
  await receiver?.close();
  await h?.close();
});

/** A fresh tenant with one endpoint on its own receiver path, so tests never see each other's traffic. */
async function setup(opts: { events?: string[]; enabled?: boolean } = {}) {
  const shop = await createShop(h, 'Hooked');
  const path = `/hook/${randomBytes(6).toString('hex')}`;
  const endpoint = await addWebhookEndpoint(h, shop.testKey, { url: receiver.url(path), description: 'orders', ...opts });
  return { shop, path, endpoint };
}

const createInvoice = async (key: string) =>
  (await h.client.post('/v1/invoices', { auth: key, body: { amount: '9.99', currency: 'USD', metadata: { order: 7 } } })).body as { id: string };

const deliveriesOf = async (key: string, eventId: string) => (await h.client.get(`/v1/events/${eventId}/deliveries`, { auth: key })).body.data;

const eventIdFor = async (key: string, type: string) => {
  const list = await h.client.get(`/v1/events?type=${type}`, { auth: key });
  return list.body.data[0].id as string;
};

describe('webhook endpoints API', () => {
  it('creates an endpoint with a whsec_ secret shown once', async () => {
    const { shop, endpoint } = await setup({ events: ['invoice.paid'] });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(endpoint.secret.slice(6), 'base64')).toHaveLength(32);
    const got = await h.client.get(`/v1/webhook-endpoints/${endpoint.id}`, { auth: shop.testKey });
    expect(got.body).toMatchObject({ id: endpoint.id, object: 'webhook_endpoint', events: ['invoice.paid'], enabled: true, livemode: false });
    expect(got.body).not.toHaveProperty('secret');
    const list = await h.client.get('/v1/webhook-endpoints', { auth: shop.testKey });
    expect(list.body.data.map((e: { id: string }) => e.id)).toEqual([endpoint.id]);
    expect(JSON.stringify(list.body)).not.toContain(endpoint.secret);
    // At rest the secret is encrypted.
    const row = await h.core.db('webhook_endpoints').where({ id: endpoint.id }).first();
    expect(JSON.stringify(row)).not.toContain(endpoint.secret.slice(6));
  });

  it('answers that carry a whsec_ secret may not be cached: create, its idempotent replay, rotate (Cache-Control: no-store)', async () => {
    const shop = await h.createTenant('Uncached secrets');
    const create = () => h.client.post('/v1/webhook-endpoints', { auth: shop.testKey, body: { url: receiver.url('/no-store') }, headers: { 'Idempotency-Key': 'no-store-1' } });
    const created = await create();
    expect(created.status).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const replayed = await create();
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.headers['cache-control']).toBe('no-store');
    const rotated = await h.client.post(`/v1/webhook-endpoints/${created.body.id}/rotate-secret`, { auth: shop.testKey });
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.headers['cache-control']).toBe('no-store');
    // Reading the endpoint shows no secret, and keeps the default caching.
    expect((await h.client.get(`/v1/webhook-endpoints/${created.body.id}`, { auth: shop.testKey })).headers['cache-control']).toBeUndefined();
  });

  it('honours Idempotency-Key, and the kept answer (with its secret) is encrypted at rest', async () => {
    const shop = await h.createTenant('Idempotent hooks');
    const send = () => h.client.post('/v1/webhook-endpoints', { auth: shop.testKey, body: { url: receiver.url('/idem') }, headers: { 'Idempotency-Key': 'ep-1' } });
    const first = await send();
    const again = await send();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await h.client.get('/v1/webhook-endpoints', { auth: shop.testKey })).body.data).toHaveLength(1);
    const stored = await h.core.db('idempotency_keys').where({ tenant_id: shop.id }).first();
    expect(JSON.stringify(stored)).not.toContain(first.body.secret.slice(6));
  });

  it('updates, disables, re-enables and deletes', async () => {
    const { shop, endpoint } = await setup();
    const path = `/v1/webhook-endpoints/${endpoint.id}`;
    const patched = await h.client.patch(path, { auth: shop.testKey, body: { events: ['invoice.paid', 'invoice.expired'], description: null, enabled: false } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ events: ['invoice.paid', 'invoice.expired'], description: null, enabled: false });
    expect((await h.client.patch(path, { auth: shop.testKey, body: { events: null, enabled: true } })).body).toMatchObject({ events: null, enabled: true });
    const deleted = await h.client.delete(path, { auth: shop.testKey });
    expect(deleted.body).toEqual({ id: endpoint.id, object: 'webhook_endpoint', deleted: true });
    expect((await h.client.get(path, { auth: shop.testKey })).status).toBe(404);
  });

  it.each([
    ['not a URL', 'not a url'],
    ['ftp', 'ftp://example.com/hook'],
    ['relative', '/hook'],
  ])('refuses a bad url (%s) with 422', async (_name, url) => {
    const shop = await h.createTenant('Bad URLs');
    const res = await h.client.post('/v1/webhook-endpoints', { auth: shop.testKey, body: { url } });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('/body/url');
  });

  it('refuses unknown event types, unknown fields and empty updates', async () => {
    const { shop, endpoint } = await setup();
    expect((await h.client.post('/v1/webhook-endpoints', { auth: shop.testKey, body: { url: receiver.url('/x'), events: ['invoice.exploded'] } })).status).toBe(422);
    expect((await h.client.post('/v1/webhook-endpoints', { auth: shop.testKey, body: { url: receiver.url('/x'), secret: 'mine' } })).status).toBe(422);
    expect((await h.client.patch(`/v1/webhook-endpoints/${endpoint.id}`, { auth: shop.testKey, body: {} })).status).toBe(422);
  });

  it('another tenant gets 404 for the endpoint on every endpoint route', async () => {
    const { endpoint } = await setup();
    const other = await h.createTenant('Other');
    const base = `/v1/webhook-endpoints/${endpoint.id}`;
    for (const res of [
      await h.client.get(base, { auth: other.testKey }),
      await h.client.patch(base, { auth: other.testKey, body: { enabled: false } }),
      await h.client.delete(base, { auth: other.testKey }),
      await h.client.post(`${base}/rotate-secret`, { auth: other.testKey }),
      await h.client.post(`${base}/test`, { auth: other.testKey }),
    ]) expect(res.status).toBe(404);
  });
});

describe('delivery', () => {
  it('delivers invoice events signed per Standard Webhooks, verified by the official library', async () => {
    const { shop, path, endpoint } = await setup();
    const invoice = await createInvoice(shop.testKey);
    await h.client.post(`/v1/invoices/${invoice.id}/simulate`, { auth: shop.testKey, body: { status: 'paid' } });
    await eventually(async () => expect(receiver.on(path)).toHaveLength(2));
    const wh = new Webhook(endpoint.secret);
    const bodies = receiver.on(path).map((r) => {
      const verified = wh.verify(r.body, r.headers as Record<string, string>) as Record<string, unknown>;
      expect(r.headers['webhook-id']).toBe(verified.id);
      expect(r.headers['content-type']).toBe('application/json');
      return JSON.parse(r.body);
    });
    const types = bodies.map((b) => b.type).sort();
    expect(types).toEqual(['invoice.created', 'invoice.paid']);
    const paid = bodies.find((b) => b.type === 'invoice.paid');
    expect(Object.keys(paid).sort()).toEqual(['data', 'id', 'timestamp', 'type']);
    expect(paid.id).toMatch(/^evt_/);
    expect(paid.data).toMatchObject({ id: invoice.id, object: 'invoice', status: 'paid', metadata: { order: 7 }, paid: { amount: '9.99' } });
    // The event log says the same, with one successful attempt (recorded once the answer is read).
    const deliveries = await eventually(async () => {
      const d = await deliveriesOf(shop.testKey, paid.id);
      expect(d[0]?.status).toBe('succeeded');
      return d;
    });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ status: 'succeeded', attempt_count: 1, endpoint_id: endpoint.id, next_attempt_at: null });
    expect(deliveries[0].attempts[0]).toMatchObject({ attempt: 1, succeeded: true, status_code: 200, response_body: 'ok', error: null });
  });

  it('a forged or tampered delivery would not verify', async () => {
    const { shop, path, endpoint } = await setup();
    await createInvoice(shop.testKey);
    await eventually(async () => expect(receiver.on(path)).toHaveLength(1));
    const r = receiver.on(path)[0]!;
    const headers = r.headers as Record<string, string>;
    expect(() => new Webhook(endpoint.secret).verify(r.body.replace('9.99', '0.01'), headers)).toThrow();
    expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(r.body, headers)).toThrow();
  });

  it('500 twice then 200: three attempts recorded, delivered once', async () => {
    const { shop, path } = await setup({ events: ['invoice.created'] });
    receiver.respond(path, { status: 500, body: 'boom' }, { status: 500, body: 'boom again' });
    await createInvoice(shop.testKey);
    await eventually(async () => expect(receiver.on(path)).toHaveLength(3));
    const eventId = await eventIdFor(shop.testKey, 'invoice.created');
    const [delivery] = await eventually(async () => {
      const d = await deliveriesOf(shop.testKey, eventId);
      expect(d[0].status).toBe('succeeded');
      return d;
    });
    expect(delivery.attempts.map((a: { status_code: number; succeeded: boolean }) => [a.status_code, a.succeeded])).toEqual([
      [500, false],
      [500, false],
      [200, true],
    ]);
    expect(delivery.attempts[0]).toMatchObject({ error: 'HTTP 500', response_body: 'boom' });
    // Same event id and body on every retry; each attempt carries its own timestamp header.
    const ids = new Set(receiver.on(path).map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    expect(new Set(receiver.on(path).map((r) => r.body)).size).toBe(1);
  });

  it('a receiver that hangs past the timeout is retried', async () => {
    const { shop, path } = await setup({ events: ['invoice.created'] });
    receiver.respond(path, 'hang');
    await createInvoice(shop.testKey);
    const eventId = await eventIdFor(shop.testKey, 'invoice.created');
    const [delivery] = await eventually(
      async () => {
        const d = await deliveriesOf(shop.testKey, eventId);
        expect(d[0].status).toBe('succeeded');
        return d;
      },
      { timeoutMs: 15_000 },
    );
    expect(delivery.attempts[0]).toMatchObject({ succeeded: false, status_code: null, error: 'timeout after 1000 ms' });
    expect(delivery.attempts.at(-1)).toMatchObject({ succeeded: true });
  });

  it('a 3xx is a failure and the redirect target is never requested', async () => {
    const { shop, path } = await setup({ events: ['invoice.created'] });
    const target = `/redirect-target/${randomBytes(4).toString('hex')}`;
    receiver.always(path, { status: 302, headers: { Location: receiver.url(target) } });
    await createInvoice(shop.testKey);
    const eventId = await eventIdFor(shop.testKey, 'invoice.created');
    const [delivery] = await eventually(async () => {
      const d = await deliveriesOf(shop.testKey, eventId);
      expect(d[0].status).toBe('failed');
      return d;
    });
    // Schedule 0,0,0: three attempts, all failed, then given up.
    expect(delivery.attempts).toHaveLength(3);
    expect(delivery.attempts[0]).toMatchObject({ status_code: 302, error: 'redirect (302) not followed' });
    expect(receiver.on(target)).toHaveLength(0);
  });

  it('respects event filters, disabled endpoints and tenant boundaries', async () => {
    const a = await setup({ events: ['invoice.paid'] });
    const disabled = await setup({ enabled: false });
    const b = await setup();
    const invoice = await createInvoice(a.shop.testKey);
    await h.client.post(`/v1/invoices/${invoice.id}/simulate`, { auth: a.shop.testKey, body: { status: 'paid' } });
    await createInvoice(disabled.shop.testKey);
    await eventually(async () => expect(receiver.on(a.path)).toHaveLength(1));
    // Flush: once the outbox holds nothing unrelayed and no delivery is pending, nothing more can arrive.
    const tenants = [a.shop.id, disabled.shop.id, b.shop.id];
    await eventually(async () => {
      expect(await h.core.db('event_outbox').join('events', 'events.id', 'event_outbox.event_id').whereIn('events.tenant_id', tenants).count('* as n')).toEqual([{ n: '0' }]);
      expect(await h.core.db('deliveries').whereIn('tenant_id', tenants).where({ status: 'pending' }).count('* as n')).toEqual([{ n: '0' }]);
    });
    expect(JSON.parse(receiver.on(a.path)[0]!.body).type).toBe('invoice.paid');
    expect(receiver.on(disabled.path)).toHaveLength(0);
    expect(receiver.on(b.path)).toHaveLength(0);
  });

  it('rotation: new deliveries verify with the new secret and, during the grace period, the old one', async () => {
    const { shop, path, endpoint } = await setup({ events: ['invoice.created'] });
    const rotated = await h.client.post(`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, { auth: shop.testKey });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    await createInvoice(shop.testKey);
    await eventually(async () => expect(receiver.on(path)).toHaveLength(1));
    const r = receiver.on(path)[0]!;
    expect(String(r.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(() => new Webhook(rotated.body.secret).verify(r.body, r.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(endpoint.secret).verify(r.body, r.headers as Record<string, string>)).not.toThrow();
    // After the grace period only the new secret signs.
    await h.core.db('webhook_endpoints').where({ id: endpoint.id }).update({ previous_secret_expires_at: new Date(Date.now() - 1000) });
    // The row was changed behind the service's back: drop the worker's cached copy as the service would.
    await h.core.endpointCache.changed(endpoint.id);
    await createInvoice(shop.testKey);
    await eventually(async () => expect(receiver.on(path)).toHaveLength(2));
    const later = receiver.on(path)[1]!;
    expect(String(later.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() => new Webhook(endpoint.secret).verify(later.body, later.headers as Record<string, string>)).toThrow();
    expect(() => new Webhook(rotated.body.secret).verify(later.body, later.headers as Record<string, string>)).not.toThrow();
  });

  it('POST /test sends a webhook.test event to that endpoint only, now', async () => {
    const { shop, path, endpoint } = await setup({ events: ['invoice.paid'] });
    const second = await h.client.post('/v1/webhook-endpoints', { auth: shop.testKey, body: { url: receiver.url(`${path}-2`) } });
    const res = await h.client.post(`/v1/webhook-endpoints/${endpoint.id}/test`, { auth: shop.testKey });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ object: 'event', type: 'webhook.test', data: { object: 'webhook_test', endpoint_id: endpoint.id } });
    await eventually(async () => expect(receiver.on(path)).toHaveLength(1));
    expect(JSON.parse(receiver.on(path)[0]!.body)).toMatchObject({ id: res.body.id, type: 'webhook.test' });
    expect(receiver.on(`${path}-2`)).toHaveLength(0);
    await h.client.patch(`/v1/webhook-endpoints/${second.body.id}`, { auth: shop.testKey, body: { enabled: false } });
    const disabledTest = await h.client.post(`/v1/webhook-endpoints/${second.body.id}/test`, { auth: shop.testKey });
    expect(disabledTest.status).toBe(409);
    expect(disabledTest.body.code).toBe('endpoint_disabled');
  });

  it('a delivery that exhausts the schedule is failed and can be redelivered by hand', async () => {
    const { shop, path, endpoint } = await setup({ events: ['invoice.created'] });
    receiver.respond(path, { status: 503 }, { status: 503 }, { status: 503 });
    await createInvoice(shop.testKey);
    const eventId = await eventIdFor(shop.testKey, 'invoice.created');
    await eventually(async () => expect((await deliveriesOf(shop.testKey, eventId))[0].status).toBe('failed'));
    const redelivered = await h.client.post(`/v1/events/${eventId}/redeliver`, { auth: shop.testKey, body: { endpoint_id: endpoint.id } });
    expect(redelivered.status).toBe(202);
    expect(redelivered.body.data).toEqual([expect.objectContaining({ origin: 'manual', endpoint_id: endpoint.id, status: 'pending' })]);
    await eventually(async () => {
      const d = await deliveriesOf(shop.testKey, eventId);
      expect(d.map((x: { origin: string; status: string }) => [x.origin, x.status])).toEqual([
        ['manual', 'succeeded'],
        ['relay', 'failed'],
      ]);
    });
    expect(receiver.on(path)).toHaveLength(4);
    await h.client.patch(`/v1/webhook-endpoints/${endpoint.id}`, { auth: shop.testKey, body: { enabled: false } });
    const toDisabled = await h.client.post(`/v1/events/${eventId}/redeliver`, { auth: shop.testKey, body: { endpoint_id: endpoint.id } });
    expect(toDisabled.status).toBe(422);
    expect(toDisabled.body.code).toBe('no_endpoints');
  });

  it('an endpoint that keeps failing past the limit is disabled with a reason', async () => {
    const h2 = await startHarness({ WEBHOOK_RETRY_SCHEDULE: '0,0', WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_DISABLE_AFTER_HOURS: '0.000001', OUTBOX_POLL_MS: '200' });
    const w2 = await startWorker(h2.core);
    try {
      const shop = await h2.createTenant('Flaky');
      const path = `/hook/${randomBytes(6).toString('hex')}`;
      receiver.always(path, { status: 500 });
      const ep = await h2.client.post('/v1/webhook-endpoints', { auth: shop.testKey, body: { url: receiver.url(path) } });
      await h2.client.post('/v1/invoices', { auth: shop.testKey, body: { amount: '1', currency: 'USD' } });
      await eventually(async () => {
        const got = await h2.client.get(`/v1/webhook-endpoints/${ep.body.id}`, { auth: shop.testKey });
        expect(got.body.enabled).toBe(false);
        expect(got.body.disabled_reason).toMatch(/kept failing since/);
      });
      const reenabled = await h2.client.patch(`/v1/webhook-endpoints/${ep.body.id}`, { auth: shop.testKey, body: { enabled: true } });
      expect(reenabled.body).toMatchObject({ enabled: true, disabled_reason: null, disabled_at: null });
    } finally {
      await w2.close();
      await h2.close();
    }
  });

  it('the tenant hears of a disabled endpoint: one webhook_endpoint.disabled event, sent to its other subscribed endpoints only', async () => {
    const h2 = await startHarness({ WEBHOOK_RETRY_SCHEDULE: '0,0', WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_DISABLE_AFTER_HOURS: '0.000001', OUTBOX_POLL_MS: '200' });
    const w2 = await startWorker(h2.core);
    try {
      const shop = await h2.createTenant('Watching');
      const other = await h2.createTenant('Bystander');
      const paths = Object.fromEntries(['failing', 'watcher', 'everything', 'invoicesOnly', 'otherTenant'].map((n) => [n, `/hook/${n}-${randomBytes(6).toString('hex')}`]));
      receiver.always(paths.failing!, { status: 502, body: 'bad gateway' });
      const add = async (key: string, path: string, events?: string[]) =>
        (await h2.client.post('/v1/webhook-endpoints', { auth: key, body: { url: receiver.url(path), ...(events ? { events } : {}) } })).body as { id: string };
      const failing = await add(shop.testKey, paths.failing!, ['invoice.created']);
      await add(shop.testKey, paths.watcher!, ['webhook_endpoint.disabled']);
      await add(shop.testKey, paths.everything!);
      await add(shop.testKey, paths.invoicesOnly!, ['invoice.paid']);
      await add(other.testKey, paths.otherTenant!);

      // Several failing deliveries at once: the endpoint is disabled once, and the event written once.
      await Promise.all([1, 2, 3].map(() => h2.client.post('/v1/invoices', { auth: shop.testKey, body: { amount: '1', currency: 'USD' } })));
      const disabled = await eventually(async () => {
        const got = await h2.client.get(`/v1/webhook-endpoints/${failing.id}`, { auth: shop.testKey });
        expect(got.body).toMatchObject({ enabled: false, disabled_reason: expect.stringMatching(/^deliveries kept failing since .+; last attempt: HTTP 502$/) });
        expect(Date.parse(got.body.disabled_at)).not.toBeNaN();
        return got.body;
      });

      const received = await eventually(async () => {
        const got = receiver.on(paths.watcher!);
        expect(got).toHaveLength(1);
        return got[0]!;
      });
      const body = JSON.parse(received.body);
      expect(body).toMatchObject({ type: 'webhook_endpoint.disabled', data: disabled });
      expect(body.data).not.toHaveProperty('secret');
      await eventually(async () => expect(receiver.on(paths.everything!).filter((r) => JSON.parse(r.body).type === 'webhook_endpoint.disabled')).toHaveLength(1));

      const events = await h2.client.get('/v1/events?type=webhook_endpoint.disabled', { auth: shop.testKey });
      expect(events.body.data).toHaveLength(1);
      expect(events.body.data[0]).toMatchObject({ id: body.id, type: 'webhook_endpoint.disabled', livemode: false, data: { id: failing.id, object: 'webhook_endpoint' } });
      // Nothing for the endpoint that was disabled, one that subscribes to other types only, or another tenant.
      await eventually(async () => expect(await h2.core.db('event_outbox').count('* as n')).toEqual([{ n: '0' }]));
      expect(receiver.on(paths.failing!).every((r) => JSON.parse(r.body).type === 'invoice.created')).toBe(true);
      expect(receiver.on(paths.invoicesOnly!)).toHaveLength(0);
      expect(receiver.on(paths.otherTenant!).filter((r) => JSON.parse(r.body).type === 'webhook_endpoint.disabled')).toHaveLength(0);
      expect((await h2.client.get('/v1/events?type=webhook_endpoint.disabled', { auth: other.testKey })).body.data).toHaveLength(0);
    } finally {
      await w2.close();
      await h2.close();
    }
  });

  it('an endpoint disabled by hand says when, and no event is sent', async () => {
    const { shop, endpoint } = await setup();
    const off = await h.client.patch(`/v1/webhook-endpoints/${endpoint.id}`, { auth: shop.testKey, body: { enabled: false } });
    expect(off.body).toMatchObject({ enabled: false, disabled_reason: null });
    expect(Date.parse(off.body.disabled_at)).toBeGreaterThan(Date.now() - 60_000);
    expect((await h.client.get('/v1/events?type=webhook_endpoint.disabled', { auth: shop.testKey })).body.data).toHaveLength(0);
  });
});

describe('events API', () => {
  it('lists (newest first, filter by type) and gets events; other tenants and modes see none', async () => {
    const { shop } = await setup();
    const invoice = await createInvoice(shop.testKey);
    await h.client.post(`/v1/invoices/${invoice.id}/cancel`, { auth: shop.testKey });
    const all = await h.client.get('/v1/events', { auth: shop.testKey });
    expect(all.body.data.map((e: { type: string }) => e.type)).toEqual(['invoice.cancelled', 'invoice.created']);
    const cancelled = await h.client.get('/v1/events?type=invoice.cancelled', { auth: shop.testKey });
    expect(cancelled.body.data).toHaveLength(1);
    const one = await h.client.get(`/v1/events/${cancelled.body.data[0].id}`, { auth: shop.testKey });
    expect(one.body).toMatchObject({ object: 'event', type: 'invoice.cancelled', livemode: false, data: { id: invoice.id, status: 'cancelled' } });
    const other = await h.createTenant('Nosy');
    expect((await h.client.get(`/v1/events/${one.body.id}`, { auth: other.testKey })).status).toBe(404);
    expect((await h.client.get(`/v1/events/${one.body.id}/deliveries`, { auth: other.testKey })).status).toBe(404);
    expect((await h.client.post(`/v1/events/${one.body.id}/redeliver`, { auth: other.testKey })).status).toBe(404);
    expect((await h.client.get('/v1/events', { auth: shop.liveKey })).body.data).toEqual([]);
    expect((await h.client.get('/v1/events?type=invoice.exploded', { auth: shop.testKey })).status).toBe(422);
  });

  it('redeliver with no subscribed endpoint is 422 no_endpoints', async () => {
    const shop = await h.createTenant('No endpoints');
    await createInvoice(shop.testKey);
    const eventId = await eventIdFor(shop.testKey, 'invoice.created');
    const res = await h.client.post(`/v1/events/${eventId}/redeliver`, { auth: shop.testKey });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('no_endpoints');
  });

  it('exposes delivery metrics', async () => {
    const res = await supertest(h.app).get('/metrics');
    expect(res.text).toMatch(/switchyard_webhook_deliveries_total\{outcome="succeeded"\} \d+/);
    expect(res.text).toContain('switchyard_webhook_attempt_duration_seconds_bucket');
    expect(res.text).toMatch(/switchyard_webhook_queue_jobs\{state="waiting"\} \d+/);
    expect(res.text).toMatch(/switchyard_webhook_oldest_undelivered_seconds \d/);
  });
});
