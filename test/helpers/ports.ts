import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReservedPort {
  /** 'http://127.0.0.1:<port>' */
  url: string;
  /** Starts answering with `handler` (until then every request gets 503). */
  serve(handler: http.RequestListener): void;
  close(): Promise<void>;
}

/**
 * A loopback server whose handler is given later: its URL is known before what it serves is
 * built, so Switchyard's PUBLIC_BASE_URL (or a shop's own address) can name it.
 */
export async function reservePort(): Promise<ReservedPort> {
  let handler: http.RequestListener | undefined;
  const server = http.createServer((req, res) => (handler ? handler(req, res) : res.writeHead(503).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    serve: (h) => void (handler = h),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
