import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, TEST_REDIS_URL, type Harness } from './helpers/harness.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';
import { startWorker, type RunningWorker } from '../src/jobs/worker.js';

/**
 * Fault injection for outbound webhooks (guarantees in docs/architecture.md): a worker killed mid-delivery, the queue's
 * Redis connection cut while invoices change, two workers sharing the queue. Each test gets its own
 * harness (database + Redis prefix), tenant and receiver path.
 */

/** Short schedule and timings so retries, sweeps and relays happen within a test. */
const TIMINGS = {
  WEBHOOK_RETRY_SCHEDULE: '0,1,1,1,1',
  WEBHOOK_TIMEOUT_MS: '2000',
  // BullMQ's lockDuration and stalledInterval for delivery jobs (src/jobs/worker.ts); by default 2 s + 15 s.
  WEBHOOK_JOB_LOCK_MS: '4000',
  OUTBOX_POLL_MS: '200',
  DELIVERY_SWEEP_MS: '500',
  DELIVERY_SWEEP_GRACE_MS: '1000',
};

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

// ---------------------------------------------------------------------------------------------
// Worker child processes: the BUILT entry point (the global setup builds dist/), as in process.test.ts.

interface WorkerProcess {
  name: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** The probe port it logged once listening (started with PORT=0). */
  port(): Promise<number>;
  /** Its /metrics counter of deliveries it moved to `outcome`. */
  deliveries(outcome: 'succeeded' | 'retrying' | 'failed'): Promise<number>;
}

const spawned: WorkerProcess[] = [];

