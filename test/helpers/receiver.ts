import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  at: number;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The status it was answered with; undefined while (or because) it hangs. */
  status?: number;
}

/** What the receiver does with one request: answer with a status (and headers), or hang until closed. Planned per path. */
export type Behaviour = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/**
 * A real HTTP server on a loopback port standing in for a tenant's webhook endpoint. Tests queue
 * the answers it gives (default 200) and read everything it received.
 */
export async function startReceiver() {
  const received: Received[] = [];
  const plans = new Map<string, Behaviour[]>();
  const fallbacks = new Map<string, Behaviour>();
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const record: Received = { at: Date.now(), path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(record);
      const behaviour = plans.get(path)?.shift() ?? fallbacks.get(path) ?? { status: 200, body: 'ok' };
      if (behaviour === 'hang') {
        hanging.add(res);
        return;
      }
      record.status = behaviour.status;
      res.writeHead(behaviour.status, behaviour.headers).end(behaviour.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    port,
    received,
    /** Requests to one path (each endpoint in a test gets its own path). */
    on: (path: string) => received.filter((r) => r.path === path),
    /** The next answers on `path`, in order; after them, its `always` answer (default 200). */
    respond: (path: string, ...behaviours: Behaviour[]) => void plans.set(path, [...(plans.get(path) ?? []), ...behaviours]),
    always: (path: string, behaviour: Behaviour) => void fallbacks.set(path, behaviour),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
