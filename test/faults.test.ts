import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../src/db/knex.js';
import { signOperatorToken } from '../src/security/operator-token.js';
import { createProxiedDatabase, dropDatabase } from './helpers/databases.js';
import { deleteRedisKeys, eventually } from './helpers/harness.js';
import { callSwitchyard, freePort, startSwitchyard, type HttpCall, type SwitchyardProcess } from './helpers/processes.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { startRestartableRedis, type RestartableRedis } from './helpers/restartable-redis.js';
import type { TcpProxy } from './helpers/tcp-proxy.js';
import { startCryptoPayEmulator, type CryptoPayEmulator } from './emulators/cryptopay.js';

/**
 * Nothing is lost under any single fault (docs/architecture.md, guarantees). One API and one
 * worker process (the built code) against PostgreSQL behind a TCP proxy and a Redis that can be
 * restarted, under a steady load of invoice creates (clients with Idempotency-Keys that retry
 * like real ones) and upstream webhooks (a Crypto Pay emulator paying invoices and posting signed
 * webhooks, retrying until it gets a 2xx like the upstream does). While the load runs, one after
 * another: the worker killed with SIGKILL ten times (restarted each time, as an orchestrator
 * would), the API killed, Redis restarted, PostgreSQL cut, the upstream hanging past the timeout,
 * a tenant receiver hanging and then answering 503. Afterwards, waiting with deadlines: every
 * acknowledged invoice exists once, every state change has its event, every event reached every
 * subscribed endpoint, no delivery was made twice by the relay, every acknowledged upstream
 * webhook was processed, and the processes recovered on their own.
 */

const WORKER_KILLS = 10;
/** Concurrent clients creating invoices, and the pause each makes between two orders. */
const CLIENTS = 2;
const PAUSE_MS = 150;
/** A client gives up on one order after this long (none should need it). */
const ORDER_DEADLINE_MS = 60_000;
const CLIENT_TIMEOUT_MS = 10_000;

/** Short timings (the production defaults are data too); zero delays so retries never wait the ≥30 s a timeout earns. */
const TIMINGS = {
  WEBHOOK_RETRY_SCHEDULE: Array.from({ length: 40 }, () => '0').join(','),
  // A delivery job's BullMQ lock is this + 15 s (src/jobs/worker.ts).
  WEBHOOK_TIMEOUT_MS: '1000',
  OUTBOX_POLL_MS: '200',
  DELIVERY_SWEEP_MS: '500',
  DELIVERY_SWEEP_GRACE_MS: '1000',
  UPSTREAM_TIMEOUT_MS: '1000',
  CIRCUIT_BREAKER_FAILURES: '3',
  CIRCUIT_BREAKER_OPEN_SECONDS: '2',
};

let db: Db;
let dbName: string;
let pgProxy: TcpProxy;
let redis: RestartableRedis;
let emu: CryptoPayEmulator;
let receiver: Receiver;
let api: SwitchyardProcess;
let worker: SwitchyardProcess;
let queuePrefix: string;
let apiKey: string;
let tenantId: string;
let webhookUrl: string;
let accountId: string;
const paths = { all: `/all-${randomBytes(4).toString('hex')}`, flaky: `/flaky-${randomBytes(4).toString('hex')}` };
const FLAKY_EVENTS = ['invoice.created', 'invoice.paid'];

const call = (method: string, path: string, opts: HttpCall = {}) => callSwitchyard(api.base, method, path, opts, CLIENT_TIMEOUT_MS);

async function must(method: string, path: string, opts: Parameters<typeof call>[2], status = 201) {
  const res = await call(method, path, opts);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}

