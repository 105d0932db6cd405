/**
 * Driving bench/webhook-receiver.ts (a child process with an IPC channel) from a benchmark:
 * start it, then ask it to reset, count or dump what it received. A worker preloaded with
 * bench/redis-counter.ts answers `redis-count` the same way.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startChild, tail, type BenchRun, type Child } from './bench-lib.js';

// dist/bench/receiver-client.js → dist/bench/webhook-receiver.js.
const RECEIVER_JS = fileURLToPath(new URL('./webhook-receiver.js', import.meta.url));

export interface ReceiverDump {
  ids: string[];
  at: number[];
  total: number;
  duplicates: number;
  duplicateSamples: string[];
  unidentified: number;
}

let askSeq = 0;
export function ask<T>(c: Child, cmd: 'reset' | 'count' | 'dump' | 'redis-count', timeoutMs = 15_000): Promise<T> {
  const seq = ++askSeq;
  return new Promise<T>((resolve, reject) => {
    const onMessage = (m: { seq?: number }) => {
      if (m?.seq !== seq) return;
      c.proc.off('message', onMessage);
      clearTimeout(timer);
      resolve(m as T);
    };
    const timer = setTimeout(() => {
      c.proc.off('message', onMessage);
      reject(new Error(`receiver did not answer "${cmd}" within ${timeoutMs} ms:\n${tail(c)}`));
    }, timeoutMs);
    c.proc.on('message', onMessage);
    c.proc.send({ seq, cmd });
  });
}

/** Starts the receiver (tracked by the run for cleanup); resolves once it listens. */
export async function startBenchReceiver(run: BenchRun): Promise<{ child: Child; url: string }> {
  const child = startChild('receiver', [RECEIVER_JS], { ...process.env, NODE_ENV: 'production' }, true);
  run.children.push(child);
  const port = await Promise.race([
    new Promise<number>((resolve) => {
      const onMessage = (m: { type?: string; port?: number }) => {
        if (m?.type !== 'listening') return;
        child.proc.off('message', onMessage);
        resolve(m.port!);
      };
      child.proc.on('message', onMessage);
    }),
    child.exit.then(() => {
      throw new Error(`receiver exited before listening:\n${tail(child)}`);
    }),
    delay(15_000).then(() => {
      throw new Error(`receiver did not listen within 15 s:\n${tail(child)}`);
    }),
  ]);
  return { child, url: `http://127.0.0.1:${port}` };
}
