import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from './helpers/harness.js';
import { idempotencyRepo } from '../src/db/idempotency-repo.js';
import { CLAIM_LEASE_MS, requestFingerprint, runIdempotently } from '../src/http/idempotency.js';

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
    // Another request holds the key right now (and keeps renewing its lease).
    expect(await idempotencyRepo.claim(h.core.db, scope, requestFingerprint('POST', '/v1/invoices', body), 'holder', CLAIM_LEASE_MS)).toEqual({ claimed: true });
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

  it('a claim abandoned by a crashed request is taken over as soon as its lease runs out', async () => {
    const body = { amount: '3', currency: 'USD' };
    // The holder died right after claiming: nobody renews its 300 ms lease.
    await idempotencyRepo.claim(h.core.db, { tenant_id: shop.id, livemode: false, key: 'k-crashed' }, requestFingerprint('POST', '/v1/invoices', body), 'dead', 300);
    expect((await post('k-crashed', body)).status).toBe(409);
    const res = await eventually(async () => {
      const r = await post('k-crashed', body);
      expect(r.status).toBe(201);
      return r;
    });
    expect(res.headers['idempotent-replayed']).toBeUndefined();
  });

  it('a claim from before leases (no locked_until) is abandoned after two minutes, as before', async () => {
    const body = { amount: '3', currency: 'USD' };
    await idempotencyRepo.claim(h.core.db, { tenant_id: shop.id, livemode: false, key: 'k-legacy' }, requestFingerprint('POST', '/v1/invoices', body), 'old', 60_000);
    await h.core.db('idempotency_keys').where({ key: 'k-legacy' }).update({ locked_until: null, created_at: h.core.db.raw(`now() - interval '10 minutes'`) });
    expect((await post('k-legacy', body)).status).toBe(201);
  });

  it('a running request renews its lease: a slow create is not taken over, and its answer is replayed', async () => {
    const body = { amount: '4', currency: 'USD' };
    const scope = { tenant_id: shop.id, livemode: false, key: 'k-slow' };
    const before = await invoiceCount();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = runIdempotently(h.core, scope, requestFingerprint('POST', '/v1/invoices', body), async (finish) => {
      await gate;
      const invoice = await h.core.invoices.create({ tenantId: shop.id, livemode: false }, body, finish);
      return { status: 201, body: invoice };
    });
    // The request renews its lease while it runs, so nobody takes the key over.
    const firstLease = await eventually(async () => (await idempotencyRepo.find(h.core.db, scope))!.locked_until!);
    await eventually(async () => expect((await idempotencyRepo.find(h.core.db, scope))!.locked_until!.getTime()).toBeGreaterThan(firstLease.getTime()), { timeoutMs: CLAIM_LEASE_MS });
    expect((await post('k-slow', body)).status).toBe(409);
    release();
    const done = await slow;
    expect(done.replayed).toBe(false);
    const again = await post('k-slow', body);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe((done.body as { id: string }).id);
    expect(await invoiceCount()).toBe(before + 1);
  });

  it('the kept answer commits with the invoice: a request whose claim was taken over meanwhile writes no invoice and replays the new holder\'s answer', async () => {
    const body = { amount: '5', currency: 'USD' };
    const scope = { tenant_id: shop.id, livemode: false, key: 'k-overtaken' };
    const before = await invoiceCount();
    let winner: { status: number; body: { id: string } } | undefined;
    const stalled = await runIdempotently(h.core, scope, requestFingerprint('POST', '/v1/invoices', body), async (finish) => {
      // This request stalled past its lease; the client's retry took the key over and finished first.
      await h.core.db('idempotency_keys').where(scope).update({ locked_until: h.core.db.raw(`now() - interval '1 second'`) });
      winner = await post('k-overtaken', body);
      expect(winner.status).toBe(201);
      const invoice = await h.core.invoices.create({ tenantId: shop.id, livemode: false }, body, finish);
      return { status: 201, body: invoice };
    });
    // It wrote nothing (its statement needs the claim): only the winner's invoice exists, and both answers name it.
    expect(await invoiceCount()).toBe(before + 1);
    expect(stalled).toMatchObject({ status: 201, replayed: true, body: { id: winner!.body.id } });
  });

  it('an over-long or empty key is a 422', async () => {
    expect((await post('x'.repeat(256), { amount: '1', currency: 'USD' })).status).toBe(422);
  });
});
