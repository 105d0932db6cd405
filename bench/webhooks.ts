/**
 * Outbound-webhook benchmark: `invoice.created` events through Switchyard's whole pipeline
 * (events outbox → relay → BullMQ delivery queue → delivery processor: load rows, sign, POST,
 * record the attempt) to a local receiver, against a bare baseline: BullMQ + undici POST of the
 * same bodies to the same receiver (no database, no signing). Two phases per target, each with
 * the same worker process: a burst (throughput), then a steady paced rate (latency).
 *
 *   npm run bench:webhooks                          # build, then run with the defaults below
 *   BENCH_EVENTS=5000 npm run bench:webhooks        # a smaller burst
 *   BENCH_MODE=paced BENCH_RATE=150 npm run bench:webhooks
 *
 * Settings (environment):
 *   BENCH_MODE             both | burst | paced (default both)
 *   BENCH_EVENTS           events in the burst, per target (default 20000)
 *   BENCH_BATCH            events per producer batch in the burst: one transaction / one addBulk (default 500)
 *   BENCH_RATE             events per second in the paced phase (default 500)
 *   BENCH_PACED_EVENTS     events in the paced phase, per target (default 20 s worth: 20 × BENCH_RATE)
 *   BENCH_PACED_BATCH      events per producer batch in the paced phase (default 5: a commit every 10 ms at 500/s)
 *   BENCH_CONCURRENCY      delivery concurrency: WEBHOOK_CONCURRENCY and the baseline Worker's (default 50)
 *   BENCH_WARMUP_EVENTS    unreported events through each target first; also proves it is up (default 200)
 *   BENCH_TIMEOUT_SECONDS  deadline for all events of a phase to arrive, per target (default 300)
 *   BENCH_CPU_PROF         a directory: run the Switchyard worker with --cpu-prof into it
 *   BENCH_NODE_OPTIONS     more node flags for the Switchyard worker, after SWITCHYARD_NODE_FLAGS (bench-lib.ts), split on spaces
 *   DATABASE_URL           only its server and credentials are used (default postgres://<OS user>@127.0.0.1:5432)
 *   REDIS_URL              default redis://127.0.0.1:6379
 *
 * Switchyard's events are inserted here, one transaction per batch, each followed by the wake-up
 * PUBLISH its own writers send after a commit (src/webhooks/outbound/outbox-wake.ts).
 *
 * Latency of an event = when the receiver had its whole request − when its batch was committed
 * (Switchyard: Date after COMMIT of the INSERT into `events`) or enqueued (baseline: after addBulk
 * resolved). In the burst every event is produced up front, so this includes the time an event
 * waits behind the backlog; deliveries/s = N / (last arrival − start of production).
 *
 * Round trips per delivery: PostgreSQL statements from the Switchyard worker's own counter
 * (switchyard_db_queries_total on its /metrics; relay and delivery both run there), Redis commands
 * and round trips on every connection of each worker process, BullMQ's included, counted by
 * bench/redis-counter.ts preloaded into both workers. The producer's own work (this process's
 * INSERTs, or addBulk for the baseline) is not counted for either.
 *
 * Needs PostgreSQL and Redis. Everything it creates (a switchyard_bench_<random> database, Redis
 * keys under bench:<random>: and bench-base:<random>:) is removed again at the end, also on failure.
 *
 * The same file is the baseline's worker process: `node dist/bench/webhooks.js baseline-worker`.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { request as undiciRequest } from 'undici';
import { newId } from '../src/domain/ids.js';
import { QUEUES } from '../src/jobs/queues.js';
import { outboxChannel } from '../src/webhooks/outbound/outbox-wake.js';
import {
  CPU_PROF_DIR,
  cpuProfArgs,
  cpuSecondsOf,
  cpuShare,
  machineBusySeconds,
  postgresCpu,
  postgresCpuSpent,
  createTenantAndKey,
  formatNumber,
  freePort,
  hasExited,
  intSetting,
  machineInfo,
  MAIN_JS,
  mib,
  migrateFreshDatabase,
  mustCreate,
  newBenchRun,
  pct,
  percentile,
  printTable,
  REDIS_URL,
  roundTripCounters,
  runBenchmark,
  startChild,
  startSwitchyardApi,
  stopChild,
  SWITCHYARD_NODE_FLAGS,
  switchyardEnv,
  tail,
  waitUntil,
  watchRss,
  type Child,
} from './bench-lib.js';
import { ask, startBenchReceiver, type ReceiverDump } from './receiver-client.js';

// dist/bench/webhooks.js → itself (the baseline worker), and the Redis command counter both workers preload.
const SELF_JS = fileURLToPath(import.meta.url);
const REDIS_COUNTER_JS = fileURLToPath(new URL('./redis-counter.js', import.meta.url));

const BASELINE_QUEUE = 'deliveries';

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes on this machine. */
const nowMs = () => performance.timeOrigin + performance.now();

