/**
 * Scale-out benchmark: the same load on 1 API + 1 worker process and on 2 + 2, against one
 * PostgreSQL and one Redis. Each topology gets its own tenant (test key, one webhook endpoint on
 * a local receiver); autocannon creates sandbox invoices through every API at once (the
 * connections split evenly), and the workers deliver every `invoice.created` event to the
 * receiver. Reported per topology: invoice creates per second (with p50/p99 of the slowest API),
 * events delivered per second, how long after the load the last delivery arrived, and CPU.
 *
 *   npm run bench:scale                    # build, then run with the defaults below
 *   BENCH_SECONDS=30 npm run bench:scale   # longer measured runs
 *
 * Settings (environment):
 *   BENCH_SECONDS          measured seconds per topology (default 15)
 *   BENCH_WARMUP_SECONDS   unreported warm-up seconds per topology (default 3)
 *   BENCH_CONNECTIONS      concurrent connections in all, split over the APIs (default 20)
 *   BENCH_CONCURRENCY      WEBHOOK_CONCURRENCY of each worker (default 20, Switchyard's default)
 *   BENCH_DRAIN_SECONDS    deadline for the last delivery after the load (default 300)
 *   BENCH_TOPOLOGIES       process counts to run, in order: n means n APIs + n workers (default 1,2)
 *   DATABASE_URL           only its server and credentials are used (default postgres://<OS user>@127.0.0.1:5432)
 *   REDIS_URL              default redis://127.0.0.1:6379
 *
 * Needs PostgreSQL and Redis. Everything it creates (a switchyard_bench_<random> database, Redis
 * keys under bench:<random>:) is removed again at the end, also when the run fails.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import autocannon from 'autocannon';
import pg from 'pg';
import {
  cpuSecondsOf,
  cpuShare,
  createTenantAndKey,
  formatNumber as fmt,
  freePort,
  hasExited,
  intSetting,
  machineInfo,
  MAIN_JS,
  SWITCHYARD_NODE_FLAGS,
  migrateFreshDatabase,
  newBenchRun,
  pct,
  postgresVersion,
  printTable,
  REDIS_URL,
  request,
  runBenchmark,
  startChild,
  startSwitchyardApi,
  stopChild,
  switchyardEnv,
  tail,
  waitUntil,
  type Child,
} from './bench-lib.js';
import { ask, startBenchReceiver, type ReceiverDump } from './receiver-client.js';
import { newId } from '../src/domain/ids.js';
import { createSecretBox } from '../src/security/secret-box.js';
import { generateEndpointSecret } from '../src/webhooks/outbound/signature.js';

const positiveInt = (name: string, fallback: number) => intSetting(name, fallback, 1, 'a positive integer');

const SECONDS = positiveInt('BENCH_SECONDS', 15);
const WARMUP_SECONDS = positiveInt('BENCH_WARMUP_SECONDS', 3);
const CONNECTIONS = positiveInt('BENCH_CONNECTIONS', 20);
const CONCURRENCY = positiveInt('BENCH_CONCURRENCY', 20);
const DRAIN_SECONDS = positiveInt('BENCH_DRAIN_SECONDS', 300);
/** How many API and worker processes each topology runs, in order (e.g. "2,1" to measure 2+2 first). */
const TOPOLOGIES = (process.env.BENCH_TOPOLOGIES || '1,2').split(',').map((v) => {
  const n = Number(v.trim());
  if (!Number.isInteger(n) || n < 1 || n > 8) throw new Error(`BENCH_TOPOLOGIES must list process counts 1..8, e.g. 1,2 (got "${process.env.BENCH_TOPOLOGIES}")`);
  return n;
});

const INVOICE_BODY = JSON.stringify({ amount: '9.99', currency: 'USD', description: 'bench' });
const run = newBenchRun();

interface Load {
  reqPerSec: number;
  p50: number;
  p99: number;
  total: number;
  failures: number;
  firstFailure?: { status: number; body: string };
}

