import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { createRetentionJob, type RetentionSettings } from '../src/jobs/retention.js';
import { startWorker } from '../src/jobs/worker.js';
import { bullConnection, QUEUES } from '../src/jobs/queues.js';
import { deliveriesRepo } from '../src/db/deliveries-repo.js';
import { eventsRepo } from '../src/db/events-repo.js';
import { newId } from '../src/domain/ids.js';
import { eventually, startHarness, type Harness } from './helpers/harness.js';

/**
 * Retention: stored upstream webhooks, upstream event keys, delivery attempts and idempotency keys
 * go after their configured age, in small batches that never wait for a locked row, and nothing
 * that is still needed goes (an unprocessed verified upstream webhook, a pending delivery's attempts).
 */

let h: Harness;
let shop: { id: string; testKey: string };
let endpointId: string;

const DAY = 24 * 3600;
const logger = createLogger('silent');
const settings = (over: Partial<RetentionSettings> = {}): RetentionSettings => ({
  ages: { upstream_webhooks: 30 * DAY, upstream_event_keys: 30 * DAY, delivery_attempts: 30 * DAY, idempotency_keys: 24 * 3600 },
  batchSize: 1000,
  maxBatchesPerRun: 1000,
  ...over,
});

beforeAll(async () => {
  h = await startHarness({ RETENTION_INTERVAL_SECONDS: '1' });
  shop = await h.createTenant('Keeping records');
  const ep = await h.client.post('/v1/webhook-endpoints', { auth: shop.testKey, body: { url: 'http://127.0.0.1:9/hook' } });
  endpointId = ep.body.id;
});
afterAll(() => h?.close());

const ago = (days: number) => h.core.db.raw(`now() - make_interval(secs => ?)`, [days * DAY]);

async function upstreamWebhook(ageDays: number, state: { verified: boolean; processed: boolean }): Promise<string> {
  const id = newId('uwh');
  await h.core.db('upstream_webhooks').insert({
    id,
    connector: 'cryptopay',
    gateway_account_id: 'ga_x',
    received_at: ago(ageDays),
    source_address: '127.0.0.1',
    method: 'POST',
    path: '/hooks/cryptopay/ga_x',
    headers: JSON.stringify({}),
    raw_body: Buffer.from('{}'),
    verified: state.verified,
    verification_error: state.verified ? null : 'bad_signature',
    processed_at: state.processed ? ago(ageDays) : null,
  });
  return id;
}

async function eventKey(ageDays: number): Promise<string> {
  const key = `key-${randomBytes(4).toString('hex')}`;
  await h.core.db('upstream_event_keys').insert({ gateway_account_id: 'ga_x', dedupe_key: key, upstream_webhook_id: 'uwh_x', created_at: ago(ageDays) });
  return key;
}

/** A delivery in `status` with one attempt made `ageDays` ago; resolves the delivery id. */
async function deliveryWithAttempt(ageDays: number, status: 'pending' | 'succeeded' | 'failed'): Promise<string> {
  const event = await eventsRepo.insert(h.core.db, { tenant_id: shop.id, livemode: false, type: 'invoice.created', invoice_id: null, data: {} }, { relay: false });
  const [delivery] = await deliveriesRepo.insertMany(h.core.db, [{ event_id: event.id, endpoint_id: endpointId, tenant_id: shop.id, origin: 'relay' }]);
  await deliveriesRepo.update(h.core.db, delivery!.id, { status, attempts: 1 });
  await deliveriesRepo.recordAttempt(h.core.db, {
    delivery_id: delivery!.id,
    event_id: event.id,
    endpoint_id: endpointId,
    attempt: 1,
    succeeded: status === 'succeeded',
    status_code: status === 'succeeded' ? 200 : 500,
    duration_ms: 3,
    error: null,
    response_body: null,
  });
  await h.core.db('delivery_attempts').where({ delivery_id: delivery!.id }).update({ attempted_at: ago(ageDays) });
  return delivery!.id;
}

async function idempotencyKey(ageHours: number): Promise<string> {
  const key = `idem-${randomBytes(4).toString('hex')}`;
  await h.core.db('idempotency_keys').insert({
    tenant_id: shop.id,
    livemode: false,
    key,
    request_hash: 'x',
    state: 'completed',
    response_status: 201,
    created_at: h.core.db.raw(`now() - make_interval(secs => ?)`, [ageHours * 3600]),
  });
  return key;
}

const exists = async (table: string, where: Record<string, unknown>) => (await h.core.db(table).where(where).first()) !== undefined;

