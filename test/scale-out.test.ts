import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../src/db/knex.js';
import { signOperatorToken } from '../src/security/operator-token.js';
import { createDatabaseFromTemplate, databaseUrl, dropDatabase } from './helpers/databases.js';
import { deleteRedisKeys, eventually, TEST_REDIS_URL } from './helpers/harness.js';
import { callSwitchyard, freePort, startSwitchyard, type HttpAnswer, type HttpCall, type SwitchyardProcess } from './helpers/processes.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { startCryptoPayEmulator, type CryptoPayEmulator } from './emulators/cryptopay.js';

/**
 * Scale-out: two API and two worker processes against one PostgreSQL and one Redis give the
 * results one of each gives. The same workload (idempotent creates sent twice at once, Crypto Pay
 * payments whose webhooks arrive twice, sandbox payments, cancels and expiries) runs for one
 * tenant on 1 API + 1 worker, then for another on 2 + 2, spread over both APIs; the outcomes must
 * be equal, with nothing duplicated or skipped. Then what the processes share: one rate limit per
 * key across both APIs, and a circuit opened through one API is open for the other.
 */

const RATE_LIMIT_MAX = 200;
const INVOICES = 24;

let db: Db;
let dbName: string;
let emu: CryptoPayEmulator;
let receiver: Receiver;
let operator: string;
const queuePrefix = `sytest:scale:${randomBytes(3).toString('hex')}`;
const apis: SwitchyardProcess[] = [];
const workers: SwitchyardProcess[] = [];
let env: Record<string, string>;

const call = (base: string, method: string, path: string, opts: HttpCall = {}): Promise<HttpAnswer> => callSwitchyard(base, method, path, opts);

async function must(base: string, method: string, path: string, opts: Parameters<typeof call>[3], status = 201) {
  const res = await call(base, method, path, opts);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}

async function startPair(n: number): Promise<void> {
  const [apiPort, workerPort] = [await freePort(), await freePort()];
  const api = startSwitchyard(`api${n}`, 'api', apiPort, env);
  const worker = startSwitchyard(`worker${n}`, 'worker', workerPort, env);
  apis.push(api);
  workers.push(worker);
  // Compiling the request validators takes an API seconds to start (more when two start at once, or under load).
  await Promise.all([api.ready(90_000), worker.ready()]);
}

/** A worker's count of deliveries it recorded as succeeded (its /metrics). */
async function deliveredBy(worker: SwitchyardProcess): Promise<number> {
  const text = await (await fetch(`${worker.base}/metrics`)).text();
  return Number(/^switchyard_webhook_deliveries_total\{outcome="succeeded"\} (\d+)/m.exec(text)?.[1] ?? 0);
}

beforeAll(async () => {
  dbName = await createDatabaseFromTemplate();
  db = createDb(databaseUrl(dbName));
  emu = await startCryptoPayEmulator();
  receiver = await startReceiver();
  const operatorSecret = randomBytes(24).toString('hex');
  env = {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl(dbName),
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: 'warn',
    PUBLIC_BASE_URL: 'http://switchyard.test',
    ALLOW_PRIVATE_WEBHOOK_URLS: 'true',
    OPERATOR_JWT_SECRET: operatorSecret,
    MASTER_KEY: randomBytes(32).toString('base64'),
    RATE_LIMIT_MAX: String(RATE_LIMIT_MAX),
    RATE_LIMIT_WINDOW_SECONDS: '60',
    CIRCUIT_BREAKER_FAILURES: '2',
    CIRCUIT_BREAKER_OPEN_SECONDS: '60',
    WEBHOOK_TIMEOUT_MS: '2000',
    OUTBOX_POLL_MS: '200',
    DELIVERY_SWEEP_MS: '500',
    DELIVERY_SWEEP_GRACE_MS: '1000',
    EXPIRE_INTERVAL_SECONDS: '1',
  };
  operator = await signOperatorToken(operatorSecret, 'scale', 3600);
  await startPair(1);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([...apis, ...workers].map((p) => p.stop()));
  await Promise.allSettled([emu?.stop(), receiver?.close()]);
  await db?.destroy();
  if (dbName) await dropDatabase(dbName);
  await deleteRedisKeys(queuePrefix);
}, 120_000);