/** autocannon on every API at once, `CONNECTIONS` split between them. */
async function load(bases: string[], apiKey: string, seconds: number): Promise<Load> {
  let firstFailure: { status: number; body: string } | undefined;
  const results = await Promise.all(
    bases.map((base) =>
      autocannon({
        url: `${base}/v1/invoices`,
        connections: Math.max(1, Math.round(CONNECTIONS / bases.length)),
        pipelining: 1,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
            body: INVOICE_BODY,
            onResponse: (status: number, body: string) => {
              if ((status < 200 || status > 299) && !firstFailure) firstFailure = { status, body };
            },
          },
        ],
      }),
    ),
  );
  return {
    reqPerSec: results.reduce((n, r) => n + r.requests.average, 0),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    total: results.reduce((n, r) => n + r.requests.total, 0),
    failures: results.reduce((n, r) => n + r.non2xx + r.errors, 0),
    firstFailure,
  };
}

interface Outcome {
  label: string;
  load: Load;
  events: number;
  deliveriesPerSec: number;
  /** Seconds from the end of the load to the last delivery. */
  drainSeconds: number;
  duplicates: number;
  apiCpu?: number;
  workerCpu?: number;
}

const sumCpu = (children: Child[]) => {
  const each = children.map((c) => cpuSecondsOf(c.proc.pid));
  return each.some((v) => v === undefined) ? undefined : each.reduce<number>((n, v) => n + v!, 0);
};

