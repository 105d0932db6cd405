import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from './helpers/harness.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { startWorker, type RunningWorker } from '../src/jobs/worker.js';

/** With the guard on (ALLOW_PRIVATE_WEBHOOK_URLS=false), as in production. */
let h: Harness;
let worker: RunningWorker;
let receiver: Receiver;
let shop: { id: string; testKey: string; liveKey: string };

beforeAll(async () => {
  h = await startHarness({ ALLOW_PRIVATE_WEBHOOK_URLS: 'false', WEBHOOK_RETRY_SCHEDULE: '0', OUTBOX_POLL_MS: '200' });
  receiver = await startReceiver();
  worker = await startWorker(h.core);
  shop = await h.createTenant('Guarded');
});
afterAll(async () => {
  await worker?.close();
  await receiver?.close();
  await h?.close();
});

describe('outbound address guard', () => {
  it.each([
    ['loopback', 'http://127.0.0.1:8080/hook'],
    ['10/8', 'http://10.1.2.3/hook'],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['IPv6 loopback', 'http://[::1]/hook'],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/hook'],
    ['a hostname resolving to a private address', 'http://localhost/hook'],
    ['CGNAT', 'http://100.64.0.1/hook'],
    ['decimal-encoded loopback', 'http://2130706433/hook'],
  ])('refuses %s at registration with 422 url_not_allowed', async (_name, url) => {
    const res = await h.client.post('/v1/webhook-endpoints', { auth: shop.testKey, body: { url } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('url_not_allowed');
    expect(res.body.errors[0].field).toBe('/body/url');
    expect((await h.client.get('/v1/webhook-endpoints', { auth: shop.testKey })).body.data).toEqual([]);
  });

  it('the refusal names the settings that would allow the host', async () => {
    const res = await h.client.post('/v1/webhook-endpoints', { auth: shop.testKey, body: { url: 'http://10.1.2.3/hook' } });
    expect(res.status).toBe(422);
    for (const text of [res.body.detail, res.body.errors[0].message]) {
      expect(text).toContain('adding 10.1.2.3 (or its address range) to WEBHOOK_ALLOWED_HOSTS');
      expect(text).toContain('ALLOW_PRIVATE_WEBHOOK_URLS=true');
    }
  });

  it('checks again at send time: an endpoint whose name now resolves to a private address gets nothing', async () => {
    // Registered while public; then its DNS changed (rebinding). Simulated by pointing the row at localhost.
    const created = await h.client.post('/v1/webhook-endpoints', { auth: shop.testKey, body: { url: 'https://hooks.example.com/in' } });
    expect(created.status).toBe(201);
    await h.core.db('webhook_endpoints').where({ id: created.body.id }).update({ url: receiver.url('/rebound') });
    await h.client.post('/v1/invoices', { auth: shop.testKey, body: { amount: '1', currency: 'USD' } });
    const eventId = (await h.client.get('/v1/events?type=invoice.created', { auth: shop.testKey })).body.data[0].id;
    const [delivery] = await eventually(async () => {
      const d = (await h.client.get(`/v1/events/${eventId}/deliveries`, { auth: shop.testKey })).body.data;
      expect(d[0].status).toBe('failed');
      return d;
    });
    expect(delivery.attempts[0].error).toMatch(/^address not allowed/);
    expect(receiver.on('/rebound')).toHaveLength(0);
  });

  it('an operator allow-list lets chosen private ranges through', async () => {
    const allowed = await startHarness({ ALLOW_PRIVATE_WEBHOOK_URLS: 'false', WEBHOOK_ALLOWED_HOSTS: '127.0.0.0/8' });
    try {
      const tenant = await allowed.createTenant('Allow-listed');
      const res = await allowed.client.post('/v1/webhook-endpoints', { auth: tenant.testKey, body: { url: receiver.url('/allowed') } });
      expect(res.status).toBe(201);
      const other = await allowed.client.post('/v1/webhook-endpoints', { auth: tenant.testKey, body: { url: 'http://10.0.0.1/hook' } });
      expect(other.status).toBe(422);
    } finally {
      await allowed.close();
    }
  });

  it.each(['http://256.256.256.256/hook', 'http://999999999999/', 'http://0x100000000/', 'http://[::1/'])('a url WHATWG URL cannot parse (%s) is 422 naming /body/url, on create and on PATCH', async (url) => {
    const tenant = await h.createTenant('Unparseable url');
    const created = await h.client.post('/v1/webhook-endpoints', { auth: tenant.testKey, body: { url } });
    expect(created.status).toBe(422);
    expect(created.body.errors.map((e: { field: string }) => e.field)).toEqual(['/body/url']);
    const endpoint = await h.client.post('/v1/webhook-endpoints', { auth: tenant.testKey, body: { url: 'https://93.184.215.14/in' } });
    const patched = await h.client.patch(`/v1/webhook-endpoints/${endpoint.body.id}`, { auth: tenant.testKey, body: { url } });
    expect(patched.status).toBe(422);
    expect(patched.body.errors.map((e: { field: string }) => e.field)).toEqual(['/body/url']);
  });

  it('production requires https webhook URLs', async () => {
    const prod = await startHarness({ NODE_ENV: 'production', ALLOW_PRIVATE_WEBHOOK_URLS: 'true' });
    try {
      const tenant = await prod.createTenant('Prod');
      const res = await prod.client.post('/v1/webhook-endpoints', { auth: tenant.testKey, body: { url: 'http://hooks.example.com/in' } });
      expect(res.status).toBe(422);
      expect(res.body.errors[0]).toMatchObject({ field: '/body/url', message: 'must be an https URL' });
    } finally {
      await prod.close();
    }
  });
});
