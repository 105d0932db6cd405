/**
 * What bench/invoices.ts and bench/webhooks.ts share: settings, child processes, the throwaway
 * database and Redis keys of one run (and their cleanup), setup through Switchyard's operator
 * API, and the bits of the report (number formats, the table, the machine line).
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
import { Redis } from 'ioredis';
import pg from 'pg';
import { signOperatorToken } from '../src/security/operator-token.js';

const execFileAsync = promisify(execFile);

// dist/bench/bench-lib.js → dist/src/main.js and the package root (children run from there).
export const MAIN_JS = fileURLToPath(new URL('../src/main.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
export const CPU_PROF_DIR = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : undefined;

/**
 * The V8 flags every Switchyard process starts with, as in the Dockerfile's ENTRYPOINT and
 * `npm start`: a 128 MB old generation makes V8 collect before it grows the heap (by default a
 * busy worker's RSS reached 250 MB of mostly garbage around a live heap of ~40 MB), and a 4 MB
 * young generation keeps the API's RSS lower still at the same CPU per request.
 */
export const SWITCHYARD_NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=128'];

/** Node flags that write a CPU profile of a child into `dir`; none without one. */
export const cpuProfArgs = (dir: string | undefined): string[] => (dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []);

// ---------------------------------------------------------------------------------------------
// Settings

/** An integer setting from the environment; `what` is the wording of the error (each benchmark keeps its own). */
export function intSetting(name: string, fallback: number, min: number, what = `an integer ≥ ${min}`): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be ${what} (got "${raw}")`);
  return n;
}

/** The server of DATABASE_URL (or the local default: trust auth, OS user) with another database name. */
export function databaseUrl(name: string): string {
  const url = new URL(process.env.DATABASE_URL || `postgres://${os.userInfo().username}@127.0.0.1:5432/postgres`);
  url.pathname = `/${name}`;
  return url.toString();
}

// ---------------------------------------------------------------------------------------------
// One run: its names, and what it has started or created, so cleanup can undo it even on failure

export interface BenchRun {
  id: string;
  dbName: string;
  dbUrl: string;
  /** Switchyard's QUEUE_PREFIX; its keys are deleted at the end. */
  queuePrefix: string;
  /** Every Redis prefix whose keys are deleted at the end (queuePrefix first). */
  redisPrefixes: string[];
  children: Child[];
  /** Closed before the children are stopped (connections, queues). */
  closers: Array<() => Promise<unknown>>;
  databaseMayExist: boolean;
  cleaning?: Promise<void>;
}

/** Random names so that concurrent or crashed runs never share a database or Redis keys. */
export function newBenchRun(): BenchRun {
  const id = randomBytes(4).toString('hex');
  const dbName = `switchyard_bench_${id}`;
  const queuePrefix = `bench:${id}`;
  return { id, dbName, dbUrl: databaseUrl(dbName), queuePrefix, redisPrefixes: [queuePrefix], children: [], closers: [], databaseMayExist: false };
}

/** Switchyard's environment for a run; `extra` is what one process or benchmark sets on top. */
export function switchyardEnv(run: BenchRun, operatorSecret: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: run.dbUrl,
    REDIS_URL,
    LOG_LEVEL: 'warn',
    QUEUE_PREFIX: run.queuePrefix,
    RATE_LIMIT_MAX: '100000000',
    OPERATOR_JWT_SECRET: operatorSecret,
    MASTER_KEY: randomBytes(32).toString('base64'),
    ...extra,
  };
  // A public key in the caller's environment would take precedence over our secret.
  delete env.OPERATOR_JWT_PUBLIC_KEY;
  return env;
}

