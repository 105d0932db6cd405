/**
 * Throughput benchmark: POST /v1/invoices on a real Switchyard API process, against a bare
 * express + pg baseline (bench/baseline-server.ts) doing one INSERT per request.
 *
 *   npm run bench                      # build, then run with the defaults below
 *   BENCH_SECONDS=30 npm run bench     # longer measured runs
 *
 * Settings (environment):
 *   BENCH_SECONDS          measured seconds per target (default 15)
 *   BENCH_WARMUP_SECONDS   unreported warm-up seconds per target (default 3)
 *   BENCH_CONNECTIONS      concurrent connections (default 20)
 *   BENCH_CPU_PROF         a directory: run the Switchyard child with --cpu-prof into it
 *
 * Switchyard is loaded twice: plain creates, then creates that each carry a new Idempotency-Key.
 * Besides throughput and latency it prints the round trips per request (PostgreSQL statements and
 * Redis commands, from Switchyard's own /metrics counters), each server's peak RSS, and whether
 * the performance goals (README, "Benchmark") are met.
 *   DATABASE_URL           only its server and credentials are used (default postgres://<OS user>@127.0.0.1:5432)
 *   REDIS_URL              default redis://127.0.0.1:6379
 *
 * Needs PostgreSQL and Redis. Everything it creates (a switchyard_bench_<random> database,
 * Redis keys under bench:<random>:) is removed again at the end, also when the run fails.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import {
  CPU_PROF_DIR,
  cpuProfArgs,
  cpuSecondsOf,
  cpuShare,
  machineBusySeconds,
  createTenantAndKey,
  formatNumber as fmt,
  freePort,
  hasExited,
  intSetting,
  machineInfo,
  mib,
  migrateFreshDatabase,
  newBenchRun,
  pct,
  postgresCpu,
  postgresCpuSpent,
  postgresVersion,
  printTable,
  REDIS_URL,
  request,
  roundTripCounters,
  runBenchmark,
  startChild,
  startSwitchyardApi,
  stopChild,
  switchyardEnv,
  tail,
  waitUntil,
  watchRss,
  type Child,
} from './bench-lib.js';

// dist/bench/invoices.js → dist/bench/baseline-server.js.
const BASELINE_JS = fileURLToPath(new URL('./baseline-server.js', import.meta.url));

const positiveInt = (name: string, fallback: number) => intSetting(name, fallback, 1, 'a positive integer');

const SECONDS = positiveInt('BENCH_SECONDS', 15);
const WARMUP_SECONDS = positiveInt('BENCH_WARMUP_SECONDS', 3);
const CONNECTIONS = positiveInt('BENCH_CONNECTIONS', 20);

const INVOICE_BODY = JSON.stringify({ amount: '9.99', currency: 'USD', description: 'bench' });
const run = newBenchRun();

// ---------------------------------------------------------------------------------------------
// Load

interface LoadOutcome {
  label: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  firstFailure?: { status: number; body: string };
  /** Share of one core the server process used during the measured run (Linux only). */
  serverCpu?: number;
  /** Share of one core this process (autocannon) used during the measured run. */
  loaderCpu: number;
  /** The server's highest resident set size during the run (bytes; Linux only). */
  peakRss?: number;
  /** CPU milliseconds the server process spent per request (Linux only). */
  serverCpuMs?: number | undefined;
  /** CPU milliseconds PostgreSQL's processes spent per request (Linux only). */
  postgresCpuMs?: number;
  /** Busy CPU milliseconds of the whole machine per request (every process, load generator included). */
  machineCpuMs: number;
  /** PostgreSQL statements and Redis commands per request (Switchyard only). */
  roundTrips?: { db: number; redis: number };
}

interface Target {
  label: string;
  url: string;
  headers: Record<string, string>;
  server: Child;
  /** A new Idempotency-Key on every request. */
  idempotencyKeys?: boolean;
  /** Where Switchyard's /metrics is (round trips are counted there). */
  metricsBase?: string;
}