describe('retention', () => {
  it('prunes what is older than its age and keeps what is younger or still needed', async () => {
    const oldProcessed = await upstreamWebhook(31, { verified: true, processed: true });
    const oldRefused = await upstreamWebhook(31, { verified: false, processed: false });
    const oldUnprocessed = await upstreamWebhook(31, { verified: true, processed: false });
    const young = await upstreamWebhook(29, { verified: true, processed: true });
    const oldKey = await eventKey(31);
    const youngKey = await eventKey(29);
    const oldSucceeded = await deliveryWithAttempt(31, 'succeeded');
    const oldFailed = await deliveryWithAttempt(31, 'failed');
    const oldPending = await deliveryWithAttempt(31, 'pending');
    const youngSucceeded = await deliveryWithAttempt(29, 'succeeded');
    const expiredIdem = await idempotencyKey(25);
    const liveIdem = await idempotencyKey(23);

    const pruned = await createRetentionJob({ db: h.core.db, logger, settings: settings() })();
    expect(pruned).toEqual({ upstream_webhooks: 2, upstream_event_keys: 1, delivery_attempts: 2, idempotency_keys: 1 });

    expect(await exists('upstream_webhooks', { id: oldProcessed })).toBe(false);
    expect(await exists('upstream_webhooks', { id: oldRefused })).toBe(false);
    // A verified webhook not yet processed is still owed to the tenant: never pruned, however old.
    expect(await exists('upstream_webhooks', { id: oldUnprocessed })).toBe(true);
    expect(await exists('upstream_webhooks', { id: young })).toBe(true);
    expect(await exists('upstream_event_keys', { dedupe_key: oldKey })).toBe(false);
    expect(await exists('upstream_event_keys', { dedupe_key: youngKey })).toBe(true);
    expect(await exists('delivery_attempts', { delivery_id: oldSucceeded })).toBe(false);
    expect(await exists('delivery_attempts', { delivery_id: oldFailed })).toBe(false);
    // A pending delivery's history stays while it is still being retried.
    expect(await exists('delivery_attempts', { delivery_id: oldPending })).toBe(true);
    expect(await exists('delivery_attempts', { delivery_id: youngSucceeded })).toBe(true);
    // The deliveries themselves stay (the event's delivery list still shows them).
    expect(await exists('deliveries', { id: oldSucceeded })).toBe(true);
    expect(await exists('idempotency_keys', { key: expiredIdem })).toBe(false);
    expect(await exists('idempotency_keys', { key: liveIdem })).toBe(true);

    // Nothing left to prune: a second run deletes nothing.
    expect(await createRetentionJob({ db: h.core.db, logger, settings: settings() })()).toEqual({
      upstream_webhooks: 0,
      upstream_event_keys: 0,
      delivery_attempts: 0,
      idempotency_keys: 0,
    });
  });

  it('works in batches: a run stops after its batch budget and the next one continues', async () => {
    const keys = await Promise.all(Array.from({ length: 7 }, () => eventKey(40)));
    const budget = settings({ batchSize: 2, maxBatchesPerRun: 2 });
    expect((await createRetentionJob({ db: h.core.db, logger, settings: budget })()).upstream_event_keys).toBe(4);
    expect((await h.core.db('upstream_event_keys').whereIn('dedupe_key', keys)).length).toBe(3);
    expect((await createRetentionJob({ db: h.core.db, logger, settings: budget })()).upstream_event_keys).toBe(3);
    expect((await h.core.db('upstream_event_keys').whereIn('dedupe_key', keys)).length).toBe(0);
  });

  it('never waits for a row someone else holds: it skips it and takes it next time', async () => {
    const held = await upstreamWebhook(60, { verified: true, processed: true });
    const free = await upstreamWebhook(60, { verified: true, processed: true });
    const trx = await h.core.db.transaction();
    try {
      await trx('upstream_webhooks').where({ id: held }).forUpdate();
      const started = Date.now();
      const pruned = await createRetentionJob({ db: h.core.db, logger, settings: settings() })();
      expect(Date.now() - started).toBeLessThan(5000);
      expect(pruned.upstream_webhooks).toBe(1);
      expect(await exists('upstream_webhooks', { id: free })).toBe(false);
      expect(await exists('upstream_webhooks', { id: held })).toBe(true);
    } finally {
      await trx.commit();
    }
    expect((await createRetentionJob({ db: h.core.db, logger, settings: settings() })()).upstream_webhooks).toBe(1);
    expect(await exists('upstream_webhooks', { id: held })).toBe(false);
  });

  it('an age of 0 keeps a table forever', async () => {
    const old = await upstreamWebhook(3650, { verified: true, processed: true });
    const forever = settings({ ages: { upstream_webhooks: 0, upstream_event_keys: 0, delivery_attempts: 0, idempotency_keys: 0 } });
    expect(await createRetentionJob({ db: h.core.db, logger, settings: forever })()).toEqual({
      upstream_webhooks: 0,
      upstream_event_keys: 0,
      delivery_attempts: 0,
      idempotency_keys: 0,
    });
    expect(await exists('upstream_webhooks', { id: old })).toBe(true);
    await h.core.db('upstream_webhooks').where({ id: old }).delete();
  });

  it('the worker runs it as a repeatable job (RETENTION_INTERVAL_SECONDS) and retires the old idempotency-key purge', async () => {
    // A schedule left behind by an earlier version.
    const queue = new Queue(QUEUES.maintenance, { connection: bullConnection(h.config), prefix: h.config.queuePrefix });
    try {
      await queue.upsertJobScheduler('purge-idempotency-keys', { every: 3600_000 }, { name: 'purge-idempotency-keys', data: {} });
      const worker = await startWorker(h.core);
      try {
        const old = await upstreamWebhook(31, { verified: true, processed: true });
        const expiredIdem = await idempotencyKey(30);
        await eventually(
          async () => {
            expect(await exists('upstream_webhooks', { id: old })).toBe(false);
            expect(await exists('idempotency_keys', { key: expiredIdem })).toBe(false);
          },
          { timeoutMs: 15_000, intervalMs: 100 },
        );
        const schedulers = (await queue.getJobSchedulers()).map((s) => s.key).sort();
        expect(schedulers).toEqual(['expire-invoices', 'prune-retention', 'reconcile-invoices']);
      } finally {
        await worker.close();
      }
    } finally {
      await queue.close();
    }
  });
});
