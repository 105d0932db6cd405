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
  /**
   * PostgreSQL only: the next statement whose bytes contain `marker` (its text, or its prepared
   * statement's name) reaches the server and runs to the end (its ReadyForQuery, sent after the
   * commit), but its answer is withheld and the connection reset: the client sees a lost
   * connection for a statement that committed. Resolves once that has happened.
   */
  loseAnswerTo(marker: string): Promise<void>;
  close(): Promise<void>;
}

/** PostgreSQL's ReadyForQuery message ('Z', length 5), minus the status byte: the server is done with the statement. */
const READY_FOR_QUERY = Buffer.from([0x5a, 0, 0, 0, 5]);

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
  let armed: { marker: Buffer; done: () => void } | undefined;

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
    // Piped by hand (not .pipe) so that loseAnswerTo can see the statement and withhold its answer.
    let losing: { done: () => void; tail: Buffer } | undefined;
    client.on('data', (chunk: Buffer) => {
      if (armed && chunk.includes(armed.marker)) {
        losing = { done: armed.done, tail: Buffer.alloc(0) };
        armed = undefined;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!losing) return void client.write(chunk);
      const seen = Buffer.concat([losing.tail, chunk]);
      losing.tail = seen.subarray(-READY_FOR_QUERY.length);
      if (!seen.includes(READY_FOR_QUERY)) return;
      client.resetAndDestroy();
      upstream.destroy();
      losing.done();
    });
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
    loseAnswerTo: (marker) => new Promise<void>((done) => (armed = { marker: Buffer.from(marker), done })),
    async close() {
      isCut = true;
      await dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