function spawnWorker(name: string, env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['dist/src/main.js', 'worker'], {
    env: { ...process.env, ...env, PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let port: Promise<number> | undefined;
  const proc: WorkerProcess = {
    name,
    child,
    output: () => out,
    exited,
    port: () =>
      (port ??= eventually(
        async () => {
          if (child.exitCode !== null || child.signalCode !== null) throw new Error(`worker ${name} exited early:\n${out}`);
          const m = /"port":(\d+)/.exec(out);
          if (!m) throw new Error(`worker ${name} not listening yet:\n${out}`);
          return Number(m[1]);
        },
        { timeoutMs: 20_000, intervalMs: 50 },
      )),
    async deliveries(outcome) {
      const text = await (await fetch(`http://127.0.0.1:${await proc.port()}/metrics`)).text();
      const m = new RegExp(`^switchyard_webhook_deliveries_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(text);
      return m ? Number(m[1]) : 0;
    },
  };
  spawned.push(proc);
  return proc;
}

const isRunning = (p: WorkerProcess) => p.child.exitCode === null && p.child.signalCode === null;

/** Every child still running gets SIGKILL; waits until each has exited. */
async function killAllWorkers(): Promise<void> {
  const running = spawned.splice(0);
  for (const p of running) if (isRunning(p)) p.child.kill('SIGKILL');
  await Promise.all(running.map((p) => p.exited));
}
afterEach(killAllWorkers);
afterAll(killAllWorkers);

// ---------------------------------------------------------------------------------------------
// API helpers

/** A fresh tenant with one endpoint on its own receiver path. */
async function setupTenant(h: Harness, opts: { events?: string[] } = {}) {
  const shop = await h.createTenant(`Faults ${randomBytes(3).toString('hex')}`);
  const path = `/faults/${randomBytes(6).toString('hex')}`;
  const res = await h.client.post('/v1/webhook-endpoints', { auth: shop.testKey, body: { url: receiver.url(path), ...opts } });
  expect(res.status).toBe(201);
  return { shop, path, endpoint: res.body as { id: string; secret: string } };
}

async function createInvoice(h: Harness, key: string): Promise<{ id: string; ms: number }> {
  const started = performance.now();
  const res = await h.client.post('/v1/invoices', { auth: key, body: { amount: '9.99', currency: 'USD' } });
  const ms = performance.now() - started;
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id as string, ms };
}

async function simulatePaid(h: Harness, key: string, invoiceId: string): Promise<{ ms: number }> {
  const started = performance.now();
  const res = await h.client.post(`/v1/invoices/${invoiceId}/simulate`, { auth: key, body: { status: 'paid' } });
  const ms = performance.now() - started;
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.status).toBe('paid');
  return { ms };
}

/** Received requests on `path`, grouped by the `webhook-id` header (the event id). */
function byWebhookId(path: string): Map<string, number> {
  const groups = new Map<string, number>();
  for (const r of receiver.on(path)) {
    const id = String(r.headers['webhook-id']);
    groups.set(id, (groups.get(id) ?? 0) + 1);
  }
  return groups;
}

/** A loopback proxy in front of the test Redis, to cut and restore the queue connection. */
const startRedisProxy = (): Promise<TcpProxy> => {
  const url = new URL(TEST_REDIS_URL);
  return startTcpProxy({ host: url.hostname, port: Number(url.port || 6379) });
};

const countOf = async (q: Promise<Array<Record<string, unknown>>>) => Number((await q)[0]!.n);

/**
 * Nothing more can be delivered for these tenants: every event relayed, no delivery pending, and
 * no delivery job left in the queue (waiting, active or delayed). Only then is "exactly once" final.
 */
async function flushed(h: Harness, tenantIds: string[]): Promise<void> {
  await eventually(
    async () => {
      expect(await countOf(h.core.db('event_outbox').join('events', 'events.id', 'event_outbox.event_id').whereIn('events.tenant_id', tenantIds).count('* as n'))).toBe(0);
      expect(await countOf(h.core.db('deliveries').whereIn('tenant_id', tenantIds).where({ status: 'pending' }).count('* as n'))).toBe(0);
      const counts = await h.core.deliveryQueue.counts();
      expect({ waiting: counts.waiting, active: counts.active, delayed: counts.delayed }).toEqual({ waiting: 0, active: 0, delayed: 0 });
    },
    { timeoutMs: 20_000, intervalMs: 100 },
  );
}

// ---------------------------------------------------------------------------------------------

describe('webhook delivery under faults', () => {
  it(
    'a worker killed with SIGKILL mid-delivery: the event is still delivered once a worker comes back',
    async () => {
      const h = await startHarness(TIMINGS);
      try {
        const first = spawnWorker('first', h.env);
        await first.port();
        const { shop, path, endpoint } = await setupTenant(h, { events: ['invoice.created'] });
        // The first request hangs (the delivery is in flight); every later one gets 200.
        receiver.respond(path, 'hang');
        const invoice = await createInvoice(h, shop.testKey);

        await eventually(async () => expect(receiver.on(path)).toHaveLength(1), { timeoutMs: 10_000, intervalMs: 20 });
        first.child.kill('SIGKILL');
        const killedAt = Date.now();
        await first.exited;
        expect(first.child.signalCode).toBe('SIGKILL');

        const [event] = await h.core.db('events').where({ tenant_id: shop.id, type: 'invoice.created' });
        expect(event).toBeDefined();
        expect(receiver.on(path)[0]!.headers['webhook-id']).toBe(event.id);
        expect(event.data).toMatchObject({ id: invoice.id });
        // Killed mid-delivery: relayed into one pending delivery, and no attempt was recorded (it never finished).
        expect(await h.core.db('event_outbox').where({ event_id: event.id })).toEqual([]);
        const [pending] = await h.core.db('deliveries').where({ event_id: event.id });
        expect(pending).toMatchObject({ endpoint_id: endpoint.id, status: 'pending', attempts: 0 });
        expect(await h.core.db('delivery_attempts').where({ event_id: event.id })).toHaveLength(0);

        const second = spawnWorker('second', h.env);
        await second.port();
        // The sweeper cannot help here (the attempt's job id still exists, active, in the queue): BullMQ
        // hands the dead worker's job on once its lock (WEBHOOK_JOB_LOCK_MS, 4 s) has expired and a
        // stalled check has seen it twice. Checks run every 4 s, but at most once per 4 s across all
        // workers (a key with that TTL): the new worker's first check may be skipped (the dead one
        // checked < 4 s ago), the next one marks the job, the one after moves it, unless it loses the
        // race against its own key's expiry and is skipped too. So ~8 s after the kill, sometimes ~12 s.
        const delivery = await eventually(
          async () => {
            const res = await h.client.get(`/v1/events/${event.id}/deliveries`, { auth: shop.testKey });
            expect(res.status).toBe(200);
            expect(res.body.data).toHaveLength(1);
            expect(res.body.data[0].status).toBe('succeeded');
            return res.body.data[0];
          },
          { timeoutMs: 40_000, intervalMs: 250 },
        ).catch((err: unknown) => {
          throw new Error(`not delivered ${Date.now() - killedAt} ms after the kill; the second worker said:\n${second.output()}`, { cause: err });
        });
        console.log(`[faults] delivered ${Date.now() - killedAt} ms after the SIGKILL`);
        expect(delivery).toMatchObject({ id: pending.id, endpoint_id: endpoint.id, attempt_count: 1, next_attempt_at: null });
        expect(delivery.attempts).toHaveLength(1);
        expect(delivery.attempts[0]).toMatchObject({ attempt: 1, succeeded: true, status_code: 200, error: null });

        // The receiver saw the killed attempt and the retry: same event id, same body; at least once.
        const received = receiver.on(path);
        expect(received).toHaveLength(2);
        expect(received.map((r) => r.headers['webhook-id'])).toEqual([event.id, event.id]);
        expect(received[1]!.body).toBe(received[0]!.body);
        expect(JSON.parse(received[1]!.body)).toMatchObject({ id: event.id, type: 'invoice.created', data: { id: invoice.id } });

        // Nothing else is owed and nothing more arrives.
        await flushed(h, [shop.id]);
        expect(receiver.on(path)).toHaveLength(2);
        expect(await second.deliveries('succeeded')).toBe(1);
      } finally {
        await killAllWorkers();
        await h.close();
      }
    },
    // Typically ~41 s; up to ~60 s when a stalled check loses its race (see above).
    75_000,
  );

  it(
    'the queue connection cut: the API keeps answering without waiting for Redis (events go to PostgreSQL; the rate limiter falls back to memory)',
    async () => {
      const proxy = await startRedisProxy();
      const h = await startHarness({ ...TIMINGS, REDIS_URL: proxy.url('redis') });
      try {
        const { shop } = await setupTenant(h);
        await createInvoice(h, shop.testKey);
        await proxy.cut();
        // One request after another, as a tenant's checkout would send them while Redis stays away. Nothing
        // on this path needs Redis to answer: the rate limit is the only Redis call, with an in-memory fallback.
        // A liveness bound, not a performance one: these answer in milliseconds; a request that waits
        // for Redis to come back (the bug this guards against) takes seconds and grows with the outage.
        const LIVENESS_MS = 5000;
        const N = 6;
        const M = 3;
        const created = [];
        for (let i = 0; i < N; i++) {
          const inv = await createInvoice(h, shop.testKey);
          created.push(inv);
          expect(inv.ms, `POST /v1/invoices #${i + 1} while Redis is cut took ${Math.round(inv.ms)} ms`).toBeLessThan(LIVENESS_MS);
        }
        for (const inv of created.slice(0, M)) {
          const { ms } = await simulatePaid(h, shop.testKey, inv.id);
          expect(ms, `simulate paid while Redis is cut took ${Math.round(ms)} ms`).toBeLessThan(LIVENESS_MS);
        }
        // The changes and their events are committed in PostgreSQL.
        const events = await h.core.db('events').where({ tenant_id: shop.id }).select('type');
        expect(events.filter((e) => e.type === 'invoice.created')).toHaveLength(N + 1);
        expect(events.filter((e) => e.type === 'invoice.paid')).toHaveLength(M);
        // Readiness says Redis is away (within its own 2 s probe timeout).
        const ready = await h.client.get('/readyz');
        expect(ready.status).toBe(503);
        expect(ready.body.checks).toEqual({ postgres: 'ok', redis: 'error' });
      } finally {
        proxy.restore();
        await h.close();
        await proxy.close();
      }
    },
    30_000,
  );

  it(
    'the queue connection cut while invoices change: once it is back every event is delivered exactly once',
    async () => {
      const proxy = await startRedisProxy();
      // The whole queue path (the API's core and delivery queue, the worker) reaches Redis only through the proxy.
      const logs: Array<Record<string, unknown>> = [];
      const h = await startHarness({ ...TIMINGS, REDIS_URL: proxy.url('redis') }, { logDestination: { write: (line) => void logs.push(JSON.parse(line)) } });
      let worker: RunningWorker | undefined;
      let openBeforeCut = 0;
      try {
        worker = await startWorker(h.core);
        const { shop, path } = await setupTenant(h);

        // The path works before the cut.
        await createInvoice(h, shop.testKey);
        await eventually(async () => expect(receiver.on(path)).toHaveLength(1));
        await flushed(h, [shop.id]);
        openBeforeCut = proxy.open();
        expect(openBeforeCut).toBeGreaterThan(0);

        await proxy.cut();
        const N = 6;
        const M = 3;
        // Sent together: how long each answer takes while cut is the previous test's concern.
        const created = await Promise.all(Array.from({ length: N }, () => createInvoice(h, shop.testKey)));
        await Promise.all(created.slice(0, M).map((inv) => simulatePaid(h, shop.testKey, inv.id)));

        // While cut, the relay still turns every event into a pending delivery (PostgreSQL only)...
        await eventually(
          async () => {
            expect(await countOf(h.core.db('event_outbox').join('events', 'events.id', 'event_outbox.event_id').where({ 'events.tenant_id': shop.id }).count('* as n'))).toBe(0);
            expect(await countOf(h.core.db('deliveries').where({ tenant_id: shop.id, status: 'pending' }).count('* as n'))).toBe(N + M);
          },
          { timeoutMs: 10_000, intervalMs: 100 },
        );
        // ...which the relay could not queue, and which the sweeper has since tried to look up in the
        // queue (and failed: Redis is away), all without any reaching the endpoint.
        await eventually(
          async () => {
            expect(logs.some((l) => l.msg === 'could not queue deliveries; the sweeper will')).toBe(true);
            expect(logs.some((l) => l.msg === 'delivery sweep failed; will retry')).toBe(true);
          },
          { timeoutMs: 15_000, intervalMs: 100 },
        );
        expect(receiver.on(path)).toHaveLength(1);
        expect(proxy.open()).toBe(0);

        const acceptedBeforeRestore = proxy.accepted();
        const restoredAt = Date.now();
        proxy.restore();
        const events = (await h.core.db('events').where({ tenant_id: shop.id }).select('id', 'type')) as Array<{ id: string; type: string }>;
        expect(events.filter((e) => e.type === 'invoice.created')).toHaveLength(N + 1);
        expect(events.filter((e) => e.type === 'invoice.paid')).toHaveLength(M);
        await eventually(async () => expect(new Set(byWebhookId(path).keys())).toEqual(new Set(events.map((e) => e.id))), {
          timeoutMs: 30_000,
          intervalMs: 100,
        });
        console.log(`[faults] all ${events.length} events delivered ${Date.now() - restoredAt} ms after Redis came back`);
        expect(proxy.accepted()).toBeGreaterThan(acceptedBeforeRestore);
        // Every Redis client (the API's, the relay's and sweeper's queue, the BullMQ workers) is connected again.
        await eventually(async () => expect(proxy.open()).toBeGreaterThanOrEqual(openBeforeCut), { timeoutMs: 10_000, intervalMs: 100 });

        // Exactly once: nothing left to deliver, then one 2xx (the receiver only answers 200) per event id.
        await flushed(h, [shop.id]);
        const groups = byWebhookId(path);
        expect(groups.size).toBe(1 + N + M);
        expect([...groups.entries()].filter(([, n]) => n !== 1)).toEqual([]);
        const deliveries = await h.core.db('deliveries').where({ tenant_id: shop.id });
        expect(deliveries).toHaveLength(1 + N + M);
        for (const d of deliveries) expect(d).toMatchObject({ status: 'succeeded', attempts: 1 });
        const attempts = await h.core.db('delivery_attempts').whereIn('event_id', events.map((e) => e.id));
        expect(attempts).toHaveLength(1 + N + M);
        expect(attempts.every((a) => a.succeeded && a.status_code === 200)).toBe(true);
      } finally {
        proxy.restore();
        if (worker) {
          // BullMQ's Worker.close() never resolves when called while its connection is down or still
          // reconnecting: on a failure path, let the clients reconnect first and bound the wait.
          await eventually(async () => expect(proxy.open()).toBeGreaterThanOrEqual(openBeforeCut), { timeoutMs: 10_000, intervalMs: 100 }).catch(() => undefined);
          const closing = worker.close();
          closing.catch(() => undefined);
          await Promise.race([closing, new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref())]);
        }
        await h.close();
        await proxy.close();
      }
    },
    60_000,
  );

  it(
    'two worker processes: each event reaches the endpoint, with no duplicate 2xx delivery',
    async () => {
      const h = await startHarness(TIMINGS);
      try {
        const workers = [spawnWorker('w1', h.env), spawnWorker('w2', h.env)];
        await Promise.all(workers.map((w) => w.port()));
        const { shop, path } = await setupTenant(h);

        const INVOICES = 40;
        const invoices: Array<{ id: string }> = [];
        for (let i = 0; i < INVOICES; i += 10) {
          invoices.push(...(await Promise.all(Array.from({ length: 10 }, () => createInvoice(h, shop.testKey)))));
        }
        const toPay = invoices.filter((_, i) => i % 2 === 0);
        for (let i = 0; i < toPay.length; i += 10) {
          await Promise.all(toPay.slice(i, i + 10).map((inv) => simulatePaid(h, shop.testKey, inv.id)));
        }

        const events = (await h.core.db('events').where({ tenant_id: shop.id }).select('id', 'type')) as Array<{ id: string; type: string }>;
        expect(events.filter((e) => e.type === 'invoice.created')).toHaveLength(INVOICES);
        expect(events.filter((e) => e.type === 'invoice.paid')).toHaveLength(toPay.length);
        expect(events.length).toBeGreaterThanOrEqual(60);

        await eventually(async () => expect(new Set(byWebhookId(path).keys())).toEqual(new Set(events.map((e) => e.id))), {
          timeoutMs: 30_000,
          intervalMs: 100,
        });
        await flushed(h, [shop.id]);

        const groups = byWebhookId(path);
        expect(groups.size).toBe(events.length);
        expect([...groups.entries()].filter(([, n]) => n !== 1)).toEqual([]);
        const deliveries = await h.core.db('deliveries').where({ tenant_id: shop.id });
        expect(deliveries).toHaveLength(events.length);
        for (const d of deliveries) expect(d).toMatchObject({ status: 'succeeded', attempts: 1 });

        // Each success was recorded by exactly one worker, and the two shared the work.
        const split = await Promise.all(workers.map((w) => w.deliveries('succeeded')));
        console.log(`[faults] deliveries per worker: ${split.join(' + ')} = ${events.length}`);
        expect(split[0]! + split[1]!).toBe(events.length);
        expect(Math.min(...split), 'one worker took every job').toBeGreaterThan(0);
        for (const w of workers) expect(isRunning(w), w.output()).toBe(true);
      } finally {
        await killAllWorkers();
        await h.close();
      }
    },
    60_000,
  );
});
