// Retries, timeouts and idempotency keys: the real app behind a loopback proxy that drops answers,
// answers 429/503 or hangs on demand.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Switchyard, SwitchyardError, type SwitchyardOptions } from '@switchyard/client';
import { eventually, startHarness, type Harness } from '../../test/helpers/harness.js';
import { createShop, type Shop } from '../../test/helpers/factories.js';
import { problem, startFlakyProxy, type FlakyProxy } from './helpers/flaky-proxy.js';

let h: Harness;
let proxy: FlakyProxy;

beforeAll(async () => {
  h = await startHarness();
  proxy = await startFlakyProxy(await h.listen());
});
afterAll(async () => {
  await proxy?.close();
  await h?.close();
});
afterEach(() => {
  proxy.seen.length = 0;
});

/** A fresh tenant's client, talking through the proxy. */
async function newClient(opts: Partial<SwitchyardOptions> = {}): Promise<{ sy: Switchyard; shop: Shop }> {
  const shop = await createShop(h, 'Retry shop');
  return { sy: new Switchyard({ apiKey: shop.testKey, baseUrl: proxy.url, ...opts }), shop };
}

async function failure(call: Promise<unknown>): Promise<SwitchyardError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SwitchyardError);
  return err as SwitchyardError;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('idempotent retries', () => {
  it('an answer lost on the way is retried with the same Idempotency-Key: one invoice exists', async () => {
    const { sy, shop } = await newClient();
    proxy.fail('drop-answer');
    const invoice = await sy.invoices.create({ amount: '19.00', currency: 'USD', external_id: 'lost-answer' });

    const posts = proxy.seen.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    const key = posts[0]!.headers['idempotency-key'];
    expect(key).toMatch(UUID);
    expect(posts[1]!.headers['idempotency-key']).toBe(key);
    // The app had created it the first time; the retry got that answer again.
    expect(posts[1]).toMatchObject({ status: 201, replayed: 'true' });
    const rows = await h.core.db('invoices').where({ tenant_id: shop.id });
    expect(rows.map((r: { id: string }) => r.id)).toEqual([invoice.id]);
  });

  it('a 503 is retried with the same key; every call gets a key of its own', async () => {
    const { sy } = await newClient();
    proxy.fail(problem(503, 'not_ready', 'Not ready'));
    const first = await sy.webhookEndpoints.create({ url: 'http://127.0.0.1:9/a' });
    const second = await sy.webhookEndpoints.create({ url: 'http://127.0.0.1:9/b' });
    expect(first.id).not.toBe(second.id);
    const keys = proxy.seen.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).not.toBe(keys[0]);
    expect(proxy.seen.map((r) => r.status)).toEqual([503, 201, 201]);
  });

  it('a refund keeps the caller’s Idempotency-Key across a retry: refunded once', async () => {
    const { sy } = await newClient();
    const invoice = await sy.invoices.create({ amount: '5.00', currency: 'USD' });
    await sy.invoices.simulate(invoice.id, { status: 'paid' });
    proxy.seen.length = 0;
    proxy.fail('drop-answer');
    const refunded = await sy.invoices.refund(invoice.id, { reason: 'Out of stock' }, { idempotencyKey: 'refund-1' });
    expect(refunded.refunds).toHaveLength(1);
    expect(proxy.seen.map((r) => r.headers['idempotency-key'])).toEqual(['refund-1', 'refund-1']);
    expect(proxy.seen[1]).toMatchObject({ status: 200, replayed: 'true' });
  });
});

