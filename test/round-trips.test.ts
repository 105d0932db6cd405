/**
 * The hot path's round trips, counted (not timed): with warm caches an invoice create is one
 * PostgreSQL statement and one Redis command, the wake-up for the outbox relays published after
 * the commit (the answer does not wait for it; the rate limit spends a lease it takes from Redis
 * only every so many requests); with an Idempotency-Key, one more
 * statement (the claim; its completion rides in the create's statement). The benchmark reports
 * the same counters under load.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const counter = async (name: string) => Number((await h.core.metrics.registry.getSingleMetricAsString(name)).trim().split('\n').at(-1)!.split(' ').at(-1));
const counts = async () => ({ pg: await counter('switchyard_db_queries_total'), redis: await counter('switchyard_redis_commands_total') });

describe('round trips per invoice create (sandbox, warm caches)', () => {
  it('without an Idempotency-Key: 1 statement, 1 Redis command (the wake-up); with one: 2 statements', async () => {
    const shop = await h.createTenant('Round trips');
    const create = (headers?: Record<string, string>) =>
      h.client.post('/v1/invoices', { auth: shop.testKey, body: { amount: '1', currency: 'USD' }, ...(headers ? { headers } : {}) });
    for (let i = 0; i < 2; i++) expect((await create()).status).toBe(201); // warms the key and account caches
    const start = await counts();
    for (let i = 0; i < 10; i++) expect((await create()).status).toBe(201);
    const plain = await counts();
    for (let i = 0; i < 10; i++) expect((await create({ 'Idempotency-Key': `rt-${i}` })).status).toBe(201);
    const keyed = await counts();
    expect({ pg: (plain.pg - start.pg) / 10, redis: (plain.redis - start.redis) / 10 }).toEqual({ pg: 1, redis: 1 });
    expect({ pg: (keyed.pg - plain.pg) / 10, redis: (keyed.redis - plain.redis) / 10 }).toEqual({ pg: 2, redis: 1 });
  });
});