// =============================================================================================
// Role 1: the baseline worker (a child process): BullMQ Worker → undici POST, nothing else.

async function baselineWorker(): Promise<void> {
  const url = process.env.RECEIVER_URL!;
  const worker = new Worker<{ body: string }>(
    BASELINE_QUEUE,
    async (job) => {
      const res = await undiciRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: job.data.body });
      await res.body.dump();
      if (res.statusCode < 200 || res.statusCode > 299) throw new Error(`HTTP ${res.statusCode}`);
    },
    {
      connection: { url: process.env.REDIS_URL!, maxRetriesPerRequest: null },
      prefix: process.env.BASE_PREFIX!,
      concurrency: Number(process.env.CONCURRENCY),
    },
  );
  worker.on('failed', (job, err) => console.error(`baseline job ${job?.id} failed: ${err.message}`));
  worker.on('error', (err) => console.error(`baseline worker error: ${err.message}`));
  await worker.waitUntilReady();
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    worker.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}


// =============================================================================================
// Role 2: the benchmark.

type Mode = 'both' | 'burst' | 'paced';
const MODE = (process.env.BENCH_MODE || 'both') as Mode;
if (!['both', 'burst', 'paced'].includes(MODE)) throw new Error(`BENCH_MODE must be both, burst or paced (got "${MODE}")`);
const N = intSetting('BENCH_EVENTS', 20_000, 1);
const BATCH = intSetting('BENCH_BATCH', 500, 1);
const RATE = intSetting('BENCH_RATE', 500, 1);
const PACED_EVENTS = intSetting('BENCH_PACED_EVENTS', 20 * RATE, 1);
const PACED_BATCH = intSetting('BENCH_PACED_BATCH', 5, 1);
const CONCURRENCY = intSetting('BENCH_CONCURRENCY', 50, 1);
const WARMUP = intSetting('BENCH_WARMUP_EVENTS', 200, 1);
const TIMEOUT_SECONDS = intSetting('BENCH_TIMEOUT_SECONDS', 300, 1);
const NODE_FLAGS = (process.env.BENCH_NODE_OPTIONS ?? '').split(' ').filter(Boolean);

/** The pipeline's performance goals (README, Benchmark). */
const GOAL_RATIO = 0.5;
const GOAL_P99_MS = 300;
const GOAL_PACED_RATE = 500;
const GOAL_RSS_BYTES = 200 * 2 ** 20;

interface Phase {
  name: 'burst' | 'paced';
  events: number;
  batch: number;
  /** Events per second; 0 = as fast as possible. */
  rate: number;
}
const PHASES: Phase[] = [
  ...(MODE !== 'paced' ? [{ name: 'burst' as const, events: N, batch: BATCH, rate: 0 }] : []),
  ...(MODE !== 'burst' ? [{ name: 'paced' as const, events: PACED_EVENTS, batch: PACED_BATCH, rate: RATE }] : []),
];

const run = newBenchRun();
const BASE_PREFIX = `bench-base:${run.id}`;
run.redisPrefixes.push(BASE_PREFIX);
// ---------------------------------------------------------------------------------------------
// Events: realistic invoice.created payloads (~1 KB of data)

interface BenchEvent {
  id: string;
  /** The event's `data` (the invoice object) as JSON. */
  data: string;
  /** What the endpoint receives, as Switchyard's webhookBody builds it (baseline only). */
  body: string;
}

const ASSETS = ['USDT.TRC20', 'USDT.ERC20', 'USDC.ERC20', 'BTC', 'ETH'];