describe('when to retry', () => {
  it('429: waits as long as Retry-After says, then succeeds', async () => {
    const { sy } = await newClient();
    proxy.fail(problem(429, 'rate_limited', 'Too many requests', { 'Retry-After': '1', 'RateLimit-Reset': '1', 'RateLimit-Remaining': '0' }));
    const page = await sy.invoices.listPage();
    expect(page.data).toEqual([]);
    expect(proxy.seen.map((r) => r.status)).toEqual([429, 200]);
    expect(proxy.seen[1]!.at - proxy.seen[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('429 without Retry-After: RateLimit-Reset says when; a POST that must not run twice is retried too (nothing ran)', async () => {
    const { sy } = await newClient();
    const endpoint = await sy.webhookEndpoints.create({ url: 'http://127.0.0.1:9/r' });
    proxy.seen.length = 0;
    proxy.fail(problem(429, 'rate_limited', 'Too many requests', { 'RateLimit-Reset': '1' }));
    const rotated = await sy.webhookEndpoints.rotateSecret(endpoint.id);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(proxy.seen.map((r) => r.status)).toEqual([429, 200]);
    expect(proxy.seen[1]!.at - proxy.seen[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('429 asking for longer than maxRetryDelayMs is thrown at once, with its headers', async () => {
    const { sy } = await newClient({ maxRetryDelayMs: 2000 });
    proxy.fail(problem(429, 'rate_limited', 'Too many requests', { 'Retry-After': '30' }));
    const err = await failure(sy.invoices.listPage());
    expect(err).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(err.headers.get('retry-after')).toBe('30');
    expect(proxy.seen).toHaveLength(1);
  });

  it('never retries a 422 (or any other 4xx)', async () => {
    const { sy } = await newClient();
    const err = await failure(sy.invoices.create({ amount: '-1', currency: 'USD' }));
    expect(err).toMatchObject({ status: 422, code: 'validation_failed' });
    expect(err.errors?.[0]?.field).toBe('/body/amount');
    expect(proxy.seen).toHaveLength(1);
  });

  it('gives up after maxRetries, with the last error', async () => {
    const { sy } = await newClient({ maxRetries: 1 });
    proxy.fail(problem(503, 'not_ready', 'Not ready'), problem(503, 'not_ready', 'Not ready'));
    expect(await failure(sy.invoices.listPage())).toMatchObject({ status: 503, code: 'not_ready' });
    expect(proxy.seen).toHaveLength(2);
  });

  it('a call that would act twice (rotate-secret) is not retried after a 5xx or a lost answer', async () => {
    const { sy } = await newClient();
    const endpoint = await sy.webhookEndpoints.create({ url: 'http://127.0.0.1:9/once' });
    proxy.seen.length = 0;
    proxy.fail(problem(500, 'internal_error', 'Internal error'));
    expect(await failure(sy.webhookEndpoints.rotateSecret(endpoint.id))).toMatchObject({ status: 500, code: 'internal_error' });
    proxy.fail('drop-answer');
    expect(await failure(sy.webhookEndpoints.rotateSecret(endpoint.id))).toMatchObject({ status: 0, code: 'connection_error' });
    expect(proxy.seen).toHaveLength(2);
  });

  it('an error answer that is not a problem document is still a SwitchyardError (http_error)', async () => {
    const { sy } = await newClient({ maxRetries: 0 });
    proxy.fail({ status: 502, headers: { 'Content-Type': 'text/html', 'X-Request-Id': 'edge-1' }, body: '<html><h1>502 Bad Gateway</h1></html>' });
    const err = await failure(sy.invoices.listPage());
    expect(err).toMatchObject({ status: 502, code: 'http_error', requestId: 'edge-1' });
    expect(err.detail).toContain('502 Bad Gateway');
    // A 2xx that is not JSON (baseUrl pointing at some other server) too.
    proxy.fail({ status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html>welcome</html>' });
    expect(await failure(sy.invoices.listPage())).toMatchObject({ status: 200, code: 'http_error' });
  });
});

describe('no answer', () => {
  it('connection_error when nothing listens (after its retries)', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const sy = new Switchyard({ apiKey: 'sy_test_x', baseUrl: `http://127.0.0.1:${port}`, maxRetries: 1 });
    const err = await failure(sy.invoices.get('inv_x'));
    expect(err).toMatchObject({ status: 0, code: 'connection_error', title: 'Connection error' });
    expect(err.detail).toMatch(/ECONNREFUSED/);
  });

  it('timeout per attempt, retried, then thrown', async () => {
    const { sy } = await newClient({ timeoutMs: 300, maxRetries: 1 });
    proxy.fail('hang', 'hang');
    const err = await failure(sy.invoices.listPage());
    expect(err).toMatchObject({ status: 0, code: 'timeout' });
    expect(proxy.seen).toHaveLength(2);
  });

  it('an aborted signal stops the call and its retries', async () => {
    const { sy } = await newClient({ maxRetries: 5 });
    const controller = new AbortController();
    proxy.fail(problem(503, 'not_ready', 'Not ready', { 'Retry-After': '10' }));
    const call = sy.invoices.listPage({}, { signal: controller.signal });
    await eventually(async () => expect(proxy.seen).toHaveLength(1));
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(proxy.seen).toHaveLength(1);
  });
});
