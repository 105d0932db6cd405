import { Webhook, WebhookVerificationError as LibraryVerificationError } from 'standardwebhooks';
import { WebhookVerificationError } from './errors.js';
import type { WebhookEvent } from './types.js';

/** Request headers as Node (`req.headers`), the Fetch API (`request.headers`) or a plain object give them. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  /**
   * How far (seconds) `webhook-timestamp` may be from this machine's clock. The Standard Webhooks
   * library allows 300 (5 minutes); a smaller value narrows the window further.
   */
  toleranceSeconds?: number;
}

const LIBRARY_TOLERANCE_SECONDS = 300;
const SIGNED_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

/**
 * Checks a webhook Switchyard sent (Standard Webhooks signature over the raw body, with the
 * endpoint's `whsec_…` secret) and answers its event, typed by `type`. Throws
 * WebhookVerificationError when a header is missing, the signature does not match (forged, or a
 * body changed on the way), the timestamp is more than 5 minutes off, or the body is not an event.
 *
 * `rawBody` must be the bytes exactly as received: with express, `express.raw({ type: 'application/json' })`,
 * not `express.json()` (a body parsed and serialized again no longer matches its signature).
 */
export function verifyWebhook(rawBody: string | Uint8Array, headers: WebhookHeaders, secret: string, opts: VerifyOptions = {}): WebhookEvent {
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
    throw new TypeError('rawBody must be the raw request body (a string or bytes), not a parsed object: read it with express.raw() or request.text()');
  }
  const payload = typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody);
  const signed = signedHeaders(headers);
  const tolerance = opts.toleranceSeconds;
  if (tolerance !== undefined) {
    if (!(tolerance >= 0 && tolerance <= LIBRARY_TOLERANCE_SECONDS)) throw new RangeError(`toleranceSeconds must be between 0 and ${LIBRARY_TOLERANCE_SECONDS}`);
    const timestamp = Number(signed['webhook-timestamp']);
    if (Number.isFinite(timestamp) && Math.abs(Date.now() / 1000 - timestamp) > tolerance) {
      throw new WebhookVerificationError(`Message timestamp is more than ${tolerance} s away from now`);
    }
  }

  let body: unknown;
  try {
    body = new Webhook(secret).verify(payload, signed);
  } catch (err) {
    if (err instanceof LibraryVerificationError) throw new WebhookVerificationError(err.message, { cause: err });
    if (err instanceof SyntaxError) throw new WebhookVerificationError('The signed body is not JSON', { cause: err });
    throw err; // a malformed secret: a mistake of the caller's, not of the request
  }
  if (!isEvent(body)) throw new WebhookVerificationError('The signed body is not a Switchyard event');
  if (body.id !== signed['webhook-id']) throw new WebhookVerificationError('The body is not the event named by webhook-id');
  return body;
}

/** The three signed headers as one string each (a repeated header's values joined as Standard Webhooks lists them). */
function signedHeaders(headers: WebhookHeaders): Record<string, string> {
  const get = (name: string): string | undefined => {
    if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
    const record = headers as Record<string, string | string[] | undefined>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === name);
    const value = key === undefined ? undefined : record[key];
    return Array.isArray(value) ? value.join(' ') : value;
  };
  const out: Record<string, string> = {};
  for (const name of SIGNED_HEADERS) {
    const value = get(name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function isEvent(body: unknown): body is WebhookEvent {
  if (!body || typeof body !== 'object') return false;
  const b = body as Record<string, unknown>;
  return typeof b.id === 'string' && typeof b.type === 'string' && typeof b.timestamp === 'string' && !!b.data && typeof b.data === 'object';
}

/** `sy.webhooks`: verification, bound to nothing but the secret you pass. */
export class Webhooks {
  verify(rawBody: string | Uint8Array, headers: WebhookHeaders, secret: string, opts?: VerifyOptions): WebhookEvent {
    return verifyWebhook(rawBody, headers, secret, opts);
  }
}