async function load(t: Target, seconds: number): Promise<LoadOutcome> {
  let firstFailure: { status: number; body: string } | undefined;
  const serverPid = t.server.proc.pid;
  const serverCpuBefore = cpuSecondsOf(serverPid);
  const pgCpuBefore = await postgresCpu(run.dbUrl).catch(() => undefined);
  const countersBefore = t.metricsBase ? await roundTripCounters(t.metricsBase) : undefined;
  const rss = watchRss(serverPid);
  const loaderCpuBefore = process.cpuUsage();
  const machineBefore = machineBusySeconds();
  const started = process.hrtime.bigint();
  const result = await autocannon({
    url: t.url,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...t.headers },
        body: INVOICE_BODY,
        ...(t.idempotencyKeys
          ? { setupRequest: (req: autocannon.Request) => ({ ...req, headers: { ...req.headers, 'idempotency-key': randomUUID() } }) }
          : {}),
        onResponse: (status: number, body: string) => {
          if ((status < 200 || status > 299) && !firstFailure) firstFailure = { status, body };
        },
      },
    ],
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const loaderCpu = process.cpuUsage(loaderCpuBefore);
  const machineAfter = machineBusySeconds();
  const serverCpuAfter = cpuSecondsOf(serverPid);
  const pgCpuAfter = await postgresCpu(run.dbUrl).catch(() => undefined);
  rss.stop();
  const countersAfter = t.metricsBase ? await roundTripCounters(t.metricsBase) : undefined;
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stats?.count ?? 0;
  const answered = Math.max(1, result.requests.total);
  return {
    label: t.label,
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    firstFailure,
    serverCpu: cpuShare(serverCpuBefore, serverCpuAfter, wall),
    loaderCpu: (loaderCpu.user + loaderCpu.system) / 1e6 / wall,
    machineCpuMs: (1000 * (machineAfter - machineBefore)) / answered,
    peakRss: rss.peak(),
    ...(pgCpuBefore && pgCpuAfter ? { postgresCpuMs: (1000 * postgresCpuSpent(pgCpuBefore, pgCpuAfter)) / answered } : {}),
    serverCpuMs: serverCpuBefore !== undefined && serverCpuAfter !== undefined ? (1000 * (serverCpuAfter - serverCpuBefore)) / answered : undefined,
    ...(countersBefore && countersAfter
      ? { roundTrips: { db: (countersAfter.db - countersBefore.db) / answered, redis: (countersAfter.redis - countersBefore.redis) / answered } }
      : {}),
  };
}

/** Warm-up (not reported), then the measured run. */
async function bench(t: Target): Promise<{ warmup: LoadOutcome; measured: LoadOutcome }> {
  console.log(`${t.label}: warming up ${WARMUP_SECONDS} s, then measuring ${SECONDS} s …`);
  const warmup = await load(t, WARMUP_SECONDS);
  const measured = await load(t, SECONDS);
  if (hasExited(t.server)) throw new Error(`${t.server.name} died during the load test:\n${tail(t.server)}`);
  return { warmup, measured };
}

// ---------------------------------------------------------------------------------------------
// Report

/** The goals the README's "Benchmark" section sets for invoice create. */
const GOALS = { ratio: 0.5, ratioWithKey: 0.4, p99Factor: 3, rssBytes: 200 * 2 ** 20 };