/** Runs `migrate`, which also creates the database; from here on cleanup drops it. */
export async function migrateFreshDatabase(run: BenchRun, env: NodeJS.ProcessEnv): Promise<void> {
  run.databaseMayExist = true;
  try {
    await execFileAsync(process.execPath, [MAIN_JS, 'migrate'], { cwd: ROOT, env, timeout: 60_000 });
  } catch (err) {
    const e = err as { message: string; stdout?: string; stderr?: string };
    throw new Error(`migrate failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

async function dropDatabase(dbName: string): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl('postgres') });
  try {
    await admin.connect();
    // FORCE: a child killed mid-run may still hold connections.
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  } catch (err) {
    console.error(`could not drop database ${dbName}:`, err);
    process.exitCode = 1;
  } finally {
    await admin.end().catch(() => undefined);
  }
}

async function deleteRedisKeys(prefixes: string[]): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    for (const prefix of prefixes) {
      // SCAN + UNLINK rather than KEYS + DEL: does not block a Redis that others may be using.
      let cursor = '0';
      let deleted = 0;
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) deleted += await redis.unlink(...keys);
      } while (cursor !== '0');
      if (deleted) console.log(`cleanup: deleted ${deleted} Redis key(s) under ${prefix}:`);
    }
  } catch (err) {
    console.error(prefixes.length === 1 ? `could not delete Redis keys under ${prefixes[0]}:` : 'could not delete the Redis keys:', err);
    process.exitCode = 1;
  } finally {
    redis.disconnect();
  }
}

/** Closers, children, database, Redis keys, in that order; once only, however often it is called. */
export function cleanup(run: BenchRun): Promise<void> {
  run.cleaning ??= (async () => {
    for (const close of run.closers) await close().catch(() => undefined);
    for (const c of run.children) {
      try {
        await stopChild(c);
      } catch (err) {
        console.error(`could not stop ${c.name}:`, err);
        process.exitCode = 1;
      }
    }
    if (run.databaseMayExist) await dropDatabase(run.dbName);
    await deleteRedisKeys(run.redisPrefixes);
  })();
  return run.cleaning;
}

/** Runs `main`, cleans up after it (also on Ctrl-C / SIGTERM), then exits: open handles must not keep the process alive. */
export async function runBenchmark(run: BenchRun, main: () => Promise<void>): Promise<never> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: cleaning up …`);
      void cleanup(run).finally(() => process.exit(130));
    });
  }
  try {
    await main();
  } catch (err) {
    console.error('\nBENCHMARK FAILED:', err instanceof Error ? err.message : err);
    process.exitCode = 1;
  } finally {
    await cleanup(run);
  }
  process.exit();
}

// ---------------------------------------------------------------------------------------------
// Child processes

