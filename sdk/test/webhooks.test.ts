// webhooks.verify against real deliveries: Switchyard's worker signs and sends events to a loopback
// receiver; the client verifies them with the endpoint's secret and refuses anything altered.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { Switchyard, WebhookVerificationError, verifyWebhook, type InvoiceStatus, type WebhookEvent } from '@switchyard/client';
import { eventually, startHarness, type Harness } from '../../test/helpers/harness.js';
import { startReceiver, type Received, type Receiver } from '../../test/helpers/receiver.js';
import { createShop } from '../../test/helpers/factories.js';
import { startWorker, type RunningWorker } from '../../src/jobs/worker.js';

let h: Harness;
let worker: RunningWorker;
let receiver: Receiver;
let sy: Switchyard;

beforeAll(async () => {
  h = await startHarness({ WEBHOOK_RETRY_SCHEDULE: '0,0', OUTBOX_POLL_MS: '200', DELIVERY_SWEEP_MS: '500' });
  receiver = await startReceiver();
  worker = await startWorker(h.core);
  const shop = await createShop(h, 'Webhook shop');
  sy = new Switchyard({ apiKey: shop.testKey, baseUrl: await h.listen() });
});
afterAll(async () => {
  await worker?.close();
  await receiver?.close();
  await h?.close();
});

/** A new endpoint on its own receiver path: its secret, and the deliveries it gets. */
async function endpoint(events?: Array<WebhookEvent['type']>) {
  const path = `/hooks/${randomBytes(6).toString('hex')}`;
  const created = await sy.webhookEndpoints.create({ url: receiver.url(path), ...(events ? { events } : {}) });
  return { ...created, path, deliveries: () => receiver.on(path) };
}

/** The first delivery on `path` of an event of `type`. */
function deliveryOf(path: string, type: string): Promise<Received> {
  return eventually(async () => {
    const found = receiver.on(path).find((r) => JSON.parse(r.body).type === type);
    expect(found, `a ${type} delivery on ${path}`).toBeDefined();
    return found!;
  });
}

/** The delivery's headers as a plain one-string-per-name record. */
const plain = (r: Received) => Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]));

describe('verified deliveries', () => {
  it('invoice.created and invoice.paid (via simulate) verify into typed events, whatever the headers’ shape', async () => {
    const hook = await endpoint(['invoice.created', 'invoice.paid']);
    const invoice = await sy.invoices.create({ amount: '9.99', currency: 'USD', metadata: { order: 'A-1' } });

    const created = await deliveryOf(hook.path, 'invoice.created');
    // Node's IncomingHttpHeaders, as express gives them.
    const event = sy.webhooks.verify(created.body, created.headers, hook.secret);
    expect(event).toMatchObject({ type: 'invoice.created', id: created.headers['webhook-id'], data: { id: invoice.id, status: 'pending', metadata: { order: 'A-1' } } });

    await sy.invoices.simulate(invoice.id, { status: 'paid' });
    const paid = await deliveryOf(hook.path, 'invoice.paid');
    // A Fetch Headers object and the raw bytes, as a Request in a worker or Next.js route gives them.
    const paidEvent = verifyWebhook(new TextEncoder().encode(paid.body), new Headers(plain(paid)), hook.secret);
    expect(paidEvent.type).toBe('invoice.paid');
    if (paidEvent.type !== 'invoice.paid') throw new Error('unreachable');
    // Narrowed by `type`: data is an Invoice.
    const status: InvoiceStatus = paidEvent.data.status;
    expect(status).toBe('paid');
    expect(paidEvent.data.paid).toMatchObject({ amount: '9.99', currency: 'USD' });
    expect(Date.parse(paidEvent.timestamp)).not.toBeNaN();
  });

  it('webhook.test from webhookEndpoints.test() verifies as its own type', async () => {
    const hook = await endpoint();
    const sent = await sy.webhookEndpoints.test(hook.id);
    const received = await deliveryOf(hook.path, 'webhook.test');
    const event = sy.webhooks.verify(received.body, plain(received), hook.secret);
    expect(event.id).toBe(sent.id);
    if (event.type !== 'webhook.test') throw new Error(`unexpected ${event.type}`);
    expect(event.data).toEqual({ object: 'webhook_test', endpoint_id: hook.id });
  });
});

describe('refused webhooks', () => {
  let genuine: { body: string; headers: Record<string, string>; secret: string };

  beforeAll(async () => {
    const hook = await endpoint(['invoice.created']);
    await sy.invoices.create({ amount: '1.00', currency: 'USD' });
    const received = await deliveryOf(hook.path, 'invoice.created');
    genuine = { body: received.body, headers: plain(received), secret: hook.secret };
    // The genuine one passes: each case below changes one thing.
    expect(sy.webhooks.verify(genuine.body, genuine.headers, genuine.secret).type).toBe('invoice.created');
  });

  const refusal = (body: string, headers: Record<string, string>, secret = genuine.secret) => {
    try {
      sy.webhooks.verify(body, headers, secret);
    } catch (err) {
      expect(err).toBeInstanceOf(WebhookVerificationError);
      return (err as Error).message;
    }
    throw new Error('verified a webhook that should have been refused');
  };

  it('forged: signed with another secret', () => {
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    const id = genuine.headers['webhook-id']!;
    const now = new Date();
    const signature = new Webhook(other).sign(id, now, genuine.body);
    expect(refusal(genuine.body, { ...genuine.headers, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signature })).toMatch(/signature/i);
    // The genuine delivery checked with the wrong secret, too.
    expect(refusal(genuine.body, genuine.headers, other)).toMatch(/signature/i);
  });

  it('tampered: one byte of the body changed', () => {
    const tampered = genuine.body.replace('"1.00"', '"9.00"');
    expect(tampered).not.toBe(genuine.body);
    expect(refusal(tampered, genuine.headers)).toMatch(/signature/i);
  });

  it('stale: correctly signed, but the timestamp is over 5 minutes old (a replay)', () => {
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    const id = genuine.headers['webhook-id']!;
    const headers = {
      ...genuine.headers,
      'webhook-timestamp': String(Math.floor(tenMinutesAgo.getTime() / 1000)),
      'webhook-signature': new Webhook(genuine.secret).sign(id, tenMinutesAgo, genuine.body),
    };
    expect(refusal(genuine.body, headers)).toMatch(/too old/);
    // toleranceSeconds narrows the window.
    const aMinuteAgo = new Date(Date.now() - 60_000);
    const recent = { ...headers, 'webhook-timestamp': String(Math.floor(aMinuteAgo.getTime() / 1000)), 'webhook-signature': new Webhook(genuine.secret).sign(id, aMinuteAgo, genuine.body) };
    expect(sy.webhooks.verify(genuine.body, recent, genuine.secret).type).toBe('invoice.created');
    expect(() => sy.webhooks.verify(genuine.body, recent, genuine.secret, { toleranceSeconds: 30 })).toThrow(WebhookVerificationError);
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('missing header: %s', (name) => {
    const headers = { ...genuine.headers };
    delete headers[name];
    expect(refusal(genuine.body, headers)).toMatch(/Missing required headers/);
  });

  it('a parsed body is a programming error (TypeError), not a verification result', () => {
    expect(() => sy.webhooks.verify(JSON.parse(genuine.body) as string, genuine.headers, genuine.secret)).toThrow(TypeError);
  });
});
