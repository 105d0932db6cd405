/**
 * Webhook receiver for bench/webhooks.ts: a plain node:http server that reads each POST body,
 * answers 200 with no body at once, and remembers when each event id first arrived.
 *
 * Started by bench/webhooks.ts as a child process with an IPC channel:
 *   node dist/bench/webhook-receiver.js
 * It sends `{ type: 'listening', port }` once it listens on 127.0.0.1, then answers these
 * messages (each carries a `seq` that the answer repeats):
 *   { cmd: 'reset' }  forget everything received so far
 *   { cmd: 'count' }  → { unique, total }
 *   { cmd: 'dump' }   → { ids, at, total, duplicates, duplicateSamples, unidentified }
 * The id is the `webhook-id` header (Switchyard signs with it) or else the body's `id` field.
 * Times are wall-clock milliseconds with sub-millisecond precision (performance.timeOrigin + now()).
 * It exits when the parent goes away (IPC disconnect) or on SIGTERM.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const nowMs = () => performance.timeOrigin + performance.now();

let ids: string[] = [];
let at: number[] = [];
let seen = new Map<string, number>();
let total = 0;
let duplicates = 0;
let duplicateSamples: string[] = [];
let unidentified = 0;

function record(id: string | undefined, when: number): void {
  total++;
  if (!id) {
    unidentified++;
    return;
  }
  const count = seen.get(id);
  if (count !== undefined) {
    seen.set(id, count + 1);
    duplicates++;
    if (duplicateSamples.length < 20) duplicateSamples.push(id);
    return;
  }
  seen.set(id, 1);
  ids.push(id);
  at.push(when);
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const when = nowMs();
    res.writeHead(200, { 'content-length': '0' }).end();
    const header = req.headers['webhook-id'];
    let id = typeof header === 'string' ? header : undefined;
    if (!id) {
      try {
        const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: unknown };
        if (typeof parsed.id === 'string') id = parsed.id;
      } catch {
        // counted as unidentified
      }
    }
    record(id, when);
  });
});
server.keepAliveTimeout = 65_000;

type Message = { seq: number; cmd: 'reset' | 'count' | 'dump' };
process.on('message', (msg: Message) => {
  const reply = (body: object) => process.send?.({ seq: msg.seq, ...body });
  switch (msg.cmd) {
    case 'reset':
      ids = [];
      at = [];
      seen = new Map();
      total = 0;
      duplicates = 0;
      duplicateSamples = [];
      unidentified = 0;
      reply({ ok: true });
      break;
    case 'count':
      reply({ unique: ids.length, total });
      break;
    case 'dump':
      reply({ ids, at, total, duplicates, duplicateSamples, unidentified });
      break;
  }
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});

server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port });
});