/** A tenant with a test key, an endpoint for every event on its own receiver path, and a Crypto Pay account. */
async function setupTenant(name: string) {
  const base = apis[0]!.base;
  const tenant = await must(base, 'POST', '/admin/v1/tenants', { auth: operator, body: { name } });
  const key = String((await must(base, 'POST', `/admin/v1/tenants/${String(tenant.id)}/api-keys`, { auth: operator, body: { mode: 'test' } })).secret);
  const path = `/scale-${randomBytes(4).toString('hex')}`;
  await must(base, 'POST', '/v1/webhook-endpoints', { auth: key, body: { url: receiver.url(path) } });
  const account = await must(base, 'POST', '/v1/gateway-accounts', { auth: key, body: { connector: 'cryptopay', ...emu.account } });
  return { tenantId: String(tenant.id), key, path, accountId: String(account.id) };
}

/** Sends the same create to two APIs at once under one Idempotency-Key, retrying a 409 like a client: one invoice, one id. */
async function createTwice(bases: [string, string], key: string, body: Record<string, unknown>): Promise<string> {
  const idempotencyKey = `scale-${randomBytes(6).toString('hex')}`;
  const send = async (base: string): Promise<string> =>
    eventually(
      async () => {
        const res = await call(base, 'POST', '/v1/invoices', { auth: key, body, headers: { 'Idempotency-Key': idempotencyKey } });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        return String(res.body.id);
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
  const [a, b] = await Promise.all(bases.map(send));
  expect(a).toBe(b);
  return a!;
}

/** The same workload on whatever processes run now; resolves what came of it. */
async function workload(name: string) {
  const t = await setupTenant(name);
  const bases = apis.map((a) => a.base);
  const on = (i: number) => bases[i % bases.length]!;
  const pair = (i: number): [string, string] => [on(i), on(i + 1)];
  const deliveredBefore = await Promise.all(workers.map(deliveredBy));

  // Four kinds of invoice, spread over the APIs: paid at Crypto Pay, paid in the sandbox, cancelled, expired.
  const created = await Promise.all(
    Array.from({ length: INVOICES }, (_, i) =>
      createTwice(pair(i), t.key, { amount: '5', currency: 'USDT', gateway: i % 4 === 0 ? 'cryptopay' : 'sandbox', metadata: { i } }),
    ),
  );
  await Promise.all(
    created.map(async (id, i) => {
      if (i % 4 === 0) {
        const invoice = await must(on(i), 'GET', `/v1/invoices/${id}`, { auth: t.key }, 200);
        const upstreamId = Number((invoice.gateway as { upstream_id: string }).upstream_id);
        emu.pay(upstreamId);
        // The upstream's webhook arrives twice, once through each API.
        for (const base of pair(i)) expect((await emu.sendWebhook(upstreamId, `${base}/hooks/cryptopay/${t.accountId}`)).status).toBe(200);
      } else if (i % 4 === 1) {
        await must(on(i), 'POST', `/v1/invoices/${id}/simulate`, { auth: t.key, body: { status: 'paid' } }, 200);
      } else if (i % 4 === 2) {
        await must(on(i), 'POST', `/v1/invoices/${id}/cancel`, { auth: t.key }, 200);
      }
    }),
  );
  await db('invoices')
    .whereIn('id', created.filter((_, i) => i % 4 === 3))
    .update({ expires_at: db.raw(`now() - interval '1 second'`) });

  // Quiescent: every invoice settled, every webhook processed, every event relayed and delivered.
  await eventually(
    async () => {
      const statuses = await db('invoices').where({ tenant_id: t.tenantId }).select('status');
      expect(statuses.filter((s) => s.status === 'pending' || s.status === 'processing')).toEqual([]);
      expect(await db('upstream_webhooks').where({ verified: true }).whereNull('processed_at')).toEqual([]);
      expect(await db('event_outbox').join('events', 'events.id', 'event_outbox.event_id').where({ 'events.tenant_id': t.tenantId })).toEqual([]);
      expect(await db('deliveries').where({ tenant_id: t.tenantId, status: 'pending' })).toEqual([]);
      const events = await db('events').where({ tenant_id: t.tenantId }).count('* as n');
      expect(new Set(receiver.on(t.path).map((r) => r.headers['webhook-id'])).size).toBe(Number(events[0]!.n));
    },
    { timeoutMs: 45_000, intervalMs: 200 },
  );
  const deliveredAfter = await Promise.all(workers.map(deliveredBy));

  const tally = (rows: Array<Record<string, unknown>>, col: string) => {
    const counts: Record<string, number> = {};
    for (const r of rows) counts[String(r[col])] = (counts[String(r[col])] ?? 0) + 1;
    return counts;
  };
  const received = receiver.on(t.path);
  const hooks = await db('upstream_webhooks').where({ gateway_account_id: t.accountId });
  const summary = {
    invoices: tally(await db('invoices').where({ tenant_id: t.tenantId }).select('status'), 'status'),
    events: tally(await db('events').where({ tenant_id: t.tenantId }).select('type'), 'type'),
    eventsPerInvoice: tally(
      await db('events').where({ tenant_id: t.tenantId }).groupBy('invoice_id', 'type').select(db.raw('count(*)::int as n')),
      'n',
    ),
    deliveries: tally(await db('deliveries').where({ tenant_id: t.tenantId }).select('status'), 'status'),
    received: { requests: received.length, events: new Set(received.map((r) => r.headers['webhook-id'])).size },
    upstreamWebhooks: { stored: hooks.length, processed: hooks.filter((h) => h.processed_at).length },
  };
  return { summary, perWorker: deliveredAfter.map((n, i) => n - (deliveredBefore[i] ?? 0)) };
}

describe('two API and two worker processes', () => {
  it('give the results of one of each: nothing duplicated, nothing skipped', async () => {
    const one = await workload('One of each');
    await startPair(2);
    const two = await workload('Two of each');
    console.log(`[scale-out] 1+1: ${JSON.stringify(one.summary)}`);
    console.log(`[scale-out] 2+2 deliveries per worker: ${two.perWorker.join(' + ')}`);
    expect(two.summary).toEqual(one.summary);
    // Exactly what the workload makes: each invoice once, each event once, each delivered once.
    const q = INVOICES / 4;
    expect(one.summary.invoices).toEqual({ cancelled: q, expired: q, paid: 2 * q });
    expect(one.summary.events).toEqual({ 'invoice.cancelled': q, 'invoice.created': INVOICES, 'invoice.expired': q, 'invoice.paid': 2 * q });
    expect(one.summary.eventsPerInvoice).toEqual({ '1': INVOICES * 2 });
    expect(one.summary.received).toEqual({ requests: INVOICES * 2, events: INVOICES * 2 });
    expect(one.summary.upstreamWebhooks).toEqual({ stored: 2 * q, processed: 2 * q });
    // Both workers took part.
    expect(two.perWorker.reduce((a, b) => a + b, 0)).toBe(INVOICES * 2);
    expect(Math.min(...two.perWorker), 'one worker delivered everything').toBeGreaterThan(0);
  }, 180_000);

  it('share one rate limit per key: the two APIs together allow RATE_LIMIT_MAX requests, not twice as many', async () => {
    const t = await setupTenant('Rate limited');
    // Each API spends a small lease of the key's budget locally, so once one API refuses, the
    // other may still spend what it holds; after that both refuse, having admitted at most the
    // limit together. Setup spent a few of the key's requests already.
    const refused = new Set<number>();
    let allowed = 0;
    for (let i = 0; refused.size < 2 && i < 2 * RATE_LIMIT_MAX; i++) {
      const which = i % 2;
      if (refused.has(which)) continue;
      const res = await call(apis[which]!.base, 'GET', '/v1/invoices?limit=1', { auth: t.key });
      if (res.status === 429) refused.add(which);
      else {
        expect(res.status).toBe(200);
        allowed += 1;
      }
    }
    expect(refused.size, 'both APIs end up refusing').toBe(2);
    expect(allowed).toBeLessThanOrEqual(RATE_LIMIT_MAX);
    expect(allowed).toBeGreaterThan(RATE_LIMIT_MAX - 10);
    // Refused by both from now on: the count is shared.
    for (const api of apis) expect((await call(api.base, 'GET', '/v1/invoices?limit=1', { auth: t.key })).status).toBe(429);
  });

  it('share the circuit breaker: a circuit opened through one API is open for the other', async () => {
    const t = await setupTenant('Breaker');
    const [first, second] = apis as [SwitchyardProcess, SwitchyardProcess];
    emu.failNext('createInvoice', { status: 500, raw: 'upstream down', times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await call(first.base, 'POST', '/v1/invoices', { auth: t.key, body: { amount: '5', currency: 'USDT', gateway: 'cryptopay' } });
      expect(res.status).toBe(502);
    }
    const account = await must(second.base, 'GET', `/v1/gateway-accounts/${t.accountId}`, { auth: t.key }, 200);
    expect(account.circuit).toMatchObject({ state: 'open', consecutive_failures: 2 });
    const calls = emu.requests.filter((r) => r.apiMethod === 'createInvoice').length;
    const refused = await call(second.base, 'POST', '/v1/invoices', { auth: t.key, body: { amount: '5', currency: 'USDT', gateway: 'cryptopay' } });
    expect(refused.body).toMatchObject({ code: 'no_gateway_available' });
    expect(emu.requests.filter((r) => r.apiMethod === 'createInvoice').length, 'the second API skipped the paused account').toBe(calls);
  });
});
