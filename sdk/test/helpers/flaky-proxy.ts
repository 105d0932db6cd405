import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one request instead of passing its answer on. */
export type Fault =
  /** Forwards the request, lets the app answer, then cuts the connection: the client never sees the answer. */
  | 'drop-answer'
  /** Answers nothing and keeps the connection open (until the client gives up or the proxy closes). */
  | 'hang'
  /** Answers this itself, without forwarding. */
  | { status: number; headers?: Record<string, string>; body?: string };

export interface Seen {
  at: number;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The status the client got (undefined for dropped and hung requests). */
  status?: number;
  /** The app's Idempotent-Replayed header, when it answered. */
  replayed?: string;
}

/**
 * A loopback HTTP proxy in front of the app that misbehaves on demand: tests queue faults, each
 * spent by one request; other requests pass through unchanged. Records every request it saw.
 */
export async function startFlakyProxy(target: string) {
  const faults: Fault[] = [];
  const seen: Seen[] = [];
  const hanging = new Set<http.ServerResponse>();
  const upstream = new URL(target);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const record: Seen = { at: Date.now(), method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers };
      seen.push(record);
      const fault = faults.shift();
      if (fault === 'hang') {
        hanging.add(res);
        return;
      }
      if (fault && fault !== 'drop-answer') {
        record.status = fault.status;
        res.writeHead(fault.status, fault.headers).end(fault.body ?? '');
        return;
      }
      const forwarded = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (c: Buffer) => body.push(c));
          answer.on('end', () => {
            if (fault === 'drop-answer') {
              res.socket?.destroy();
              return;
            }
            record.status = answer.statusCode;
            const replayed = answer.headers['idempotent-replayed'];
            if (typeof replayed === 'string') record.replayed = replayed;
            res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(body));
          });
        },
      );
      forwarded.on('error', () => res.socket?.destroy());
      forwarded.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    /** The next requests fail this way, one fault each, in order. */
    fail: (...next: Fault[]) => void faults.push(...next),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FlakyProxy = Awaited<ReturnType<typeof startFlakyProxy>>;

/** A problem document as the API answers it, for faults that stand in for the app's own errors. */
export function problem(status: number, code: string, title: string, headers: Record<string, string> = {}) {
  return {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
    body: JSON.stringify({ type: `https://switchyard.dev/problems/${code.replace(/_/g, '-')}`, title, status, code }),
  };
}