beforeAll(async () => {
  const database = await createProxiedDatabase();
  ({ name: dbName, proxy: pgProxy } = database);
  db = createDb(database.directUrl);
  redis = await startRestartableRedis();
  emu = await startCryptoPayEmulator();
  receiver = await startReceiver();
  queuePrefix = `sytest:faults:${randomBytes(3).toString('hex')}`;
  const [apiPort, workerPort] = [await freePort(), await freePort()];
  const operatorSecret = randomBytes(24).toString('hex');
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: database.proxiedUrl,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'warn',
    PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}`,
    ALLOW_PRIVATE_WEBHOOK_URLS: 'true',
    OPERATOR_JWT_SECRET: operatorSecret,
    MASTER_KEY: randomBytes(32).toString('base64'),
    RATE_LIMIT_MAX: '100000',
    ...TIMINGS,
  };
  api = startSwitchyard('api', 'api', apiPort, env);
  worker = startSwitchyard('worker', 'worker', workerPort, env);
  await Promise.all([api.ready(), worker.ready()]);

  const operator = await signOperatorToken(operatorSecret, 'faults', 3600);
  const tenant = await must('POST', '/admin/v1/tenants', { auth: operator, body: { name: 'Faulty shop' } });
  tenantId = String(tenant.id);
  apiKey = String((await must('POST', `/admin/v1/tenants/${tenantId}/api-keys`, { auth: operator, body: { mode: 'test' } })).secret);
  await must('POST', '/v1/webhook-endpoints', { auth: apiKey, body: { url: receiver.url(paths.all) } });
  await must('POST', '/v1/webhook-endpoints', { auth: apiKey, body: { url: receiver.url(paths.flaky), events: FLAKY_EVENTS } });
  // Crypto Pay first; the built-in sandbox (lowest priority) takes over when it fails.
  const account = await must('POST', '/v1/gateway-accounts', { auth: apiKey, body: { connector: 'cryptopay', ...emu.account } });
  webhookUrl = String(account.webhook_url);
  accountId = String(account.id);
}, 90_000);

/** One cleanup step, given up on (and named) if it takes too long on a busy machine: cleanup never fails a test that passed. */
async function bounded(name: string, step: Promise<unknown> | undefined, ms = 20_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  const outcome = await Promise.race([Promise.resolve(step).then(() => 'done' as const, () => 'done' as const), late]);
  clearTimeout(timer);
  if (outcome === 'late') console.warn(`[faults] cleanup: ${name} did not finish within ${ms} ms; left behind`);
}

afterAll(async () => {
  await bounded('stopping the processes', Promise.allSettled([api?.stop(), worker?.stop()]));
  await bounded('stopping the emulator and receiver', Promise.allSettled([emu?.stop(), receiver?.close()]));
  await bounded('stopping Redis', redis?.close());
  await bounded('closing the PostgreSQL proxy', pgProxy?.close());
  await bounded('closing the database pool', db?.destroy());
  if (dbName) await bounded('dropping the database', dropDatabase(dbName));
  if (queuePrefix && redis?.kind === 'proxy') await bounded('deleting the Redis keys', deleteRedisKeys(queuePrefix));
}, 150_000);

// ---------------------------------------------------------------------------------------------
// The load: clients creating invoices, the upstream paying some and notifying us.

interface Order {
  n: number;
  key: string;
  attempts: number;
  /** Every answer: an HTTP status, or 0 for a network error or client timeout. */
  answers: number[];
  acked?: { id: string; connector: string; upstreamId: string | null };
}

interface Payment {
  invoiceId: string;
  upstreamId: number;
  sends: number;
  acked: boolean;
}

const orders: Order[] = [];
const payments: Payment[] = [];
const pending: Array<Promise<void>> = [];
let loadOn = false;
let nextOrder = 1;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A real client: one Idempotency-Key per order, retried as is after a network error, a 5xx, a 409 or a 429. */
async function placeOrder(order: Order): Promise<void> {
  const body = { amount: '5', currency: 'USDT', description: `order ${order.n}`, metadata: { order: order.n } };
  const giveUp = Date.now() + ORDER_DEADLINE_MS;
  for (;;) {
    order.attempts++;
    let status = 0;
    try {
      const res = await call('POST', '/v1/invoices', { auth: apiKey, body, headers: { 'Idempotency-Key': order.key } });
      status = res.status;
      order.answers.push(status);
      if (status === 201) {
        const gateway = res.body.gateway as { connector: string; upstream_id: string | null };
        order.acked = { id: String(res.body.id), connector: gateway.connector, upstreamId: gateway.upstream_id };
        return;
      }
      if (status < 500 && status !== 409 && status !== 429) throw new Error(`order ${order.n}: ${status} ${JSON.stringify(res.body)}`);
    } catch (err) {
      if (status && status < 500 && status !== 409 && status !== 429) throw err;
      if (!status) order.answers.push(0);
    }
    if (Date.now() > giveUp) throw new Error(`order ${order.n} never acknowledged: answers ${order.answers.join(',')}`);
    await pause(200);
  }
}

/** The upstream: the buyer pays, and the signed webhook is POSTed until it is answered 2xx. */
async function payAndNotify(payment: Payment): Promise<void> {
  emu.pay(payment.upstreamId);
  const giveUp = Date.now() + ORDER_DEADLINE_MS;
  for (;;) {
    payment.sends++;
    const answer = await emu.sendWebhook(payment.upstreamId, webhookUrl).catch(() => ({ status: 0 }));
    if (answer.status >= 200 && answer.status < 300) {
      payment.acked = true;
      return;
    }
    if (Date.now() > giveUp) throw new Error(`webhook for ${payment.invoiceId} never acknowledged`);
    await pause(300);
  }
}

async function client(): Promise<void> {
  while (loadOn) {
    const order: Order = { n: nextOrder++, key: `order-${randomBytes(6).toString('hex')}`, attempts: 0, answers: [] };
    orders.push(order);
    await placeOrder(order);
    // Every other Crypto Pay invoice is paid upstream.
    if (order.acked?.connector === 'cryptopay' && order.n % 2 === 0) {
      const payment: Payment = { invoiceId: order.acked.id, upstreamId: Number(order.acked.upstreamId), sends: 0, acked: false };
      payments.push(payment);
      pending.push(payAndNotify(payment));
    }
    await pause(PAUSE_MS);
  }
}

// ---------------------------------------------------------------------------------------------
// Watching progress

const acked = () => orders.filter((o) => o.acked).length;
const answered2xx = (path: string) => receiver.on(path).filter((r) => r.status !== undefined && r.status >= 200 && r.status < 300).length;

/** The system moved on after a fault: more invoices acknowledged and more events delivered. */
async function progress(what: string, opts: { timeoutMs?: number } = {}): Promise<void> {
  const [a, d] = [acked(), answered2xx(paths.all)];
  await eventually(
    async () => {
      expect(acked(), `${what}: no invoice acknowledged since`).toBeGreaterThan(a);
      expect(answered2xx(paths.all), `${what}: nothing delivered since`).toBeGreaterThan(d);
    },
    { timeoutMs: opts.timeoutMs ?? 30_000, intervalMs: 50 },
  );
}

const timeline: string[] = [];
async function fault(name: string, run: () => Promise<void>): Promise<void> {
  const started = Date.now();
  await run();
  timeline.push(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`[faults] ${timeline.at(-1)} (acknowledged ${acked()}, delivered ${answered2xx(paths.all)})`);
}

const count = async (q: PromiseLike<Array<Record<string, unknown>>>) => Number((await q)[0]!.n);

// ---------------------------------------------------------------------------------------------

describe('no loss under faults', () => {
  it(
    'under load, through worker and API kills, a Redis restart, a PostgreSQL cut, a hanging upstream and a failing receiver',
    async () => {
      const started = Date.now();
      loadOn = true;
      const clients = Array.from({ length: CLIENTS }, () => client());
      const loadFailed = Promise.all(clients).then(
        () => undefined,
        (err: unknown) => err,
      );
      try {
        await progress('the load starting');

        await fault(`worker SIGKILLed ${WORKER_KILLS}× and restarted`, async () => {
          for (let i = 0; i < WORKER_KILLS; i++) {
            await worker.kill();
            await worker.restart();
            await worker.ready();
            await progress(`worker restart ${i + 1}`);
          }
        });

        await fault('API SIGKILLed and restarted', async () => {
          await api.kill();
          // Clients meet a closed port for a moment, as behind a load balancer whose backend died.
          await eventually(async () => expect(orders.some((o) => !o.acked && o.answers.includes(0))).toBe(true), { timeoutMs: 5000, intervalMs: 20 }).catch(() => undefined);
          await api.restart();
          // Compiling the request validators of every operation takes the API seconds to start (many more under load).
          await api.ready(90_000);
          await progress('after the API restart');
        });

        await fault(`Redis ${redis.kind === 'private' ? 'restarted (its data lost)' : 'cut and restored'}`, async () => {
          const before = acked();
          await redis.down();
          await eventually(async () => expect([await api.readiness(), await worker.readiness()]).toEqual([503, 503]), { timeoutMs: 10_000, intervalMs: 100 });
          // Invoices are still created while Redis is away (their events wait in PostgreSQL).
          await eventually(async () => expect(acked()).toBeGreaterThanOrEqual(before + 5), { timeoutMs: 20_000, intervalMs: 50 });
          await redis.up();
          await Promise.all([api.ready(), worker.ready()]);
          await progress('after Redis came back');
        });

        await fault('PostgreSQL cut and restored', async () => {
          const failedBefore = orders.flatMap((o) => o.answers).filter((s) => s === 0 || s >= 500).length;
          await pgProxy.cut();
          await eventually(async () => expect([await api.readiness(), await worker.readiness()]).toEqual([503, 503]), { timeoutMs: 10_000, intervalMs: 100 });
          // A client met the outage before it ends.
          await eventually(async () => expect(orders.flatMap((o) => o.answers).filter((s) => s === 0 || s >= 500).length).toBeGreaterThan(failedBefore), {
            timeoutMs: 15_000,
            intervalMs: 50,
          });
          pgProxy.restore();
          await Promise.all([api.ready(), worker.ready()]);
          await progress('after PostgreSQL came back');
        });

        await fault('the upstream hanging past the timeout', async () => {
          emu.hang('createInvoice', true);
          const sandboxBefore = orders.filter((o) => o.acked?.connector === 'sandbox').length;
          // Creates time out upstream and fail over to the sandbox, until the breaker opens and skips Crypto Pay.
          await eventually(
            async () => {
              expect(emu.hung('createInvoice')).toBeGreaterThanOrEqual(Number(TIMINGS.CIRCUIT_BREAKER_FAILURES));
              expect(orders.filter((o) => o.acked?.connector === 'sandbox').length).toBeGreaterThanOrEqual(sandboxBefore + 3);
              const account = await call('GET', `/v1/gateway-accounts/${accountId}`, { auth: apiKey });
              expect((account.body.circuit as { state: string }).state).toBe('open');
            },
            { timeoutMs: 20_000, intervalMs: 50 },
          );
          emu.hang('createInvoice', false);
          const cryptopayBefore = orders.filter((o) => o.acked?.connector === 'cryptopay').length;
          await eventually(async () => expect(orders.filter((o) => o.acked?.connector === 'cryptopay').length).toBeGreaterThan(cryptopayBefore), {
            timeoutMs: 20_000,
            intervalMs: 50,
          });
        });

        await fault('a tenant receiver hanging, then answering 503', async () => {
          const flaky = () => receiver.on(paths.flaky);
          const hungBefore = flaky().filter((r) => r.status === undefined).length;
          receiver.always(paths.flaky, 'hang');
          await eventually(async () => expect(flaky().filter((r) => r.status === undefined).length).toBeGreaterThanOrEqual(hungBefore + 3), {
            timeoutMs: 15_000,
            intervalMs: 50,
          });
          const refusedBefore = flaky().filter((r) => r.status === 503).length;
          receiver.always(paths.flaky, { status: 503, headers: { 'retry-after': '1' }, body: 'busy' });
          await eventually(async () => expect(flaky().filter((r) => r.status === 503).length).toBeGreaterThanOrEqual(refusedBefore + 3), {
            timeoutMs: 15_000,
            intervalMs: 50,
          });
          receiver.always(paths.flaky, { status: 200, body: 'ok' });
          const okBefore = answered2xx(paths.flaky);
          await eventually(async () => expect(answered2xx(paths.flaky)).toBeGreaterThan(okBefore), { timeoutMs: 15_000, intervalMs: 50 });
        });
      } finally {
        loadOn = false;
      }
      const loadError = await loadFailed;
      if (loadError) throw loadError;
      const loadEnded = Date.now();
      const results = await Promise.allSettled(pending);
      const rejected = results.filter((r) => r.status === 'rejected');
      expect(rejected, String((rejected[0] as PromiseRejectedResult | undefined)?.reason)).toHaveLength(0);

      // Quiescence: everything owed has been done, or the deadline says what has not.
      const subscribed = (type: string) => [paths.all, ...(FLAKY_EVENTS.includes(type) ? [paths.flaky] : [])];
      let events: Array<{ id: string; type: string; invoice_id: string | null }> = [];
      const missing = () => {
        const got = new Map<string, Set<string>>();
        for (const r of receiver.received) {
          if (r.status === undefined || r.status < 200 || r.status >= 300) continue;
          const id = String(r.headers['webhook-id']);
          got.set(id, (got.get(id) ?? new Set()).add(r.path));
        }
        return events.flatMap((e) => subscribed(e.type).filter((p) => !got.get(e.id)?.has(p)).map((p) => `${e.type} ${e.id} → ${p}`));
      };
      await eventually(
        async () => {
          expect(await count(db('upstream_webhooks').where({ verified: true }).whereNull('processed_at').count('* as n')), 'unprocessed upstream webhooks').toBe(0);
          expect(await count(db('event_outbox').count('* as n')), 'unrelayed events').toBe(0);
          expect(await count(db('deliveries').where({ status: 'pending' }).count('* as n')), 'pending deliveries').toBe(0);
          events = await db('events').where({ tenant_id: tenantId }).select('id', 'type', 'invoice_id');
          expect(missing().slice(0, 10)).toEqual([]);
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      ).catch((err: unknown) => {
        throw new Error(`not quiescent ${Date.now() - loadEnded} ms after the load ended:\n${(err as Error).message}\nworker:\n${worker.output().slice(-3000)}\napi:\n${api.output().slice(-3000)}`);
      });
      const quiescentAfter = Date.now() - loadEnded;

      // Every acknowledged invoice exists exactly once (the clients' retries made no second one).
      const invoices = (await db('invoices').where({ tenant_id: tenantId }).select('id', 'status', 'metadata', 'connector')) as Array<{
        id: string;
        status: string;
        metadata: { order: number };
        connector: string;
      }>;
      const byOrder = new Map<number, string[]>();
      for (const inv of invoices) byOrder.set(inv.metadata.order, [...(byOrder.get(inv.metadata.order) ?? []), inv.id]);
      const ackedOrders = orders.filter((o) => o.acked);
      expect(ackedOrders).toHaveLength(orders.length);
      const duplicateInvoices = [...byOrder.values()].filter((ids) => ids.length > 1);
      expect(duplicateInvoices).toEqual([]);
      for (const o of ackedOrders) expect(byOrder.get(o.n), `order ${o.n}`).toEqual([o.acked!.id]);
      expect(invoices).toHaveLength(ackedOrders.length);

      // Every state change has its event, once; every payment the upstream acknowledged was applied.
      const typesOf = new Map<string, string[]>();
      for (const e of events) if (e.invoice_id) typesOf.set(e.invoice_id, [...(typesOf.get(e.invoice_id) ?? []), e.type]);
      const paidUpstream = new Set(payments.filter((p) => p.acked).map((p) => p.invoiceId));
      for (const inv of invoices) {
        const expected = inv.status === 'paid' ? ['invoice.created', 'invoice.paid'] : ['invoice.created'];
        expect((typesOf.get(inv.id) ?? []).sort(), `events of ${inv.id} (${inv.status})`).toEqual(expected);
        expect(inv.status, `invoice ${inv.id}`).toBe(paidUpstream.has(inv.id) ? 'paid' : 'pending');
      }
      expect(payments.every((p) => p.acked)).toBe(true);
      expect(await count(db('upstream_webhooks').where({ verified: false }).count('* as n')), 'refused upstream webhooks').toBe(0);

      // No delivery queued twice: one relay delivery per event and subscribed endpoint, each attempt recorded once.
      const doubleDeliveries = await db('deliveries').where({ origin: 'relay' }).groupBy('event_id', 'endpoint_id').havingRaw('count(*) > 1').select('event_id');
      expect(doubleDeliveries).toEqual([]);
      const doubleAttempts = await db('delivery_attempts').groupBy('delivery_id', 'attempt').havingRaw('count(*) > 1').select('delivery_id');
      expect(doubleAttempts).toEqual([]);
      const expectedDeliveries = events.reduce((n, e) => n + subscribed(e.type).length, 0);
      expect(await count(db('deliveries').where({ tenant_id: tenantId, origin: 'relay', status: 'succeeded' }).count('* as n'))).toBe(expectedDeliveries);

      // At least once: a receiver may have seen an event twice (an answer lost to a kill or a cut).
      const twice = new Map<string, number>();
      for (const r of receiver.received) {
        if (r.status === undefined || r.status < 200 || r.status >= 300) continue;
        const k = `${String(r.headers['webhook-id'])} ${r.path}`;
        twice.set(k, (twice.get(k) ?? 0) + 1);
      }
      const duplicates = [...twice.values()].filter((n) => n > 1).reduce((n, c) => n + c - 1, 0);
      const lost = missing().length;
      expect(lost).toBe(0);

      // The processes recovered by themselves: the ones not killed lived through the outages.
      expect(api.running() && worker.running()).toBe(true);
      expect(await api.readiness()).toBe(200);
      expect(await worker.readiness()).toBe(200);
      expect(worker.starts()).toBe(WORKER_KILLS + 1);
      expect(api.starts()).toBe(2);

      const hooks = await count(db('upstream_webhooks').count('* as n'));
      const processed = await count(db('upstream_webhooks').whereNotNull('processed_at').count('* as n'));
      const retries = orders.reduce((n, o) => n + o.attempts - 1, 0);
      console.log(
        [
          `[faults] ${((Date.now() - started) / 1000).toFixed(1)} s; quiescent ${(quiescentAfter / 1000).toFixed(1)} s after the load ended`,
          ...timeline.map((t) => `[faults]   ${t}`),
          `[faults] invoices: sent ${orders.length}, acknowledged ${ackedOrders.length}, client retries ${retries}, duplicates 0, lost ${orders.length - ackedOrders.length}`,
          `[faults] upstream webhooks: paid ${payments.length}, sent ${payments.reduce((n, p) => n + p.sends, 0)}, acknowledged ${payments.filter((p) => p.acked).length}, stored ${hooks}, processed ${processed}`,
          `[faults] events ${events.length}; deliveries owed ${expectedDeliveries}, delivered ${expectedDeliveries - lost}, duplicate 2xx deliveries ${duplicates} (at least once), lost ${lost}`,
        ].join('\n'),
      );
    },
    180_000,
  );
});
