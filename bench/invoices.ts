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
 *   DATABASE_URL           only its server and credentials are used (default postgres://<OS user>@127.0.0.1:5432)
 *   REDIS_URL              default redis://127.0.0.1:6379
 *
 * Needs PostgreSQL and Redis. Everything it creates (a switchyard_bench_<random> database,
 * Redis keys under bench:<random>:) is removed again at the end, also when the run fails.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import pg from 'pg';
import { signOperatorToken } from '../src/security/operator-token.js';

const execFileAsync = promisify(execFile);

// dist/bench/invoices.js → dist/src/main.js, dist/bench/baseline-server.js, package root.
const MAIN_JS = fileURLToPath(new URL('../src/main.js', import.meta.url));
const BASELINE_JS = fileURLToPath(new URL('./baseline-server.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer (got "${raw}")`);
  return n;
}

const SECONDS = positiveInt('BENCH_SECONDS', 15);
const WARMUP_SECONDS = positiveInt('BENCH_WARMUP_SECONDS', 3);
const CONNECTIONS = positiveInt('BENCH_CONNECTIONS', 20);
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : undefined;

const INVOICE_BODY = JSON.stringify({ amount: '9.99', currency: 'USD', description: 'bench' });
const RUN_ID = randomBytes(4).toString('hex');
const DB_NAME = `switchyard_bench_${RUN_ID}`;
const QUEUE_PREFIX = `bench:${RUN_ID}`;
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** The server of DATABASE_URL (or the local default: trust auth, OS user) with another database name. */
function databaseUrl(name: string): string {
  const url = new URL(process.env.DATABASE_URL || `postgres://${os.userInfo().username}@127.0.0.1:5432/postgres`);
  url.pathname = `/${name}`;
  return url.toString();
}
const BENCH_DB_URL = databaseUrl(DB_NAME);

// ---------------------------------------------------------------------------------------------
// Child processes

interface Child {
  name: string;
  proc: ChildProcess;
  /** The last chunks of its stdout/stderr, shown when something goes wrong. */
  output: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startChild(name: string, args: string[], env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Child {
  const proc = spawn(process.execPath, [...nodeArgs, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    if (output.length > 200) output.shift();
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once('exit', (code, signal) => resolve({ code, signal }));
    proc.once('error', (err) => {
      output.push(`spawn error: ${err.message}\n`);
      resolve({ code: -1, signal: null });
    });
  });
  return { name, proc, output, exit };
}

const hasExited = (c: Child) => c.proc.exitCode !== null || c.proc.signalCode !== null;
const tail = (c: Child) => c.output.join('').trimEnd().split('\n').slice(-40).join('\n') || '(no output)';

/** SIGTERM, then wait for the exit (SIGKILL after 30 s: Switchyard's own shutdown gives up at 25 s). */
async function stopChild(c: Child): Promise<void> {
  if (hasExited(c)) return;
  c.proc.kill('SIGTERM');
  const timer = delay(30_000, 'timeout' as const);
  if ((await Promise.race([c.exit.then(() => 'exited' as const), timer])) === 'timeout') {
    console.error(`${c.name} did not exit within 30 s of SIGTERM; killing it`);
    c.proc.kill('SIGKILL');
    await c.exit;
  }
  const { code, signal } = await c.exit;
  if (code !== 0) console.error(`${c.name} exited with ${signal ?? `code ${code}`} after SIGTERM:\n${tail(c)}`);
}

/** Polls `check` until it is true; fails at the deadline or as soon as the child dies. */
async function waitUntil(what: string, child: Child, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    if (hasExited(child)) throw new Error(`${child.name} exited while waiting for ${what}:\n${tail(child)}`);
    try {
      if (await check()) return;
    } catch (err) {
      lastError = (err as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}:\n${tail(child)}`);
    }
    await delay(100);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15, in clock ticks (100/s on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers

async function request(method: string, url: string, token: string | undefined, body?: unknown) {
  const res = await fetch(url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, text };
}

async function mustCreate(what: string, method: string, url: string, token: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await request(method, url, token, body);
  if (res.status !== 201) throw new Error(`${what}: expected 201, got ${res.status}: ${res.text}`);
  return JSON.parse(res.text) as Record<string, unknown>;
}

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
}

async function load(label: string, url: string, headers: Record<string, string>, seconds: number, serverPid?: number): Promise<LoadOutcome> {
  let firstFailure: { status: number; body: string } | undefined;
  const serverCpuBefore = cpuSecondsOf(serverPid);
  const loaderCpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: INVOICE_BODY,
        onResponse: (status: number, body: string) => {
          if ((status < 200 || status > 299) && !firstFailure) firstFailure = { status, body };
        },
      },
    ],
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const loaderCpu = process.cpuUsage(loaderCpuBefore);
  const serverCpuAfter = cpuSecondsOf(serverPid);
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stats?.count ?? 0;
  return {
    label,
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    firstFailure,
    serverCpu: serverCpuBefore !== undefined && serverCpuAfter !== undefined ? (serverCpuAfter - serverCpuBefore) / wall : undefined,
    loaderCpu: (loaderCpu.user + loaderCpu.system) / 1e6 / wall,
  };
}

/** Warm-up (not reported), then the measured run. */
async function bench(label: string, url: string, headers: Record<string, string>, server: Child): Promise<{ warmup: LoadOutcome; measured: LoadOutcome }> {
  console.log(`${label}: warming up ${WARMUP_SECONDS} s, then measuring ${SECONDS} s …`);
  const warmup = await load(label, url, headers, WARMUP_SECONDS, server.proc.pid);
  const measured = await load(label, url, headers, SECONDS, server.proc.pid);
  if (hasExited(server)) throw new Error(`${server.name} died during the load test:\n${tail(server)}`);
  return { warmup, measured };
}

// ---------------------------------------------------------------------------------------------
// Setup and cleanup

const children: Child[] = [];
let databaseMayExist = false;

let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const c of children) {
      try {
        await stopChild(c);
      } catch (err) {
        console.error(`could not stop ${c.name}:`, err);
        process.exitCode = 1;
      }
    }
    if (databaseMayExist) {
      const admin = new pg.Client({ connectionString: databaseUrl('postgres') });
      try {
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`);
      } catch (err) {
        console.error(`could not drop database ${DB_NAME}:`, err);
        process.exitCode = 1;
      } finally {
        await admin.end().catch(() => undefined);
      }
    }
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: true });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      let cursor = '0';
      let deleted = 0;
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${QUEUE_PREFIX}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) deleted += await redis.unlink(...keys);
      } while (cursor !== '0');
      if (deleted) console.log(`cleanup: deleted ${deleted} Redis key(s) under ${QUEUE_PREFIX}:`);
    } catch (err) {
      console.error(`could not delete Redis keys under ${QUEUE_PREFIX}:`, err);
      process.exitCode = 1;
    } finally {
      redis.disconnect();
    }
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up …`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function postgresVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: BENCH_DB_URL });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return `PostgreSQL ${rows[0]?.server_version ?? '?'}`;
  } catch {
    return 'PostgreSQL ?';
  } finally {
    await client.end().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (n: number | undefined) => (n === undefined ? 'n/a' : `${Math.round(n * 100)}%`);

function printReport(rows: LoadOutcome[], machine: string, pgVersion: string): void {
  const header = ['target', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors', 'server CPU', 'loader CPU'];
  const lines = rows.map((r) => [
    r.label,
    fmt(r.reqPerSec, 1),
    fmt(r.p50),
    fmt(r.p99),
    fmt(r.total),
    fmt(r.non2xx),
    fmt(r.errors),
    pct(r.serverCpu),
    pct(r.loaderCpu),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log('');
  console.log(`machine: ${machine}`);
  console.log(`         ${pgVersion}, Redis at ${REDIS_URL}; server, database and autocannon share the machine`);
  console.log(`load:    autocannon, ${CONNECTIONS} connections, pipelining 1, ${SECONDS} s measured after ${WARMUP_SECONDS} s warm-up`);
  console.log(`body:    ${INVOICE_BODY}`);
  console.log('');
  console.log(row(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(row(l));
  const [sy, base] = rows;
  if (sy && base && base.reqPerSec > 0) {
    console.log('');
    console.log(`throughput Switchyard/baseline: ${(sy.reqPerSec / base.reqPerSec).toFixed(2)}x`);
  }
  console.log('(server CPU: share of one core used by the server process; 100% = one core busy)');
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const cpus = os.cpus();
  const machine = `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${os.platform()} ${os.release()}`;
  const operatorSecret = randomBytes(32).toString('hex');
  const switchyardEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: BENCH_DB_URL,
    REDIS_URL,
    LOG_LEVEL: 'warn',
    QUEUE_PREFIX,
    RATE_LIMIT_MAX: '100000000',
    OPERATOR_JWT_SECRET: operatorSecret,
    MASTER_KEY: randomBytes(32).toString('base64'),
  };
  delete switchyardEnv.OPERATOR_JWT_PUBLIC_KEY;

  // 1. A fresh database; `migrate` creates it.
  console.log(`database ${DB_NAME}, Redis prefix ${QUEUE_PREFIX}`);
  databaseMayExist = true;
  try {
    await execFileAsync(process.execPath, [MAIN_JS, 'migrate'], { cwd: ROOT, env: switchyardEnv, timeout: 60_000 });
  } catch (err) {
    const e = err as { message: string; stdout?: string; stderr?: string };
    throw new Error(`migrate failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
  const pgVersion = await postgresVersion();

  // 2. Switchyard API.
  const syPort = await freePort();
  const syBase = `http://127.0.0.1:${syPort}`;
  const nodeArgs = CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];
  const switchyard = startChild('switchyard', [MAIN_JS, 'api'], { ...switchyardEnv, PORT: String(syPort) }, nodeArgs);
  children.push(switchyard);
  await waitUntil('Switchyard GET /readyz = 200', switchyard, 30_000, async () => (await request('GET', `${syBase}/readyz`, undefined)).status === 200);

  // 3. Tenant and test key through the operator API, then one request to prove the route answers 201.
  const operatorToken = await signOperatorToken(operatorSecret, 'bench', 600);
  const tenant = await mustCreate('create tenant', 'POST', `${syBase}/admin/v1/tenants`, operatorToken, { name: 'bench' });
  const key = await mustCreate('create API key', 'POST', `${syBase}/admin/v1/tenants/${String(tenant.id)}/api-keys`, operatorToken, { mode: 'test', name: 'bench' });
  const apiKey = String(key.secret);
  if (!apiKey.startsWith('sy_test_')) throw new Error(`unexpected API key answer: ${JSON.stringify(key)}`);
  const probe = await request('POST', `${syBase}/v1/invoices`, apiKey, INVOICE_BODY);
  if (probe.status !== 201) throw new Error(`Switchyard POST /v1/invoices answered ${probe.status} before the load test:\n${probe.text}`);

  const sy = await bench('Switchyard', `${syBase}/v1/invoices`, { authorization: `Bearer ${apiKey}` }, switchyard);
  await stopChild(switchyard);

  // 4. Baseline: bare express + pg INSERT, same database, same load.
  const basePort = await freePort();
  const baseUrl = `http://127.0.0.1:${basePort}`;
  const baseline = startChild('baseline', [BASELINE_JS], { ...process.env, NODE_ENV: 'production', DATABASE_URL: BENCH_DB_URL, PORT: String(basePort) });
  children.push(baseline);
  await waitUntil('the baseline server to answer POST /invoices = 201', baseline, 30_000, async () => (await request('POST', `${baseUrl}/invoices`, undefined, INVOICE_BODY)).status === 201);
  const base = await bench('baseline', `${baseUrl}/invoices`, {}, baseline);
  await stopChild(baseline);

  // 5. Report; any non-2xx answer or socket error makes the run fail.
  printReport([sy.measured, base.measured], machine, pgVersion);
  const problems: string[] = [];
  for (const [phase, r] of [['warm-up', sy.warmup], ['measured', sy.measured], ['warm-up', base.warmup], ['measured', base.measured]] as const) {
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

try {
  await main();
} catch (err) {
  console.error('\nBENCHMARK FAILED:', err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await cleanup();
}
process.exit();
