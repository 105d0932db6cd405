/**
 * Preloaded into a benchmark's worker process (`node --import dist/bench/redis-counter.js …`):
 * counts every command the process sends to Redis on any connection (BullMQ's included, which
 * Switchyard's own switchyard_redis_commands_total leaves out) and the round trips they took (a
 * pipeline or MULTI is one round trip however many commands it holds). The benchmark asks over
 * the child's IPC channel: `{ seq, cmd: 'redis-count' }` → `{ seq, commands, roundTrips }`.
 */
import { Redis } from 'ioredis';

let commands = 0;
let roundTrips = 0;
/** Pipelines seen: every command of one pipeline is written through the same stream object. */
const pipelines = new WeakSet<object>();

const send = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function counted(this: Redis, ...args: Parameters<Redis['sendCommand']>) {
  commands++;
  const stream = args[1] as { isPipeline?: boolean } | undefined;
  if (!stream?.isPipeline) roundTrips++;
  else if (!pipelines.has(stream)) {
    pipelines.add(stream);
    roundTrips++;
  }
  return send.apply(this, args);
} as Redis['sendCommand'];

process.on('message', (m: { seq?: number; cmd?: string }) => {
  if (m?.cmd === 'redis-count') process.send?.({ seq: m.seq, commands, roundTrips });
});
// The channel must not keep the process alive, nor make it exit early.
process.channel?.unref();
