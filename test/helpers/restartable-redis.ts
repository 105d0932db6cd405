import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { eventually, TEST_REDIS_URL } from './harness.js';
import { freePort } from './processes.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

/**
 * A Redis a test may take down and bring back. Where the `redis-server` binary exists, a private
 * server on its own port, without persistence: `down()` kills it (SIGKILL) and `up()` starts a new
 * one on the same port, empty, which is a Redis restart that lost its data: queued jobs, job
 * schedules, breaker state and rate-limit counters are gone. Elsewhere (a shared Redis we may not
 * restart), a TCP proxy in front of the test Redis that is cut and restored: the data survives.
 */
export interface RestartableRedis {
  readonly url: string;
  /** `private`: a real restart that loses the data; `proxy`: a cut connection. */
  readonly kind: 'private' | 'proxy';
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

const hasRedisServer = () => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

async function answersPing(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect();
  }
}

export async function startRestartableRedis(): Promise<RestartableRedis> {
  if (!hasRedisServer()) return proxied();
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let out = '';
  const up = async () => {
    out = '';
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await eventually(() => answersPing(url), { timeoutMs: 10_000, intervalMs: 50 }).catch((err: unknown) => {
      throw new Error(`private redis-server did not start: ${(err as Error).message}\n${out}`);
    });
  };
  const down = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGKILL');
    await exited;
  };
  await up();
  return { url, kind: 'private', down, up, close: down };
}

async function proxied(): Promise<RestartableRedis> {
  const target = new URL(TEST_REDIS_URL);
  const proxy: TcpProxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
  return {
    url: proxy.url('redis'),
    kind: 'proxy',
    down: () => proxy.cut(),
    up: async () => proxy.restore(),
    close: () => proxy.close(),
  };
}