function printReport(rows: LoadOutcome[], machine: string, pgVersion: string): void {
  const header = ['target', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors', 'PG stmts/req', 'Redis cmds/req', 'peak RSS', 'server CPU', 'server ms/req', 'PG ms/req', 'loader CPU', 'machine ms/req'];
  const perRequest = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(2));
  const lines = rows.map((r) => [
    r.label,
    fmt(r.reqPerSec, 1),
    fmt(r.p50),
    fmt(r.p99),
    fmt(r.total),
    fmt(r.non2xx),
    fmt(r.errors),
    perRequest(r.roundTrips?.db),
    perRequest(r.roundTrips?.redis),
    mib(r.peakRss),
    pct(r.serverCpu),
    r.serverCpuMs === undefined ? 'n/a' : r.serverCpuMs.toFixed(2),
    r.postgresCpuMs === undefined ? 'n/a' : r.postgresCpuMs.toFixed(2),
    pct(r.loaderCpu),
    r.machineCpuMs.toFixed(2),
  ]);
  printTable(
    [
      `machine: ${machine}`,
      `         ${pgVersion}, Redis at ${REDIS_URL}; server, database and autocannon share the machine (load average before: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`,
      `load:    autocannon, ${CONNECTIONS} connections, pipelining 1, ${SECONDS} s measured after ${WARMUP_SECONDS} s warm-up`,
      `body:    ${INVOICE_BODY}`,
    ],
    header,
    lines,
  );
  const [sy, syKey, base] = rows;
  if (!sy || !syKey || !base || base.reqPerSec <= 0) return;
  const verdict = (met: boolean) => (met ? 'MET' : 'NOT MET');
  const ratio = sy.reqPerSec / base.reqPerSec;
  const ratioKey = syKey.reqPerSec / base.reqPerSec;
  const rssPeak = Math.max(sy.peakRss ?? 0, syKey.peakRss ?? 0);
  console.log('');
  console.log(`throughput Switchyard/baseline:                  ${ratio.toFixed(2)}x  (goal >= ${GOALS.ratio}x: ${verdict(ratio >= GOALS.ratio)})`);
  console.log(`p99 Switchyard/baseline:                         ${(sy.p99 / Math.max(1, base.p99)).toFixed(1)}x  (goal <= ${GOALS.p99Factor}x: ${verdict(sy.p99 <= GOALS.p99Factor * base.p99)})`);
  console.log(`throughput with Idempotency-Key/baseline:        ${ratioKey.toFixed(2)}x  (goal >= ${GOALS.ratioWithKey}x: ${verdict(ratioKey >= GOALS.ratioWithKey)})`);
  console.log(`Switchyard peak RSS:                             ${mib(rssPeak)}  (goal < ${mib(GOALS.rssBytes)}: ${verdict(rssPeak > 0 && rssPeak < GOALS.rssBytes)})`);
  console.log('(server CPU: share of one core used by the server process, 100% = one core busy; server ms/req and PG ms/req:');
  console.log(' CPU time per request of the server process and of all PostgreSQL processes, which share the same 2 cores;');
  console.log(' machine ms/req: busy CPU time of every process on the machine per request, autocannon and Redis included)');
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const machine = machineInfo();
  const operatorSecret = randomBytes(32).toString('hex');
  const syEnv = switchyardEnv(run, operatorSecret);

  // 1. A fresh database; `migrate` creates it.
  console.log(`database ${run.dbName}, Redis prefix ${run.queuePrefix}`);
  await migrateFreshDatabase(run, syEnv);
  const pgVersion = await postgresVersion(run.dbUrl);

  // 2. Switchyard API.
  const { child: switchyard, base: syBase } = await startSwitchyardApi(run, {
    name: 'switchyard',
    label: 'Switchyard',
    env: syEnv,
    nodeArgs: cpuProfArgs(CPU_PROF_DIR),
  });

  // 3. Tenant and test key through the operator API, then one request to prove the route answers 201.
  const { apiKey } = await createTenantAndKey(syBase, operatorSecret);
  const probe = await request('POST', `${syBase}/v1/invoices`, apiKey, INVOICE_BODY);
  if (probe.status !== 201) throw new Error(`Switchyard POST /v1/invoices answered ${probe.status} before the load test:\n${probe.text}`);

  const syTarget: Target = { label: 'Switchyard', url: `${syBase}/v1/invoices`, headers: { authorization: `Bearer ${apiKey}` }, server: switchyard, metricsBase: syBase };
  const sy = await bench(syTarget);
  const syKey = await bench({ ...syTarget, label: 'Switchyard + Idempotency-Key', idempotencyKeys: true });
  await stopChild(switchyard);

  // 4. Baseline: bare express + pg INSERT, same database, same load.
  const basePort = await freePort();
  const baseUrl = `http://127.0.0.1:${basePort}`;
  const baseline = startChild('baseline', [BASELINE_JS], { ...process.env, NODE_ENV: 'production', DATABASE_URL: run.dbUrl, PORT: String(basePort) });
  run.children.push(baseline);
  await waitUntil('the baseline server to answer POST /invoices = 201', baseline, 30_000, async () => (await request('POST', `${baseUrl}/invoices`, undefined, INVOICE_BODY)).status === 201);
  const base = await bench({ label: 'baseline', url: `${baseUrl}/invoices`, headers: {}, server: baseline });
  await stopChild(baseline);

  // 5. Report; any non-2xx answer or socket error makes the run fail.
  printReport([sy.measured, syKey.measured, base.measured], machine, pgVersion);
  const problems: string[] = [];
  for (const [phase, r] of [['warm-up', sy.warmup], ['measured', sy.measured], ['warm-up', syKey.warmup], ['measured', syKey.measured], ['warm-up', base.warmup], ['measured', base.measured]] as const) {
    if (r.non2xx === 0 && r.errors === 0) continue;
    let line = `${r.label} ${phase}: ${r.non2xx} non-2xx answer(s), ${r.errors} socket error(s) (${r.timeouts} timeouts); status codes ${JSON.stringify(r.statusCodes)}`;
    if (r.firstFailure) line += `\n  first failing answer: ${r.firstFailure.status} ${r.firstFailure.body}`;
    problems.push(line);
  }
  if (CPU_PROF_DIR) console.log(`\nSwitchyard CPU profile written to ${CPU_PROF_DIR} (open the .cpuprofile in Chrome DevTools)`);
  if (problems.length) {
    console.error(`\nBENCHMARK FAILED: requests did not all succeed\n${problems.join('\n')}`);
    process.exitCode = 1;
  }
}

await runBenchmark(run, main);
