import { createHmac, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/** `whsec_` + base64 of 32 random bytes, as Standard Webhooks libraries expect. */
export function generateEndpointSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** The HMAC key is the base64-decoded part after `whsec_`. */
function secretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('endpoint secret must start with whsec_');
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Standard Webhooks signing: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one value per
 * active secret (several, space-separated, while a rotated secret is still in its grace period).
 */
export function signWebhook(opts: { id: string; timestamp: number; body: string; secrets: string[] }): SignedHeaders {
  const signed = `${opts.id}.${opts.timestamp}.${opts.body}`;
  const signatures = opts.secrets.map((s) => `v1,${createHmac('sha256', secretKey(s)).update(signed).digest('base64')}`);
  return {
    'webhook-id': opts.id,
    'webhook-timestamp': String(opts.timestamp),
    'webhook-signature': signatures.join(' '),
  };
}
