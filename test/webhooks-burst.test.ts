/**
 * A burst through the whole outbound pipeline (outbox relay → queue → worker → endpoint) with the
 * sweeper running far more eagerly than in production: its grace period is shorter than the queue's
 * delay under the burst, so it sees thousands of overdue pending deliveries. It must queue none of
 * them again (their jobs exist, or have finished), and no delivery may be attempted twice.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { eventually, startHarness, type Harness } from './helpers/harness.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { addWebhookEndpoint, createShop } from './helpers/factories.js';
import { startWorker, type RunningWorker } from '../src/jobs/worker.js';
import { newId } from '../src/domain/ids.js';
import { createCore } from '../src/wiring.js';
import { createLogger } from '../src/logger.js';

const EVENTS = 2000;

let h: Harness;
let worker: RunningWorker | undefined;
let receiver: Receiver;

beforeAll(async () => {
  h = await startHarness({
    WEBHOOK_RETRY_SCHEDULE: '0,1',
    WEBHOOK_TIMEOUT_MS: '5000',
    OUTBOX_POLL_MS: '100',
    DELIVERY_SWEEP_MS: '200',
    DELIVERY_SWEEP_GRACE_MS: '300',
  });
  receiver = await startReceiver();
  worker = await startWorker(h.core);
});
afterAll(async () => {
  await worker?.close();
  await receiver?.close();
  await h?.close();
});

const counter = async (name: string) => Number((await h.core.metrics.registry.getSingleMetricAsString(name)).trim().split('\n').at(-1)!.split(' ').at(-1));

describe('a burst of events', () => {
  it(
    `${EVENTS} events: each delivered once, attempted once, and the sweeper queues none again`,
    async () => {
      const shop = await createShop(h, 'Burst');
      const path = `/hook/${randomBytes(6).toString('hex')}`;
      await addWebhookEndpoint(h, shop.testKey, { url: receiver.url(path) });
      const requeuedBefore = await counter('switchyard_webhook_deliveries_requeued_total');

      // The burst: committed state changes, written straight into the outbox in one statement.
      const ids = Array.from({ length: EVENTS }, () => newId('evt'));
      await h.core.db('events').insert(ids.map((id, i) => ({ id, tenant_id: shop.id, livemode: false, type: 'invoice.created', invoice_id: null, data: { n: i } })));

      await eventually(
        async () => {
          const [row] = await h.core.db('deliveries').where({ tenant_id: shop.id, status: 'succeeded' }).count('* as n');
          expect(Number(row!.n)).toBe(EVENTS);
        },
        { timeoutMs: 120_000, intervalMs: 250 },
      );
      const sweptAfter = (await counter('switchyard_webhook_deliveries_requeued_total')) - requeuedBefore;
      expect(sweptAfter).toBe(0);

      const attempts = (await h.core
        .db('delivery_attempts')
        .whereIn('event_id', ids)
        .groupBy('delivery_id')
        .select('delivery_id', h.core.db.raw('count(*)::int as n'))) as Array<{ delivery_id: string; n: number }>;
      expect(attempts).toHaveLength(EVENTS);
      expect(attempts.filter((a) => a.n !== 1)).toEqual([]);

      const posts = new Map<string, number>();
      for (const r of receiver.on(path)) posts.set(String(r.headers['webhook-id']), (posts.get(String(r.headers['webhook-id'])) ?? 0) + 1);
      expect(posts.size).toBe(EVENTS);
      expect([...posts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    },
    180_000,
  );

  it('round trips per delivery over 200 events (relay + worker), warm endpoint cache', async () => {
    const shop = await createShop(h, 'Counted');
    const path = `/hook/${randomBytes(6).toString('hex')}`;
    await addWebhookEndpoint(h, shop.testKey, { url: receiver.url(path) });
    const burst = async (n: number) => {
      const ids = Array.from({ length: n }, () => newId('evt'));
      await h.core.db('events').insert(ids.map((id, i) => ({ id, tenant_id: shop.id, livemode: false, type: 'invoice.created', invoice_id: null, data: { n: i } })));
      await eventually(async () => expect(receiver.on(path).filter((r) => ids.includes(String(r.headers['webhook-id'])))).toHaveLength(n), { timeoutMs: 60_000, intervalMs: 50 });
      await eventually(async () => {
        const [row] = await h.core.db('deliveries').whereIn('event_id', ids).where({ status: 'succeeded' }).count('* as n');
        expect(Number(row!.n)).toBe(n);
      });
    };
    await burst(5); // warms the caches
    const before = { pg: await counter('switchyard_db_queries_total'), redis: await counter('switchyard_redis_commands_total') };
    await burst(200);
    const after = { pg: await counter('switchyard_db_queries_total'), redis: await counter('switchyard_redis_commands_total') };
    // The counts include this test's own insert and polling reads, and the relay's and sweeper's polls: an upper bound.
    const perDelivery = { pg: (after.pg - before.pg) / 200, redis: (after.redis - before.redis) / 200 };
    console.log(`[webhooks] per delivery over 200 events: ${perDelivery.pg.toFixed(2)} PostgreSQL statements, ${perDelivery.redis.toFixed(2)} Redis commands (main connection)`);
    expect(perDelivery.pg).toBeGreaterThan(0);
  }, 120_000);

  it('a worker in another process drops its cached endpoint when the API rotates its secret or disables it', async () => {
    // From here on, only a worker with its own core (own caches, own Redis connections) delivers.
    await worker?.close();
    worker = undefined;
    const core2 = createCore(h.config, createLogger('silent'));
    const w2 = await startWorker(core2);
    try {
      const shop = await createShop(h, 'Cached');
      const path = `/hook/${randomBytes(6).toString('hex')}`;
      const endpoint = await addWebhookEndpoint(h, shop.testKey, { url: receiver.url(path) });
      const emit = async () => {
        const id = newId('evt');
        await h.core.db('events').insert({ id, tenant_id: shop.id, livemode: false, type: 'invoice.created', invoice_id: null, data: {} });
        return id;
      };
      const received = async (eventId: string) =>
        eventually(async () => {
          const r = receiver.on(path).find((x) => x.headers['webhook-id'] === eventId);
          expect(r).toBeDefined();
          return r!;
        });
      const first = await received(await emit()); // now cached in the second worker
      expect(() => new Webhook(endpoint.secret).verify(first.body, first.headers as Record<string, string>)).not.toThrow();

      const rotated = await h.client.post(`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, { auth: shop.testKey });
      const second = await received(await emit());
      expect(String(second.headers['webhook-signature']).split(' ')).toHaveLength(2);
      expect(() => new Webhook(rotated.body.secret).verify(second.body, second.headers as Record<string, string>)).not.toThrow();

      await h.client.patch(`/v1/webhook-endpoints/${endpoint.id}`, { auth: shop.testKey, body: { enabled: false } });
      const whileDisabled = await emit();
      // Made before the endpoint was disabled (the relay does not fan out to disabled endpoints): given up, never sent.
      const [made] = await h.core.db('deliveries').insert({ id: newId('del'), event_id: whileDisabled, endpoint_id: endpoint.id, tenant_id: shop.id, origin: 'manual' }).returning('*');
      await core2.deliveryQueue.enqueue({ deliveryId: made.id, eventId: whileDisabled, endpointId: endpoint.id, attempt: 1 });
      await eventually(async () => expect((await h.core.db('deliveries').where({ id: made.id }).first()).status).toBe('failed'));
      expect(receiver.on(path).filter((r) => r.headers['webhook-id'] === whileDisabled)).toHaveLength(0);
    } finally {
      await w2.close();
      await core2.close();
    }
  }, 60_000);
});
