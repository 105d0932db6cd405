/**
 * API keys and gateway accounts are cached in each API process; an account change reaches every
 * process at once too (Redis pub/sub). API keys: a revocation or a suspension reaches every process at
 * once (Redis pub/sub), and invoice create re-checks the key inside its own statement, so a key
 * revoked before the write can never create, whatever a cache still says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, eventually, startHarness, type Client, type Harness } from './helpers/harness.js';
import { createShop } from './helpers/factories.js';
import { createCore, type Core } from '../src/wiring.js';
import { createApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';

let h: Harness;
let other: Core;
let otherClient: Client;
beforeAll(async () => {
  h = await startHarness();
  // A second API process: its own core (caches, Redis connections) and app, the same database and Redis.
  other = createCore(h.config, createLogger('silent'), { db: h.core.db });
  otherClient = createClient(await createApp(other));
});
afterAll(async () => {
  await other?.breaker.close();
  other?.redis.disconnect();
  await other?.deliveryQueue.close();
  await other?.upstreamWebhookQueue.close();
  await h?.close();
});

const invoice = { amount: '1', currency: 'USD', gateway: 'sandbox' };

describe('the API key cache', () => {
  it('a key revoked through one process stops working in the other within a second', async () => {
    const shop = await createShop(h, 'Revoke');
    const key = await h.client.post(`/admin/v1/tenants/${shop.id}/api-keys`, { auth: h.operatorToken, body: { mode: 'test' } });
    // Both processes have seen (and cached) the key.
    expect((await h.client.get('/v1/invoices', { auth: key.body.secret })).status).toBe(200);
    expect((await otherClient.get('/v1/invoices', { auth: key.body.secret })).status).toBe(200);
    expect((await h.client.delete(`/admin/v1/api-keys/${key.body.id}`, { auth: h.operatorToken })).status).toBe(200);
    await eventually(async () => expect((await otherClient.get('/v1/invoices', { auth: key.body.secret })).status).toBe(401), { timeoutMs: 1000, intervalMs: 50 });
    expect((await h.client.get('/v1/invoices', { auth: key.body.secret })).status).toBe(401);
  });

  it('a suspended tenant’s keys stop working in every process', async () => {
    const shop = await createShop(h, 'Suspend');
    expect((await otherClient.get('/v1/invoices', { auth: shop.testKey })).status).toBe(200);
    await h.client.patch(`/admin/v1/tenants/${shop.id}`, { auth: h.operatorToken, body: { status: 'suspended' } });
    await eventually(async () => expect((await otherClient.get('/v1/invoices', { auth: shop.testKey })).status).toBe(403), { timeoutMs: 1000, intervalMs: 50 });
  });

  it('invoice create re-checks the key in its own statement: a revocation no cache has heard of still refuses it, and nothing is written', async () => {
    const shop = await createShop(h, 'Stale cache');
    expect((await h.client.post('/v1/invoices', { auth: shop.testKey, body: invoice })).status).toBe(201);
    // Revoked behind every cache's back (no invalidation is published).
    await h.core.db('api_keys').where({ tenant_id: shop.id, mode: 'test' }).update({ revoked_at: new Date() });
    const before = await h.core.db('invoices').where({ tenant_id: shop.id }).count<{ count: string }[]>('* as count');
    // A read may still be served from the cache for up to its TTL…
    expect((await h.client.get('/v1/invoices', { auth: shop.testKey })).status).toBe(200);
    // …but no write is accepted.
    const res = await h.client.post('/v1/invoices', { auth: shop.testKey, body: invoice });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthorized');
    const after = await h.core.db('invoices').where({ tenant_id: shop.id }).count<{ count: string }[]>('* as count');
    expect(after[0]!.count).toBe(before[0]!.count);
    expect(await h.core.db('sandbox_invoices').whereNotIn('upstream_id', h.core.db('invoices').whereNotNull('upstream_id').select('upstream_id'))).toEqual([]);
    // Other writes always read the key from the database.
    expect((await h.client.post('/v1/webhook-endpoints', { auth: shop.testKey, body: { url: 'https://example.com/hook' } })).status).toBe(401);
  });
});

describe('the gateway account cache', () => {
  it('an account disabled through one process is no longer routed to by the other', async () => {
    const shop = await createShop(h, 'Accounts');
    const sandbox = (await h.client.get('/v1/gateway-accounts?connector=sandbox', { auth: shop.testKey })).body.data[0];
    // The other process has read (and cached) the tenant's accounts.
    expect((await otherClient.post('/v1/invoices', { auth: shop.testKey, body: invoice })).status).toBe(201);
    expect((await h.client.patch(`/v1/gateway-accounts/${sandbox.id}`, { auth: shop.testKey, body: { enabled: false } })).status).toBe(200);
    await eventually(
      async () => {
        const res = await otherClient.post('/v1/invoices', { auth: shop.testKey, body: invoice });
        expect(res.status).toBe(422);
        expect(res.body.code).toBe('no_gateway_available');
      },
      { timeoutMs: 1000, intervalMs: 50 },
    );
  });
});
