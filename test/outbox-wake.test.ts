/**
 * How the outbox relay learns of new events: every writer of events publishes a wake-up on Redis
 * once its transaction has committed, and the relay also polls. A lost wake-up may delay an event
 * until the next poll, never lose it.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, TEST_REDIS_URL, type Harness } from './helpers/harness.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { addWebhookEndpoint, createShop } from './helpers/factories.js';
import { startWorker, type RunningWorker } from '../src/jobs/worker.js';
import { eventsRepo } from '../src/db/events-repo.js';
import { outboxChannel } from '../src/webhooks/outbound/outbox-wake.js';

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => receiver?.close());

/** A tenant with one endpoint on its own receiver path; creates a sandbox invoice and pays it. */
async function invoiceCreatedAndPaid(h: Harness) {
  const shop = await createShop(h, 'Woken');
  const path = `/hook/${randomBytes(6).toString('hex')}`;
  await addWebhookEndpoint(h, shop.testKey, { url: receiver.url(path) });
  const created = await h.client.post('/v1/invoices', { auth: shop.testKey, body: { amount: '5.00', currency: 'USD' } });
  expect(created.status).toBe(201);
  const paid = await h.client.post(`/v1/invoices/${created.body.id}/simulate`, { auth: shop.testKey, body: { status: 'paid' } });
  expect(paid.status).toBe(200);
  const types = () => receiver.on(path).map((r) => JSON.parse(r.body).type as string);
  return { types };
}

describe('wake-ups: the relay runs when a writer commits, not at its poll', () => {
  let h: Harness;
  let worker: RunningWorker;
  let probe: Redis;
  beforeAll(async () => {
    // Ten minutes: within this test only a wake-up can make the relay run.
    h = await startHarness({ OUTBOX_POLL_MS: '600000', WEBHOOK_RETRY_SCHEDULE: '0' });
    worker = await startWorker(h.core);
    probe = new Redis(TEST_REDIS_URL);
    // The relay listens before anything is written (its subscription is asynchronous).
    await eventually(async () => {
      const [, subscribers] = (await probe.pubsub('NUMSUB', outboxChannel(h.config.queuePrefix))) as [string, number];
      expect(subscribers).toBeGreaterThan(0);
    });
  });
  afterAll(async () => {
    probe?.disconnect();
    await worker?.close();
    await h?.close();
  });

  it('an invoice created through the API and then paid: both events reach the tenant', async () => {
    const { types } = await invoiceCreatedAndPaid(h);
    await eventually(async () => expect(types().sort()).toEqual(['invoice.created', 'invoice.paid']));
  });

  it('the wake-up is published only after the commit, also from a nested transaction', async () => {
    const listener = new Redis(TEST_REDIS_URL);
    try {
      const shop = await createShop(h, 'Committed first');
      await listener.subscribe(outboxChannel(h.config.queuePrefix));
      let eventId = '';
      const seen: boolean[] = [];
      let woken!: () => void;
      const wokenUp = new Promise<void>((resolve) => (woken = resolve));
      // At each wake-up, is the event visible to another session (committed)?
      listener.on('message', () => {
        void h.core.db('events').where({ id: eventId }).first().then((row) => {
          seen.push(row !== undefined);
          woken();
        });
      });
      await h.core.db.transaction(async (trx) => {
        await trx.transaction(async (inner) => {
          eventId = (await eventsRepo.insert(inner, { tenant_id: shop.id, livemode: false, type: 'invoice.created', invoice_id: null, data: {} })).id;
          h.core.outboxWake.afterCommit(inner);
        });
        // Still open: a wake-up sent now would be answered before this transaction commits.
        await Promise.race([wokenUp, delay(500)]);
      });
      await wokenUp;
      expect(seen[0]).toBe(true);
    } finally {
      listener.disconnect();
    }
  });
});

describe('a lost wake-up only delays: the poll relays the events', () => {
  let h: Harness;
  let worker: RunningWorker;
  beforeAll(async () => {
    h = await startHarness({ OUTBOX_POLL_MS: '200', WEBHOOK_RETRY_SCHEDULE: '0' });
    worker = await startWorker(h.core);
  });
  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  it('with every wake-up suppressed, the created and paid events still reach the tenant', async () => {
    let suppressed = 0;
    h.core.outboxWake.afterCommit = () => void suppressed++;
    const { types } = await invoiceCreatedAndPaid(h);
    expect(suppressed).toBe(2);
    await eventually(async () => expect(types().sort()).toEqual(['invoice.created', 'invoice.paid']));
  });
});
