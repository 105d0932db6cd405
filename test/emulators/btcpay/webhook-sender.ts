/**
 * Webhook deliveries: `BTCPay-Sig: sha256=<hex HMAC-SHA256(secret, exact bytes)>` over the bytes put
 * on the wire, every delivery recorded, and redelivery like WebhookSender.CreateRedeliveryRequest
 * (new deliveryId, isRedelivery true, originalDeliveryId and timestamp kept).
 */
import { createHmac } from 'node:crypto';
import { request } from 'undici';
import { tamperBytes } from '../emulator-kit.js';
import { base58Id } from './formats.js';
import { find, type Store } from './store.js';
import type { BtcPayDelivery, BtcPayEventType } from './types.js';
import { toBytes, type EventBuilder, type WebhookEvent } from './webhook-events.js';

/** 'sha256=' + lowercase hex HMAC-SHA256(UTF-8 secret, body). */
export function btcPaySignature(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('hex')}`;
}

interface StoredDelivery {
  /** The signed (untampered) bytes, what BTCPay keeps as the delivery's request. */
  body: Buffer;
  url: string;
  originalDeliveryId: string;
}

/** The store webhook: signs with `webhookSecret`, delivers to `webhookUrl()` (read at each delivery: tests change it). */
export function createWebhookSender(deps: {
  store: Store;
  webhookSecret: string;
  webhookId: string;
  webhookUrl: () => string | null;
  buildEvent: EventBuilder;
}) {
  const { store, webhookSecret, webhookId, webhookUrl, buildEvent } = deps;
  const deliveries: BtcPayDelivery[] = [];
  const stored = new Map<string, StoredDelivery>();

  async function post(
    url: string,
    signed: Buffer,
    ids: { deliveryId: string; originalDeliveryId: string },
    o: { forge?: boolean; tamper?: boolean; unsigned?: boolean } = {},
  ): Promise<BtcPayDelivery> {
    const secret = o.forge ? base58Id(27) : webhookSecret;
    const wire = o.tamper ? tamperBytes(signed) : signed;
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (!o.unsigned) headers['BTCPay-Sig'] = btcPaySignature(secret, signed);
    stored.set(ids.deliveryId, { body: signed, url, originalDeliveryId: ids.originalDeliveryId });
    let status = 0;
    let responseBody = '';
    try {
      const res = await request(url, { method: 'POST', headers, body: wire });
      status = res.statusCode;
      responseBody = await res.body.text();
    } catch (err) {
      responseBody = (err as Error).message; // BTCPay records the delivery as Failed
    }
    const delivery: BtcPayDelivery = { ...ids, body: wire, status, responseBody };
    deliveries.push(delivery);
    return delivery;
  }

  function deliverEvent(url: string, evt: WebhookEvent): Promise<BtcPayDelivery> {
    return post(url, toBytes(evt), { deliveryId: evt.deliveryId as string, originalDeliveryId: evt.originalDeliveryId as string });
  }

  /** Delivers the events of one state change in order, each awaited. */
  async function deliverAll(events: WebhookEvent[]): Promise<BtcPayDelivery[]> {
    const out: BtcPayDelivery[] = [];
    for (const evt of events) {
      const url = webhookUrl();
      if (!url) break;
      out.push(await deliverEvent(url, evt));
    }
    return out;
  }

  function webhookBody(invoiceId: string, type: BtcPayEventType): { deliveryId: string; body: Buffer } {
    const evt = buildEvent(find(store, invoiceId).inv, type);
    return { deliveryId: evt.deliveryId as string, body: toBytes(evt) };
  }

  async function sendWebhook(
    invoiceId: string,
    type: BtcPayEventType,
    o: { url?: string; forge?: boolean; tamper?: boolean; unsigned?: boolean; body?: Buffer } = {},
  ): Promise<BtcPayDelivery> {
    const url = o.url ?? webhookUrl();
    if (!url) throw new Error('no webhook URL: pass opts.url or set webhookUrl');
    const made = webhookBody(invoiceId, type);
    let ids = { deliveryId: made.deliveryId, originalDeliveryId: made.deliveryId };
    if (o.body) {
      try {
        const parsed = JSON.parse(o.body.toString('utf8')) as Record<string, unknown>;
        if (typeof parsed.deliveryId === 'string') {
          ids = { deliveryId: parsed.deliveryId, originalDeliveryId: typeof parsed.originalDeliveryId === 'string' ? parsed.originalDeliveryId : parsed.deliveryId };
        }
      } catch {
        // not JSON: keep the generated ids
      }
    }
    return post(url, o.body ?? made.body, ids, o);
  }

  async function redeliver(deliveryId: string, o: { url?: string } = {}): Promise<BtcPayDelivery> {
    const past = stored.get(deliveryId);
    if (!past) throw new Error(`no BTCPay webhook delivery ${deliveryId}`);
    const url = o.url ?? webhookUrl() ?? past.url;
    const newId = base58Id();
    let old: unknown;
    try {
      old = JSON.parse(past.body.toString('utf8'));
    } catch {
      old = undefined;
    }
    if (typeof old !== 'object' || old === null || Array.isArray(old)) {
      return post(url, past.body, { deliveryId: newId, originalDeliveryId: past.originalDeliveryId });
    }
    // ReadRequestAs<WebhookEvent>: declared properties first, everything else ([JsonExtensionData]) after, in order.
    const { deliveryId: _d, webhookId: _w, originalDeliveryId, isRedelivery: _r, type, timestamp, ...rest } = old as Record<string, unknown>;
    const original = typeof originalDeliveryId === 'string' ? originalDeliveryId : deliveryId;
    const evt = { deliveryId: newId, webhookId, originalDeliveryId: original, isRedelivery: true, type, timestamp, ...rest };
    return post(url, toBytes(evt), { deliveryId: newId, originalDeliveryId: original });
  }

  return { deliveries, deliverEvent, deliverAll, webhookBody, sendWebhook, redeliver };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;