async function topology(n: number, db: pg.Client, receiver: { child: Child; url: string }, operatorSecret: string): Promise<Outcome> {
  const label = `${n} API + ${n} worker${n > 1 ? 's' : ''}`;
  const env = switchyardEnv(run, operatorSecret, { WEBHOOK_CONCURRENCY: String(CONCURRENCY), ALLOW_PRIVATE_WEBHOOK_URLS: 'true' });
  console.log(`${label}: starting …`);
  const apis = await Promise.all(Array.from({ length: n }, (_, i) => startSwitchyardApi(run, { name: `api ${n}.${i + 1}`, label: `api ${n}.${i + 1}`, env })));
  const workers: Child[] = [];
  for (let i = 0; i < n; i++) {
    const port = await freePort();
    const worker = startChild(`worker ${n}.${i + 1}`, [...SWITCHYARD_NODE_FLAGS, MAIN_JS, 'worker'], { ...env, PORT: String(port) });
    run.children.push(worker);
    workers.push(worker);
    await waitUntil(`worker ${n}.${i + 1} GET /readyz = 200`, worker, 30_000, async () => (await request('GET', `http://127.0.0.1:${port}/readyz`, undefined)).status === 200);
  }

  // A tenant of its own, whose one endpoint receives its invoice.created events. The endpoint is
  // plain http on loopback, which the API refuses in production: it is written to the database as
  // the API would write it (secret sealed with the processes' MASTER_KEY).
  const { tenant, apiKey } = await createTenantAndKey(apis[0]!.base, operatorSecret);
  const tenantId = String(tenant.id);
  const endpointId = newId('we');
  const box = createSecretBox(Buffer.from(env.MASTER_KEY!, 'base64'));
  await db.query(`INSERT INTO webhook_endpoints (id, tenant_id, livemode, url, events, enabled, secret_encrypted) VALUES ($1, $2, false, $3, $4, true, $5)`, [
    endpointId,
    tenantId,
    `${receiver.url}/${n}`,
    ['invoice.created'],
    box.seal(generateEndpointSecret(), endpointId),
  ]);
  const eventCount = async () => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE tenant_id = $1`, [tenantId])).rows[0]!.n);
  const arrived = async () => (await ask<{ unique: number }>(receiver.child, 'count')).unique;
  const drain = async (expected: number, since: string) => {
    const deadline = Date.now() + DRAIN_SECONDS * 1000;
    while ((await arrived()) < expected) {
      for (const c of [...apis.map((a) => a.child), ...workers]) if (hasExited(c)) throw new Error(`${c.name} died ${since}:\n${tail(c)}`);
      if (Date.now() > deadline) throw new Error(`${label}: only ${await arrived()} of ${expected} events delivered ${DRAIN_SECONDS} s ${since}`);
      await delay(100);
    }
  };

  console.log(`${label}: warming up ${WARMUP_SECONDS} s …`);
  await ask(receiver.child, 'reset');
  await load(apis.map((a) => a.base), apiKey, WARMUP_SECONDS);
  await drain(await eventCount(), 'after the warm-up');

  console.log(`${label}: measuring ${SECONDS} s …`);
  await ask(receiver.child, 'reset');
  const before = await eventCount();
  const cpuBefore = { api: sumCpu(apis.map((a) => a.child)), worker: sumCpu(workers) };
  const started = performance.timeOrigin + performance.now();
  const measured = await load(apis.map((a) => a.base), apiKey, SECONDS);
  const loadEnded = performance.timeOrigin + performance.now();
  const events = (await eventCount()) - before;
  await drain(events, 'after the load');
  const dump = await ask<ReceiverDump>(receiver.child, 'dump', 60_000);
  const wall = (Math.max(...dump.at) - started) / 1000;
  const cpuAfter = { api: sumCpu(apis.map((a) => a.child)), worker: sumCpu(workers) };
  for (const c of [...apis.map((a) => a.child), ...workers]) await stopChild(c);
  return {
    label,
    load: measured,
    events,
    deliveriesPerSec: events / wall,
    drainSeconds: (Math.max(...dump.at) - loadEnded) / 1000,
    duplicates: dump.duplicates,
    apiCpu: cpuShare(cpuBefore.api, cpuAfter.api, wall),
    workerCpu: cpuShare(cpuBefore.worker, cpuAfter.worker, wall),
  };
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const operatorSecret = randomBytes(32).toString('hex');
  const baseEnv = switchyardEnv(run, operatorSecret);
  console.log(`database ${run.dbName}, Redis prefix ${run.queuePrefix}`);
  await migrateFreshDatabase(run, baseEnv);
  const pgVersion = await postgresVersion(run.dbUrl);
  const db = new pg.Client({ connectionString: run.dbUrl });
  await db.connect();
  run.closers.push(() => db.end());
  const receiver = await startBenchReceiver(run);

  const outcomes: Outcome[] = [];
  for (const n of TOPOLOGIES) outcomes.push(await topology(n, db, receiver, operatorSecret));

  printTable(
    [
      `machine: ${machine}`,
      `         ${pgVersion}, Redis at ${REDIS_URL}; every process, the database, Redis, the receiver and autocannon share the machine`,
      `load:    autocannon, ${CONNECTIONS} connections split over the APIs, ${SECONDS} s measured after ${WARMUP_SECONDS} s warm-up; WEBHOOK_CONCURRENCY ${CONCURRENCY} per worker`,
      `body:    ${INVOICE_BODY}; each create's invoice.created event is delivered to one endpoint`,
    ],
    ['topology', 'creates/s', 'p50 ms', 'p99 ms', 'creates', 'deliveries/s', 'last delivery after load s', 'duplicates', 'API CPU', 'worker CPU'],
    outcomes.map((o) => [
      o.label,
      fmt(o.load.reqPerSec, 1),
      fmt(o.load.p50),
      fmt(o.load.p99),
      fmt(o.load.total),
      fmt(o.deliveriesPerSec, 1),
      fmt(o.drainSeconds, 1),
      fmt(o.duplicates),
      pct(o.apiCpu),
      pct(o.workerCpu),
    ]),
  );
  const one = outcomes[TOPOLOGIES.indexOf(1)];
  const two = outcomes[TOPOLOGIES.indexOf(2)];
  if (one && two) {
    console.log('');
    console.log(`2+2 / 1+1: creates ${(two.load.reqPerSec / one.load.reqPerSec).toFixed(2)}x, deliveries ${(two.deliveriesPerSec / one.deliveriesPerSec).toFixed(2)}x`);
  }
  console.log('(p50/p99: of the slowest API; CPU: share of one core used by all APIs / all workers together, 100% = one core busy)');
  const problems = outcomes.flatMap((o) => [
    ...(o.load.failures ? [`${o.label}: ${o.load.failures} failed create(s); first: ${JSON.stringify(o.load.firstFailure)}`] : []),
    ...(o.duplicates ? [`${o.label}: ${o.duplicates} duplicate deliveries`] : []),
  ]);
  if (problems.length) {
    console.error(`\nBENCHMARK FAILED:\n${problems.join('\n')}`);
    process.exitCode = 1;
  }
}

await runBenchmark(run, main);