export interface Child {
  name: string;
  proc: ChildProcess;
  /** The last chunks of its stdout/stderr, shown when something goes wrong. */
  output: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node <args>` from the package root, output kept for error messages; `ipc` adds a message channel. */
export function startChild(name: string, args: string[], env: NodeJS.ProcessEnv, ipc = false): Child {
  const proc = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? (['ipc'] as const) : [])] });
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

export const hasExited = (c: Child) => c.proc.exitCode !== null || c.proc.signalCode !== null;
export const tail = (c: Child) => c.output.join('').trimEnd().split('\n').slice(-40).join('\n') || '(no output)';

/** SIGTERM, then wait for the exit (SIGKILL after 30 s: Switchyard's own shutdown gives up at 25 s). */
export async function stopChild(c: Child): Promise<void> {
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
export async function waitUntil(what: string, child: Child, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
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

/** A port that was free a moment ago (the OS picks it), for a child that needs a fixed PORT. */
export async function freePort(): Promise<number> {
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
export function cpuSecondsOf(pid: number | undefined): number | undefined {
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

/**
 * CPU seconds used so far by the PostgreSQL processes that serve one database: its backends and
 * the server's own background processes (WAL writer, checkpointer, …), from pg_stat_activity and
 * /proc. Other databases' backends on the same server are left out.
 */
export async function postgresCpu(dbUrl: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() OR datname IS NULL');
    const cpu = new Map<number, number>();
    for (const { pid } of rows) {
      const seconds = cpuSecondsOf(pid);
      if (seconds !== undefined) cpu.set(pid, seconds);
    }
    return cpu;
  } finally {
    await client.end();
  }
}

/** CPU seconds PostgreSQL spent between two postgresCpu readings (a backend that exited in between is lost). */
export function postgresCpuSpent(before: Map<number, number>, after: Map<number, number>): number {
  let spent = 0;
  for (const [pid, seconds] of after) spent += seconds - (before.get(pid) ?? 0);
  return spent;
}

/**
 * CPU seconds the whole machine has been busy (all cores, every process: server, database, Redis,
 * load generator). On a machine they share, this bounds throughput more than any one process does.
 */
export function machineBusySeconds(): number {
  let ms = 0;
  for (const { times } of os.cpus()) ms += times.user + times.nice + times.sys + times.irq;
  return ms / 1000;
}

/** Share of one core used between two cpuSecondsOf readings; undefined where /proc is missing. */
export const cpuShare = (before: number | undefined, after: number | undefined, wallSeconds: number) =>
  before !== undefined && after !== undefined ? (after - before) / wallSeconds : undefined;

/** Resident set size of a process now, in bytes, from /proc (Linux); undefined elsewhere. */
export function rssOf(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every 250 ms until stopped; `peak()` is the highest reading (bytes). */
export function watchRss(pid: number | undefined): { peak(): number | undefined; stop(): void } {
  let peak: number | undefined;
  const sample = () => {
    const now = rssOf(pid);
    if (now !== undefined && (peak === undefined || now > peak)) peak = now;
  };
  sample();
  const timer = setInterval(sample, 250);
  timer.unref();
  return { peak: () => peak, stop: () => clearInterval(timer) };
}

export const mib = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : `${Math.round(bytes / 2 ** 20)} MB`);

/** Switchyard's own round-trip counters (PostgreSQL statements, Redis commands) from one process's /metrics. */
export async function roundTripCounters(baseUrl: string, metricsToken?: string): Promise<{ db: number; redis: number }> {
  const res = await fetch(`${baseUrl}/metrics`, {
    headers: metricsToken ? { authorization: `Bearer ${metricsToken}` } : {},
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`GET /metrics: ${res.status}`);
  const text = await res.text();
  const sum = (name: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(name))
      .reduce((acc, line) => acc + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  return { db: sum('switchyard_db_queries_total'), redis: sum('switchyard_redis_commands_total') };
}

// ---------------------------------------------------------------------------------------------
// HTTP, and setup through Switchyard's API

/** One request with a 10 s timeout; a string body is sent as is, anything else as JSON. */
export async function request(method: string, url: string, token: string | undefined, body?: unknown) {
  const res = await fetch(url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, text: await res.text() };
}

/** POSTs and insists on 201: setup that silently failed would make the benchmark measure errors. */
export async function mustCreate(what: string, url: string, token: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await request('POST', url, token, body);
  if (res.status !== 201) throw new Error(`${what}: expected 201, got ${res.status}: ${res.text}`);
  return JSON.parse(res.text) as Record<string, unknown>;
}

/** Starts `node <SWITCHYARD_NODE_FLAGS> main.js api` on a free port (tracked for cleanup) and waits until GET /readyz answers 200. */
export async function startSwitchyardApi(
  run: BenchRun,
  opts: { name: string; label: string; env: NodeJS.ProcessEnv; nodeArgs?: string[] },
): Promise<{ child: Child; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = startChild(opts.name, [...SWITCHYARD_NODE_FLAGS, ...(opts.nodeArgs ?? []), MAIN_JS, 'api'], { ...opts.env, PORT: String(port) });
  run.children.push(child);
  await waitUntil(`${opts.label} GET /readyz = 200`, child, 30_000, async () => (await request('GET', `${base}/readyz`, undefined)).status === 200);
  return { child, base };
}

/** A tenant and a test-mode API key, created the way an operator would: through the admin API. */
export async function createTenantAndKey(apiBase: string, operatorSecret: string): Promise<{ tenant: Record<string, unknown>; apiKey: string }> {
  const operatorToken = await signOperatorToken(operatorSecret, 'bench', 600);
  const tenant = await mustCreate('create tenant', `${apiBase}/admin/v1/tenants`, operatorToken, { name: 'bench' });
  const key = await mustCreate('create API key', `${apiBase}/admin/v1/tenants/${String(tenant.id)}/api-keys`, operatorToken, { mode: 'test', name: 'bench' });
  const apiKey = String(key.secret);
  if (!apiKey.startsWith('sy_test_')) throw new Error(`unexpected API key answer: ${JSON.stringify(key)}`);
  return { tenant, apiKey };
}

// ---------------------------------------------------------------------------------------------
// Report

/** The p-quantile (0..1) of ascending values, nearest-rank; NaN when there are none. */
export const percentile = (sorted: Float64Array, p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]! : NaN;

/** en-US grouping with a fixed number of decimals, so columns line up. */
export const formatNumber = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const pct = (n: number | undefined) => (n === undefined ? 'n/a' : `${Math.round(n * 100)}%`);

/** Cores, CPU model, memory, node and OS: the figures mean little without them. */
export function machineInfo(): string {
  const cpus = os.cpus();
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** `intro` lines, then a table: first column left-aligned, the (numeric) others right-aligned. */
export function printTable(intro: string[], header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log('');
  for (const l of intro) console.log(l);
  console.log('');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/** `PostgreSQL <version>` of the run's database server, or `PostgreSQL ?`: only for the report, never fatal. */
export async function postgresVersion(dbUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: dbUrl });
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
