import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers/harness.js';
import { idempotencyRepo } from '../src/db/idempotency-repo.js';
import { requestFingerprint } from '../src/http/idempotency.js';

let h: Harness;
let shop: { id: string; testKey: string; liveKey: string };

beforeAll(async () => {
  h = await startHarness();
  shop = await h.createTenant('Idempotent shop');
});
afterAll(() => h?.close());

const post = (key: string, body: Record<string, unknown>, apiKey = shop.testKey) =>
  h.client.post('/v1/invoices', { auth: apiKey, body, headers: { 'Idempotency-Key': key } });
const invoiceCount = async () => Number((await h.core.db('invoices').count('* as n'))[0]!.n);

describe('Idempotency-Key on POST /v1/invoices', () => {
  it('the same key and body replays the first answer with Idempotent-Replayed: true', async () => {
    const first = await post('k-replay', { amount: '1.00', currency: 'USD', metadata: { a: 1, b: 2 } });
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const before = await invoiceCount();
    // Key order in the body does not make it a different request.
    const again = await post('k-replay', { metadata: { b: 2, a: 1 }, currency: 'USD', amount: '1.00' });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await invoiceCount()).toBe(before);
  });

  it('the same key with a different body is 422 idempotency_conflict and creates nothing', async () => {
    await post('k-conflict', { amount: '1', currency: 'USD' });
    const before = await invoiceCount();
    const res = await post('k-conflict', { amount: '2', currency: 'USD' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('idempotency_conflict');
    expect(await invoiceCount()).toBe(before);
  });

  it('a key still being processed answers 409 idempotency_in_progress', async () => {
    const body = { amount: '1', currency: 'USD' };
    const scope = { tenant_id: shop.id, livemode: false, key: 'k-running' };
    // Another request holds the key right now.
    expect(await idempotencyRepo.claim(h.core.db, scope, requestFingerprint('POST', '/v1/invoices', body))).toBeUndefined();
    const res = await post('k-running', body);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('idempotency_in_progress');
    expect(res.headers['retry-after']).toBe('1');
  });

  it('concurrent requests with one key create exactly one invoice', async () => {
    const before = await invoiceCount();
    const body = { amount: '7.77', currency: 'EUR', external_id: 'idem-race' };
    const results = await Promise.all(Array.from({ length: 8 }, () => post('k-race', body)));
    expect(await invoiceCount()).toBe(before + 1);
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(created.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(409);
      expect(r.body.code).toBe('idempotency_in_progress');
    }
  });

  it('a 4xx answer is kept and replayed too', async () => {
    const first = await post('k-4xx', { amount: '1.001', currency: 'USD' });
    expect(first.status).toBe(422);
    const again = await post('k-4xx', { amount: '1.001', currency: 'USD' });
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('validation_failed');
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('keys are per tenant and per mode', async () => {
    const other = await h.createTenant('Other tenant');
    const a = await post('k-shared', { amount: '1', currency: 'USD' });
    const b = await post('k-shared', { amount: '1', currency: 'USD' }, other.testKey);
    expect(b.status).toBe(201);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.body.id).not.toBe(a.body.id);
  });

  it('a key older than 24 hours is forgotten', async () => {
    const first = await post('k-old', { amount: '1', currency: 'USD' });
    await h.core.db('idempotency_keys').where({ key: 'k-old' }).update({ created_at: h.core.db.raw(`now() - interval '25 hours'`) });
    const again = await post('k-old', { amount: '1', currency: 'USD' });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.body.id).not.toBe(first.body.id);
  });

  it('a claim abandoned by a crashed request can be taken over', async () => {
    const body = { amount: '3', currency: 'USD' };
    await idempotencyRepo.claim(h.core.db, { tenant_id: shop.id, livemode: false, key: 'k-crashed' }, requestFingerprint('POST', '/v1/invoices', body));
    await h.core.db('idempotency_keys').where({ key: 'k-crashed' }).update({ created_at: h.core.db.raw(`now() - interval '10 minutes'`) });
    const res = await post('k-crashed', body);
    expect(res.status).toBe(201);
  });

  it('an over-long or empty key is a 422', async () => {
    expect((await post('x'.repeat(256), { amount: '1', currency: 'USD' })).status).toBe(422);
  });
});