function makeEvents(count: number, gatewayAccountId: string): BenchEvent[] {
  const events: BenchEvent[] = [];
  for (let i = 0; i < count; i++) {
    const id = newId('evt');
    const invoiceId = newId('inv');
    const now = new Date();
    const order = 100_000 + Math.floor(Math.random() * 900_000);
    const amount = (5 + Math.random() * 495).toFixed(2);
    const upstream = `sbx_${randomBytes(12).toString('hex')}`;
    const invoice = {
      id: invoiceId,
      object: 'invoice',
      livemode: false,
      status: 'pending',
      amount,
      currency: 'USD',
      accepted_assets: ASSETS.slice(0, 2 + (i % 3)),
      description: `Order #${order}: 2 × Widget Pro (annual licence), 1 × priority support add-on`,
      external_id: `order-${order}-${i}`,
      metadata: { cart_id: `cart_${randomBytes(6).toString('hex')}`, channel: 'web', campaign: 'spring-sale', customer_tier: 'gold' },
      customer: { id: `cus_${randomBytes(5).toString('hex')}`, email: `buyer${i}@example.com`, name: 'Jane Q. Customer', locale: 'en-US' },
      gateway: {
        connector: 'sandbox',
        account_id: gatewayAccountId,
        upstream_id: upstream,
        attempts: [{ account_id: gatewayAccountId, connector: 'sandbox', outcome: 'created', code: null, duration_ms: 20 + (i % 60) }],
      },
      pay_url: `https://pay.sandbox.example/checkout/${upstream}`,
      payment: null,
      paid: null,
      return_url: `https://shop.example.com/orders/${order}/thank-you`,
      fail_return_url: `https://shop.example.com/orders/${order}/payment-failed`,
      expires_at: new Date(now.getTime() + 3600_000).toISOString(),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    const data = JSON.stringify(invoice);
    const body = JSON.stringify({ id, type: 'invoice.created', timestamp: now.toISOString(), data: invoice });
    events.push({ id, data, body });
  }
  return events;
}

// ---------------------------------------------------------------------------------------------
// One measured phase: produce its events, wait for all to arrive, compute throughput and latency

interface Target {
  label: string;
  worker: Child;
  /** Commits / enqueues one batch; resolves once it is durable (committed / added). */
  produce(batch: BenchEvent[]): Promise<void>;
  /** Resolves once the target has finished its bookkeeping for these events (nothing left pending). */
  settle(ids: string[]): Promise<void>;
  /** PostgreSQL statements the worker has sent so far (0 for the baseline). */
  statements(): Promise<number>;
  /** CPU seconds per PostgreSQL process of the target's database (Switchyard only). */
  postgresCpu?(): Promise<Map<number, number>>;
  /** Where the worker's memory is now (Switchyard only: from its /metrics). */
  memory?(): Promise<string>;
  /** Counts from the target's own bookkeeping, for the failure message on a timeout. */
  diagnose(ids: string[]): Promise<string>;
}

interface Outcome {
  label: string;
  phase: Phase;
  events: number;
  producedSeconds: number;
  wallSeconds: number;
  perSecond: number;
  /** Events per second actually produced (below the asked rate when the producer fell behind). */
  producedRate: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  received: number;
  duplicates: number;
  duplicateSamples: string[];
  unknown: number;
  unidentified: number;
  workerCpu?: number;
  receiverCpu?: number;
  /** Busy CPU of the whole machine per delivery, ms. */
  machineMs: number;
  /** CPU of PostgreSQL per delivery, ms (Switchyard only). */
  postgresMs?: number;
  peakRss?: number;
  memory?: string;
  /** Per delivery. */
  statements: number;
  redisCommands: number;
  redisRoundTrips: number;
}

async function produceAll(target: Target, phase: Phase, events: BenchEvent[], sentAt: Float64Array | undefined, t0: number): Promise<void> {
  for (let start = 0; start < events.length; start += phase.batch) {
    if (phase.rate > 0) {
      const due = t0 + (start * 1000) / phase.rate;
      const wait = due - nowMs();
      if (wait > 0) await delay(wait);
    }
    const batch = events.slice(start, start + phase.batch);
    await target.produce(batch);
    if (sentAt) sentAt.fill(nowMs(), start, start + batch.length);
  }
}

/** Waits until the receiver has `count` distinct ids; fails at the deadline, or when the worker dies. */
async function awaitArrivals(target: Target, receiver: Child, ids: string[], timeoutMs: number, progress: boolean, producing?: Promise<void>): Promise<void> {
  const count = ids.length;
  const started = Date.now();
  let lastPrint = started;
  let producerError: unknown;
  producing?.catch((err: unknown) => (producerError = err));
  for (;;) {
    if (producerError) throw producerError;
    if (hasExited(target.worker)) throw new Error(`${target.worker.name} exited during the run:\n${tail(target.worker)}`);
    if (hasExited(receiver)) throw new Error(`the receiver exited during the run:\n${tail(receiver)}`);
    const { unique, total } = await ask<{ unique: number; total: number }>(receiver, 'count');
    if (unique >= count) return;
    const now = Date.now();
    if (now - started > timeoutMs) {
      throw new Error(
        `${target.label}: only ${unique} of ${count} events arrived at the receiver within ${timeoutMs / 1000} s (${total} requests in all)\n` +
          `${await target.diagnose(ids).catch((err: unknown) => `(could not read its state: ${(err as Error).message})`)}\n` +
          `${target.worker.name} output:\n${tail(target.worker)}`,
      );
    }
    if (progress && now - lastPrint >= 5000) {
      lastPrint = now;
      console.log(`  ${target.label}: ${unique.toLocaleString('en-US')} / ${count.toLocaleString('en-US')} delivered after ${((now - started) / 1000).toFixed(0)} s`);
    }
    await delay(progress ? 100 : 50);
  }
}

async function warmUp(target: Target, receiver: Child, gatewayAccountId: string): Promise<void> {
  await ask(receiver, 'reset');
  const events = makeEvents(WARMUP, gatewayAccountId);
  const ids = events.map((e) => e.id);
  const producing = produceAll(target, { name: 'burst', events: WARMUP, batch: 50, rate: 0 }, events, undefined, nowMs());
  await awaitArrivals(target, receiver, ids, 60_000, false, producing);
  await producing;
  await target.settle(ids);
}

const redisCount = (worker: Child) => ask<{ commands: number; roundTrips: number }>(worker, 'redis-count');

/**
 * One phase against one target. The worker keeps running afterwards (the next phase reuses it)
 * unless `last`: then it is stopped before the receiver is read, so late duplicates count too.
 */
async function measure(target: Target, receiver: Child, phase: Phase, events: BenchEvent[], last: boolean): Promise<Outcome> {
  await ask(receiver, 'reset');
  const ids = events.map((e) => e.id);
  const sentAt = new Float64Array(events.length);
  const pid = target.worker.proc.pid;
  const workerCpuBefore = cpuSecondsOf(pid);
  const receiverCpuBefore = cpuSecondsOf(receiver.proc.pid);
  const machineBefore = machineBusySeconds();
  const pgBefore = await target.postgresCpu?.();
  const statementsBefore = await target.statements();
  const redisBefore = await redisCount(target.worker);
  const rss = watchRss(pid);
  console.log(`${target.label}, ${phase.name}: ${events.length.toLocaleString('en-US')} events${phase.rate ? ` at ${phase.rate}/s` : ' as a burst'}, batches of ${phase.batch} …`);
  const t0 = nowMs();
  let producedAt = 0;
  const producing = produceAll(target, phase, events, sentAt, t0).then(() => void (producedAt = nowMs()));
  await awaitArrivals(target, receiver, ids, TIMEOUT_SECONDS * 1000, true, producing);
  await producing;
  const cpuWall = (nowMs() - t0) / 1000;
  const workerCpuAfter = cpuSecondsOf(pid);
  const receiverCpuAfter = cpuSecondsOf(receiver.proc.pid);
  const machineAfter = machineBusySeconds();
  const pgAfter = await target.postgresCpu?.();

  // Let the target finish its bookkeeping, then count its round trips; read what the receiver saw.
  await target.settle(ids);
  rss.stop();
  const statementsAfter = await target.statements();
  const redisAfter = await redisCount(target.worker);
  const memory = await target.memory?.();
  if (last) await stopChild(target.worker);
  const dump = await ask<ReceiverDump>(receiver, 'dump', 60_000);

  const index = new Map<string, number>();
  ids.forEach((id, i) => index.set(id, i));
  const latencies = new Float64Array(events.length);
  let n = 0;
  let unknown = 0;
  let lastArrival = t0;
  for (let i = 0; i < dump.ids.length; i++) {
    const k = index.get(dump.ids[i]!);
    if (k === undefined) {
      unknown++;
      continue;
    }
    const at = dump.at[i]!;
    latencies[n++] = at - sentAt[k]!;
    if (at > lastArrival) lastArrival = at;
  }
  const sorted = latencies.subarray(0, n).sort();
  const wallSeconds = (lastArrival - t0) / 1000;
  const producedSeconds = (producedAt - t0) / 1000;
  return {
    label: target.label,
    phase,
    events: events.length,
    producedSeconds,
    wallSeconds,
    perSecond: n / wallSeconds,
    producedRate: events.length / producedSeconds,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: percentile(sorted, 1),
    received: n,
    duplicates: dump.duplicates,
    duplicateSamples: dump.duplicateSamples,
    unknown,
    unidentified: dump.unidentified,
    workerCpu: cpuShare(workerCpuBefore, workerCpuAfter, cpuWall),
    receiverCpu: cpuShare(receiverCpuBefore, receiverCpuAfter, cpuWall),
    machineMs: (1000 * (machineAfter - machineBefore)) / events.length,
    ...(pgBefore && pgAfter ? { postgresMs: (1000 * postgresCpuSpent(pgBefore, pgAfter)) / events.length } : {}),
    peakRss: rss.peak(),
    memory,
    statements: (statementsAfter - statementsBefore) / events.length,
    redisCommands: (redisAfter.commands - redisBefore.commands) / events.length,
    redisRoundTrips: (redisAfter.roundTrips - redisBefore.roundTrips) / events.length,
  };
}

// ---------------------------------------------------------------------------------------------
// Report

/** Like formatNumber, but n/a for the NaN percentiles of a run where nothing arrived (and for a null from SQL). */
const fmt = (n: number | undefined, digits = 0) => (n !== undefined && Number.isFinite(n) ? formatNumber(n, digits) : 'n/a');

function printReport(rows: Outcome[], lines: string[]): void {
  const header = ['target', 'phase', 'deliveries/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'produced/s', 'last arrival s', 'dups', 'PG stmts/d', 'Redis cmds/d', 'Redis RTs/d', 'worker CPU', 'PG CPU ms/d', 'machine CPU ms/d', 'peak RSS'];
  const cells = rows.map((r) => [
    r.label,
    r.phase.rate ? `${r.phase.rate}/s` : 'burst',
    fmt(r.perSecond, 1),
    fmt(r.p50, 1),
    fmt(r.p90, 1),
    fmt(r.p99, 1),
    fmt(r.max, 1),
    fmt(r.producedRate, 0),
    fmt(r.wallSeconds, 2),
    fmt(r.duplicates),
    fmt(r.statements, 2),
    fmt(r.redisCommands, 2),
    fmt(r.redisRoundTrips, 2),
    pct(r.workerCpu),
    r.postgresMs === undefined ? '-' : fmt(r.postgresMs, 2),
    fmt(r.machineMs, 2),
    mib(r.peakRss),
  ]);
  printTable(lines, header, cells);
  for (const phase of PHASES) {
    const sy = rows.find((r) => r.label === 'Switchyard' && r.phase === phase);
    const base = rows.find((r) => r.label === 'baseline' && r.phase === phase);
    if (!sy || !base) continue;
    console.log('');
    console.log(
      `Switchyard/baseline, ${phase.name}: throughput ${(sy.perSecond / base.perSecond).toFixed(2)}x, p50 latency ${(sy.p50 / base.p50).toFixed(2)}x, p99 latency ${(sy.p99 / base.p99).toFixed(2)}x`,
    );
  }
  console.log("(latency: receiver arrival − commit/enqueue of the event's batch; deliveries/s: N / (last arrival − start of production);");
  console.log(' /d = per delivery: PostgreSQL statements of the Switchyard worker (relay + attempts), Redis commands and round trips of each');
  console.log(' worker process on all its connections; worker CPU: share of one core, 100% = one core busy; machine CPU: busy CPU time of');
  console.log(' every process on the machine (database, Redis, producer and receiver included) per delivery, PG CPU: that of PostgreSQL');
  console.log(" (the producer's commits included); peak RSS of the worker process)");
}

function printGoals(rows: Outcome[]): void {
  const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
  const find = (label: string, name: Phase['name']) => rows.find((r) => r.label === label && r.phase.name === name);
  console.log('\ngoals:');
  const burstSy = find('Switchyard', 'burst');
  const burstBase = find('baseline', 'burst');
  if (burstSy && burstBase) {
    const ratio = burstSy.perSecond / burstBase.perSecond;
    console.log(`  deliveries/s ≥ ${GOAL_RATIO}x bare BullMQ + HTTP (burst of ${burstSy.events.toLocaleString('en-US')}): ${ratio.toFixed(2)}x  ${verdict(ratio >= GOAL_RATIO)}`);
  } else {
    console.log(`  deliveries/s ≥ ${GOAL_RATIO}x bare BullMQ + HTTP: not measured (no burst phase)`);
  }
  const paced = find('Switchyard', 'paced');
  if (paced && paced.phase.rate >= GOAL_PACED_RATE) {
    const behind = paced.producedRate < 0.95 * paced.phase.rate;
    const note = behind ? ` (but only ${fmt(paced.producedRate)} events/s were produced)` : '';
    console.log(`  end-to-end p99 < ${GOAL_P99_MS} ms at a steady ${paced.phase.rate} events/s: ${fmt(paced.p99, 1)} ms  ${verdict(paced.p99 < GOAL_P99_MS && !behind)}${note}`);
  } else {
    console.log(`  end-to-end p99 < ${GOAL_P99_MS} ms at ${GOAL_PACED_RATE} events/s: not measured (${paced ? `paced at ${paced.phase.rate}/s only` : 'no paced phase'})`);
  }
  const peak = Math.max(...rows.filter((r) => r.label === 'Switchyard').map((r) => r.peakRss ?? NaN));
  console.log(`  RSS of each Switchyard process < ${mib(GOAL_RSS_BYTES)} (the worker; the API only sets up): peak ${mib(peak)}  ${Number.isFinite(peak) ? verdict(peak < GOAL_RSS_BYTES) : 'NOT MEASURED'}`);
  const rt = rows.filter((r) => r.label === 'Switchyard').map((r) => `${r.phase.name} ${fmt(r.statements, 2)} PostgreSQL + ${fmt(r.redisRoundTrips, 2)} Redis`);
  console.log(`  round trips per delivery (printed, no threshold): ${rt.join('; ')}`);
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = os.loadavg().map((n) => n.toFixed(2)).join(' ');
  const machine = machineInfo();
  const operatorSecret = randomBytes(32).toString('hex');
  const metricsToken = randomBytes(16).toString('hex');
  const workerPort = await freePort();
  const syEnv = switchyardEnv(run, operatorSecret, {
    PORT: '0',
    ALLOW_PRIVATE_WEBHOOK_URLS: 'true',
    WEBHOOK_CONCURRENCY: String(CONCURRENCY),
    METRICS_TOKEN: metricsToken,
  });

  // 1. A fresh database; `migrate` creates it.
  console.log(`database ${run.dbName}, Redis prefixes ${run.queuePrefix}: and ${BASE_PREFIX}:`);
  await migrateFreshDatabase(run, syEnv);

  // 2. The receiver.
  const receiver = await startBenchReceiver(run);

  // 3. Setup through a Switchyard API process: tenant, test key, endpoint. NODE_ENV=development only
  //    here, because production refuses plain-http endpoint URLs; the worker runs in production.
  const { child: api, base: apiBase } = await startSwitchyardApi(run, {
    name: 'switchyard api',
    label: 'Switchyard api',
    env: { ...syEnv, NODE_ENV: 'development' },
  });
  const { tenant, apiKey } = await createTenantAndKey(apiBase, operatorSecret);
  const endpoint = await mustCreate('create webhook endpoint', `${apiBase}/v1/webhook-endpoints`, apiKey, {
    url: `${receiver.url}/switchyard`,
    events: ['invoice.created'],
    description: 'bench receiver',
  });
  await stopChild(api);
  const tenantId = String(tenant.id);
  const gatewayAccountId = `ga_${randomBytes(13).toString('hex').slice(0, 26).toUpperCase()}`;

  const db = new pg.Client({ connectionString: run.dbUrl });
  await db.connect();
  run.closers.push(() => db.end());
  const { rows: versionRows } = await db.query<{ server_version: string }>('SHOW server_version');
  const redisInfo = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  const redisVersion = /redis_version:(\S+)/.exec(await redisInfo.info('server'))?.[1] ?? '?';
  redisInfo.disconnect();

  const sample = makeEvents(50, gatewayAccountId);
  const dataBytes = sample.reduce((s, e) => s + Buffer.byteLength(e.data), 0) / sample.length;
  const bodyBytes = sample.reduce((s, e) => s + Buffer.byteLength(e.body), 0) / sample.length;
  const results: Outcome[] = [];

  // 4. Baseline first (a fresh database does not yet carry the Switchyard run's autovacuum work):
  //    bare BullMQ queue + Worker child POSTing each body with undici.
  const baseQueue = new Queue<{ body: string }>(BASELINE_QUEUE, {
    connection: { url: REDIS_URL },
    prefix: BASE_PREFIX,
    defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: 1 },
  });
  run.closers.push(() => baseQueue.close());
  const baseWorker = startChild(
    'baseline worker',
    ['--import', REDIS_COUNTER_JS, SELF_JS, 'baseline-worker'],
    { ...process.env, NODE_ENV: 'production', REDIS_URL, BASE_PREFIX, RECEIVER_URL: `${receiver.url}/baseline`, CONCURRENCY: String(CONCURRENCY) },
    true,
  );
  run.children.push(baseWorker);
  const baseTarget: Target = {
    label: 'baseline',
    worker: baseWorker,
    async produce(batch) {
      await baseQueue.addBulk(batch.map((e) => ({ name: 'deliver', data: { body: e.body } })));
    },
    async settle() {
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const c = await baseQueue.getJobCounts('waiting', 'active', 'delayed');
        if (!c.waiting && !c.active && !c.delayed) return;
        await delay(50);
      }
    },
    statements: async () => 0,
    async diagnose() {
      return `baseline queue: ${JSON.stringify(await baseQueue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'))}`;
    },
  };
  console.log(`baseline: warming up with ${WARMUP} events …`);
  await warmUp(baseTarget, receiver.child, gatewayAccountId);
  for (const [i, phase] of PHASES.entries()) {
    results.push(await measure(baseTarget, receiver.child, phase, makeEvents(phase.events, gatewayAccountId), i === PHASES.length - 1));
  }
  const baseFailed = await baseQueue.getJobCounts('failed', 'waiting', 'active', 'delayed');

  // 5. Switchyard: event rows straight into the outbox table, one transaction per batch; the worker does the rest.
  const syQueue = new Queue(QUEUES.deliveries, { connection: { url: REDIS_URL }, prefix: run.queuePrefix });
  run.closers.push(() => syQueue.close());
  const workerBase = `http://127.0.0.1:${workerPort}`;
  const syWorker = startChild(
    'switchyard worker',
    [...SWITCHYARD_NODE_FLAGS, ...NODE_FLAGS, '--import', REDIS_COUNTER_JS, ...cpuProfArgs(CPU_PROF_DIR), MAIN_JS, 'worker'],
    { ...syEnv, PORT: String(workerPort) },
    true,
  );
  run.children.push(syWorker);
  await waitUntil("the Switchyard worker's /healthz", syWorker, 30_000, async () => (await fetch(`${workerBase}/healthz`)).ok);
  const INSERT = `
    INSERT INTO events (id, tenant_id, livemode, type, invoice_id, data, created_at)
    SELECT t.id, $2, false, 'invoice.created', NULL, t.data::jsonb, clock_timestamp()
    FROM unnest($1::text[], $3::text[]) AS t(id, data)`;
  const syState = async (ids: string[]) => {
    const ev = await db.query<{ total: string; unrelayed: string }>(
      'SELECT count(*) AS total, count(o.event_id) AS unrelayed FROM events e LEFT JOIN event_outbox o ON o.event_id = e.id WHERE e.id = ANY($1)',
      [ids],
    );
    const del = await db.query<{ status: string; n: string; attempts: string; max_attempts: number }>(
      'SELECT status, count(*) AS n, sum(attempts) AS attempts, max(attempts) AS max_attempts FROM deliveries WHERE event_id = ANY($1) GROUP BY status ORDER BY status',
      [ids],
    );
    const att = await db.query<{ n: string; ok: string; codes: string | null; errors: string | null }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE succeeded) AS ok,
              string_agg(DISTINCT coalesce(status_code::text, 'none'), ',') AS codes,
              (array_agg(DISTINCT error) FILTER (WHERE error IS NOT NULL))[1:3]::text AS errors
       FROM delivery_attempts WHERE event_id = ANY($1)`,
      [ids],
    );
    return { events: ev.rows[0]!, deliveries: del.rows, attempts: att.rows[0]! };
  };
  const describeState = (s: Awaited<ReturnType<typeof syState>>) =>
    `events: ${s.events.total} (${s.events.unrelayed} not relayed); deliveries: ${
      s.deliveries.map((d) => `${d.status} ${d.n} (${d.attempts} attempts, max ${d.max_attempts})`).join(', ') || 'none'
    }; attempt rows: ${s.attempts.n} (${s.attempts.ok} succeeded, status codes ${s.attempts.codes ?? '-'}${s.attempts.errors ? `, errors ${s.attempts.errors}` : ''})`;
  // Like Switchyard's own writers: after each commit, a wake-up for the relays (not awaited).
  const wake = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  run.closers.push(async () => wake.disconnect());
  const syTarget: Target = {
    label: 'Switchyard',
    worker: syWorker,
    postgresCpu: () => postgresCpu(run.dbUrl),
    async produce(batch) {
      await db.query('BEGIN');
      try {
        await db.query(INSERT, [batch.map((e) => e.id), tenantId, batch.map((e) => e.data)]);
        await db.query('COMMIT');
      } catch (err) {
        await db.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
      wake.publish(outboxChannel(run.queuePrefix), '').catch(() => undefined);
    },
    async settle(ids) {
      // The attempt is recorded just after the receiver answered: wait for every delivery to leave 'pending'.
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const s = await syState(ids);
        if (!s.deliveries.some((d) => d.status === 'pending') && Number(s.events.unrelayed) === 0) return;
        await delay(100);
      }
    },
    statements: async () => (await roundTripCounters(workerBase, metricsToken)).db,
    async memory() {
      const res = await fetch(`${workerBase}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
      const text = await res.text();
      const read = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN);
      const heapUsed = read('nodejs_heap_size_used_bytes');
      return `RSS ${mib(read('process_resident_memory_bytes'))}: V8 heap ${mib(read('nodejs_heap_size_total_bytes'))} (${mib(heapUsed)} used), external ${mib(read('nodejs_external_memory_bytes'))}`;
    },
    async diagnose(ids) {
      return `${describeState(await syState(ids))}\nSwitchyard delivery queue: ${JSON.stringify(await syQueue.getJobCounts('waiting', 'active', 'delayed', 'failed'))}`;
    },
  };
  type TableStats = { relname: string; n_tup_ins: string; n_tup_upd: string; n_tup_hot_upd: string; n_tup_del: string };
  const tableStats = async () =>
    (await db.query<TableStats>(`SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del FROM pg_stat_user_tables WHERE relname IN ('events', 'event_outbox', 'deliveries') ORDER BY relname`)).rows;
  const statsBefore = await tableStats();
  console.log(`Switchyard: warming up with ${WARMUP} events …`);
  await warmUp(syTarget, receiver.child, gatewayAccountId);
  type Lag = { p50: number; p99: number; last_relayed: Date; last_event: Date; attempt_p50: number; attempt_p99: number };
  const syChecks: Array<{ phase: Phase; state: Awaited<ReturnType<typeof syState>>; lag: Lag }> = [];
  for (const [i, phase] of PHASES.entries()) {
    const events = makeEvents(phase.events, gatewayAccountId);
    const ids = events.map((e) => e.id);
    results.push(await measure(syTarget, receiver.child, phase, events, i === PHASES.length - 1));
    const lag = await db.query<Lag>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.created_at - e.created_at) * 1000) AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM d.created_at - e.created_at) * 1000) AS p99,
              max(d.created_at) AS last_relayed, max(e.created_at) AS last_event,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.attempted_at - d.created_at) * 1000) AS attempt_p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM a.attempted_at - d.created_at) * 1000) AS attempt_p99
       FROM deliveries d JOIN events e ON e.id = d.event_id JOIN delivery_attempts a ON a.delivery_id = d.id WHERE e.id = ANY($1)`,
      [ids],
    );
    syChecks.push({ phase, state: await syState(ids), lag: lag.rows[0]! });
  }
  // The worker has exited, so its sessions have flushed their statistics: row writes over the whole Switchyard run.
  await delay(1000);
  const statsAfter = await tableStats();
  const tableLines = statsAfter.map((a) => {
    const b = statsBefore.find((x) => x.relname === a.relname);
    const d = (k: Exclude<keyof TableStats, 'relname'>) => Number(a[k]) - Number(b?.[k] ?? 0);
    const upd = d('n_tup_upd');
    return `${a.relname} ${d('n_tup_ins')} inserted, ${upd} updated (${d('n_tup_hot_upd')} HOT${upd ? `, ${Math.round((100 * d('n_tup_hot_upd')) / upd)}%` : ''}), ${d('n_tup_del')} deleted`;
  });

  // 6. Report, then the correctness checks.
  const phaseWords = (p: Phase) =>
    p.rate ? `${p.events.toLocaleString('en-US')} events at ${p.rate}/s in batches of ${p.batch}` : `a burst of ${p.events.toLocaleString('en-US')} events in batches of ${p.batch}`;
  printReport(results, [
    `machine: ${machine}`,
    `         load average before the run ${loadBefore}, after ${os.loadavg().map((n) => n.toFixed(2)).join(' ')} (other processes on the machine skew the figures)`,
    `         PostgreSQL ${versionRows[0]?.server_version ?? '?'}, Redis ${redisVersion}; workers, receiver, database, Redis and this process share the machine`,
    `run:     ${PHASES.map(phaseWords).join(', then ')}, per target; delivery concurrency ${CONCURRENCY}; ${WARMUP} warm-up events each; Switchyard worker node flags ${[...SWITCHYARD_NODE_FLAGS, ...NODE_FLAGS].join(' ')}`,
    `payload: invoice.created, data ~${Math.round(dataBytes)} B, webhook body ~${Math.round(bodyBytes)} B; endpoint ${String(endpoint.id)}`,
    ...syChecks.map(
      (c) =>
        `Switchyard, ${c.phase.name}: delivery row created p50 ${fmt(c.lag.p50, 1)} / p99 ${fmt(c.lag.p99, 1)} ms after its event row (all relayed ${fmt((c.lag.last_relayed.getTime() - c.lag.last_event.getTime()) / 1000, 2)} s after the last event); attempt recorded p50 ${fmt(c.lag.attempt_p50, 1)} / p99 ${fmt(c.lag.attempt_p99, 1)} ms after the delivery row`,
    ),
    `Switchyard row writes over its whole run (warm-up included): ${tableLines.join('; ')}`,
    ...results.filter((r) => r.memory).map((r) => `Switchyard worker memory after the ${r.phase.name} phase: ${r.memory}`),
  ]);
  printGoals(results);
  if (CPU_PROF_DIR) console.log(`\nSwitchyard worker CPU profile written to ${CPU_PROF_DIR}`);
  console.log(`\ntotal run time ${((Date.now() - started) / 1000).toFixed(0)} s (excluding the build)`);

  const problems: string[] = [];
  for (const r of results) {
    const what = `${r.label} (${r.phase.name})`;
    if (r.received !== r.events) problems.push(`${what}: ${r.received} of ${r.events} events arrived`);
    if (r.duplicates) problems.push(`${what}: ${r.duplicates} duplicate deliveries at the receiver (e.g. ${r.duplicateSamples.slice(0, 5).join(', ')})`);
    if (r.unknown) problems.push(`${what}: ${r.unknown} arrivals of ids that are not in the measured set (stragglers of an earlier phase, or foreign)`);
    if (r.unidentified) problems.push(`${what}: ${r.unidentified} requests without a webhook-id header or body id`);
  }
  for (const { phase, state: s } of syChecks) {
    const n = phase.events;
    const succeeded = s.deliveries.find((d) => d.status === 'succeeded');
    if (
      Number(s.events.total) !== n ||
      Number(s.events.unrelayed) !== 0 ||
      s.deliveries.length !== 1 ||
      Number(succeeded?.n) !== n ||
      Number(succeeded?.attempts) !== n ||
      Number(s.attempts.n) !== n ||
      Number(s.attempts.ok) !== n
    ) {
      problems.push(`Switchyard database (${phase.name}): expected ${n} events relayed, ${n} deliveries succeeded with 1 attempt each and ${n} successful attempt rows; found ${describeState(s)}`);
    }
  }
  if (baseFailed.failed) problems.push(`baseline: ${baseFailed.failed} failed jobs`);
  if (problems.length) {
    console.error(`\nBENCHMARK FAILED:\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    console.log('checks: every event arrived exactly once at the receiver for both targets; Switchyard recorded one succeeded delivery with one attempt per event');
  }
}

if (process.argv[2] === 'baseline-worker') {
  await baselineWorker();
} else {
  await runBenchmark(run, main);
}
