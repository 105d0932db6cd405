import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from './helpers/harness.js';
import { startWorker, type RunningWorker } from '../src/jobs/worker.js';

let h: Harness;
let worker: RunningWorker;
let shop: { id: string; testKey: string; liveKey: string };

beforeAll(async () => {
  h = await startHarness({ EXPIRE_INTERVAL_SECONDS: '1' });
  shop = await h.createTenant('Expiring shop');
});
afterAll(async () => {
  await worker?.close();
  await h?.close();
});

const create = async () => (await h.client.post('/v1/invoices', { auth: shop.testKey, body: { amount: '1', currency: 'USD', expires_in: 60 } })).body;
const backdate = (id: string) => h.core.db('invoices').where({ id }).update({ expires_at: h.core.db.raw(`now() - interval '1 second'`) });
const statusOf = async (id: string) => (await h.client.get(`/v1/invoices/${id}`, { auth: shop.testKey })).body.status as string;
const eventTypes = async (id: string) => (await h.core.db('events').where({ invoice_id: id }).orderBy('id')).map((e: { type: string }) => e.type);

describe('expiry', () => {
  it('expireOverdue expires only overdue pending invoices, each exactly once even when run concurrently', async () => {
    const overdue = await Promise.all([create(), create(), create()]);
    const fresh = await create();
    const paid = await create();
    await h.client.post(`/v1/invoices/${paid.id}/simulate`, { auth: shop.testKey, body: { status: 'paid' } });
    for (const inv of [...overdue, paid]) await backdate(inv.id);

    const counts = await Promise.all([h.core.invoices.expireOverdue(2), h.core.invoices.expireOverdue(2)]);
    expect(counts[0] + counts[1]).toBe(3);
    for (const inv of overdue) {
      expect(await statusOf(inv.id)).toBe('expired');
      expect(await eventTypes(inv.id)).toEqual(['invoice.created', 'invoice.expired']);
    }
    expect(await statusOf(fresh.id)).toBe('pending');
    // A paid invoice never becomes expired.
    expect(await statusOf(paid.id)).toBe('paid');
    expect(await eventTypes(paid.id)).toEqual(['invoice.created', 'invoice.paid']);
  });

  it('the repeatable BullMQ job expires overdue invoices on its own', async () => {
    worker = await startWorker(h.core);
    const inv = await create();
    await backdate(inv.id);
    await eventually(async () => expect(await statusOf(inv.id)).toBe('expired'), { timeoutMs: 15_000, intervalMs: 100 });
    const cancel = await h.client.post(`/v1/invoices/${inv.id}/cancel`, { auth: shop.testKey });
    expect(cancel.status).toBe(409);
  });
});
