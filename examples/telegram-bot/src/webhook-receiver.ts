/**
 * Receives Switchyard's webhooks. The signature is checked over the raw bytes of the body (so the
 * body is never parsed before that), forged or stale requests get 400 and change nothing, and
 * each event is handled once however often it is delivered (Switchyard retries until a 2xx, and
 * redelivers on request with the same event id).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Invoice, WebhookEvent } from '@switchyard/client';
import type { Log } from './log.js';

export interface ReceiverDeps {
  /** The endpoint's `whsec_…` secret. */
  secret: string;
  /** The path Switchyard POSTs to; anything else is 404. */
  path: string;
  /** Checks the signature and parses the event (the client's `sy.webhooks.verify`); throws when it is not genuine. */
  verify(rawBody: Uint8Array, headers: http.IncomingHttpHeaders, secret: string): WebhookEvent;
  /** Fulfils a paid order; rejecting makes the answer a 500, so Switchyard delivers the event again later. */
  onInvoicePaid(invoice: Invoice): Promise<void>;
  log: Log;
  /**
   * Ids of the events already handled. In memory here, so a restart forgets them: a real bot
   * keeps them in its database, written in the same transaction as the order's fulfilment.
   */
  processed?: Set<string>;
}

const MAX_BODY = 1024 * 1024;

class TooLarge extends Error {}

async function readRawBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new TooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function answer(res: http.ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(json)), ...headers }).end(json);
}

export function webhookHandler(deps: ReceiverDeps): http.RequestListener {
  const processed = deps.processed ?? new Set<string>();
  /** Events being handled now: a second delivery of one waits for the first instead of handling it again. */
  const inFlight = new Map<string, Promise<void>>();

  async function handle(event: WebhookEvent): Promise<void> {
    if (event.type === 'invoice.paid') {
      await deps.onInvoicePaid(event.data);
      deps.log.info(`${event.id}: invoice ${event.data.id} paid, item delivered`);
    } else {
      deps.log.info(`${event.id}: ${event.type} (nothing to do)`);
    }
  }

  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://receiver').pathname;
    if (path !== deps.path) return answer(res, 404, { error: 'not found' });
    if (req.method !== 'POST') return answer(res, 405, { error: 'method not allowed' }, { allow: 'POST' });

    let raw: Buffer;
    try {
      raw = await readRawBody(req);
    } catch (err) {
      if (err instanceof TooLarge) return answer(res, 413, { error: 'body too large' });
      res.destroy();
      return;
    }

    let event: WebhookEvent;
    try {
      event = deps.verify(raw, req.headers, deps.secret);
    } catch (err) {
      deps.log.error(`refused a webhook that is not Switchyard's (webhook-id ${String(req.headers['webhook-id'])})`, err);
      return answer(res, 400, { error: 'invalid signature' });
    }

    if (processed.has(event.id)) return answer(res, 200, { received: true, duplicate: true });
    const running = inFlight.get(event.id);
    try {
      if (running) {
        await running;
        return answer(res, 200, { received: true, duplicate: true });
      }
      const work = handle(event);
      inFlight.set(event.id, work);
      try {
        await work;
        processed.add(event.id);
      } finally {
        inFlight.delete(event.id);
      }
      answer(res, 200, { received: true });
    } catch (err) {
      deps.log.error(`${event.id}: handling ${event.type} failed, Switchyard will deliver it again`, err);
      answer(res, 500, { error: 'handling failed' });
    }
  }

  return (req, res) => {
    serve(req, res).catch((err) => {
      deps.log.error('webhook receiver failed', err);
      if (!res.headersSent) answer(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  };
}

export interface WebhookReceiver {
  /** Where the receiver listens, with its path: the URL of the Switchyard webhook endpoint (behind your public address). */
  url: string;
  close(): Promise<void>;
}

export async function startWebhookReceiver(deps: ReceiverDeps & { host: string; port: number }): Promise<WebhookReceiver> {
  const server = http.createServer(webhookHandler(deps));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, deps.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = deps.host === '0.0.0.0' || deps.host === '::' ? 'localhost' : deps.host;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${deps.path}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
