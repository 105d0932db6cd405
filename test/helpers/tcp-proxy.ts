import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  /** The loopback port clients connect to (stable across cut and restore). */
  readonly port: number;
  /** `redis://127.0.0.1:<port>` etc. */
  url(scheme: string): string;
  /** Connections accepted and piped to the target since the proxy started. */
  accepted(): number;
  /** Connections currently piped. */
  open(): number;
  /** Resets every piped connection and, until `restore()`, resets each new one the moment it arrives. */
  cut(): Promise<void>;
  restore(): void;
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy in front of a real server (Redis in the fault tests), so a test can cut the
 * network between Switchyard and it and then bring it back. The listening socket stays open while
 * cut (so nothing else can take its port); every connection is answered with a TCP reset, which
 * clients see exactly as a refused or dropped connection.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let isCut = false;
  let accepted = 0;
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();

  const server = net.createServer((client) => {
    if (isCut) {
      client.on('error', () => undefined);
      client.resetAndDestroy();
      return;
    }
    accepted++;
    const upstream = net.connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const dropAll = async () => {
    const closing = [...pairs].map(
      ({ client, upstream }) =>
        new Promise<void>((resolve) => {
          client.once('close', () => resolve());
          if (client.destroyed) resolve();
          client.resetAndDestroy();
          upstream.destroy();
        }),
    );
    await Promise.all(closing);
  };

  return {
    port,
    url: (scheme) => `${scheme}://127.0.0.1:${port}`,
    accepted: () => accepted,
    open: () => pairs.size,
    async cut() {
      isCut = true;
      await dropAll();
    },
    restore() {
      isCut = false;
    },
    async close() {
      isCut = true;
      await dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
