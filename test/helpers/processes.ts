import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { eventually } from './harness.js';

/**
 * Switchyard as separate processes, the way it runs in production: the BUILT entry point
 * (dist/, built by the global setup) in `api` or `worker` mode on a fixed port, so a process
 * killed with SIGKILL can be started again where clients and upstreams already send to.
 */

/** The range the OS hands out for port 0 and outgoing connections (Linux; its usual default elsewhere). */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && high) return [low, high];
  } catch {
    // not Linux
  }
  return [32768, 60999];
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * A port that was free a moment ago, for a child process to listen on later. Taken below the
 * ephemeral range: a port the OS picked for us would be released until the child binds it, and
 * any server listening on port 0 (other test files run alongside) or outgoing connection could
 * get it meanwhile.
 */
export async function freePort(): Promise<number> {
  const [ephemeralLow] = ephemeralRange();
  const low = Math.max(1024, ephemeralLow - 12_000);
  for (let tries = 0; tries < 100; tries++) {
    const port = low + Math.floor(Math.random() * (ephemeralLow - low));
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port found between ${low} and ${ephemeralLow - 1}`);
}

export interface SwitchyardProcess {
  readonly name: string;
  readonly mode: 'api' | 'worker';
  readonly port: number;
  readonly base: string;
  /** The current child (a new one after each restart). */
  child(): ChildProcess;
  /** How many times it was started. */
  starts(): number;
  running(): boolean;
  /** The current child's output so far (stdout and stderr). */
  output(): string;
  /** Resolves once GET /readyz answers 200 (PostgreSQL and Redis reachable); fails if the child exits. */
  ready(timeoutMs?: number): Promise<void>;
  /** GET /readyz's status, or 0 when nothing answers. */
  readiness(): Promise<number>;
  /** SIGKILL, and wait until the child has exited. */
  kill(): Promise<void>;
  /** A new child with the same environment and port (after kill()). */
  restart(): Promise<void>;
  /** SIGKILL if still running (cleanup). */
  stop(): Promise<void>;
}

export function startSwitchyard(name: string, mode: 'api' | 'worker', port: number, env: Record<string, string>): SwitchyardProcess {
  let child: ChildProcess;
  let out = '';
  let exited: Promise<void>;
  let starts = 0;
  const spawnChild = () => {
    out = '';
    starts++;
    child = spawn(process.execPath, ['dist/src/main.js', mode], { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const c = child;
    exited = new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve())));
  };
  spawnChild();
  const running = () => child.exitCode === null && child.signalCode === null;
  const base = `http://127.0.0.1:${port}`;
  const readiness = async () => {
    try {
      return (await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(3000) })).status;
    } catch {
      return 0;
    }
  };
  const proc: SwitchyardProcess = {
    name,
    mode,
    port,
    base,
    child: () => child,
    starts: () => starts,
    running,
    output: () => out,
    readiness,
    ready: (timeoutMs = 30_000) =>
      eventually(
        async () => {
          if (!running()) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}):\n${out}`);
          const status = await readiness();
          if (status !== 200) throw new Error(`${name} not ready (${status})`);
        },
        { timeoutMs, intervalMs: 100 },
      ).catch((err: unknown) => {
        throw new Error(`${name} did not become ready: ${(err as Error).message}\n${out.slice(-4000)}`);
      }),
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    async restart() {
      if (running()) throw new Error(`${name} is still running; kill it first`);
      spawnChild();
    },
    async stop() {
      await proc.kill();
    },
  };
  return proc;
}

/** What a JSON API answered a test that talks to a Switchyard process over real HTTP. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export interface HttpCall {
  auth?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One JSON request to a running Switchyard (a child process), bounded by `timeoutMs`. */
export async function callSwitchyard(base: string, method: string, path: string, opts: HttpCall = {}, timeoutMs = 15_000): Promise<HttpAnswer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(opts.auth ? { authorization: `Bearer ${opts.auth}` } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
