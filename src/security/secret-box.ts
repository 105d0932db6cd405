import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * AES-256-GCM under the master key, for gateway credentials and webhook secrets at rest.
 * Envelope: `v1.<iv b64url>.<tag b64url>.<ciphertext b64url>`; `context` (e.g. the row id) is bound
 * as associated data so a ciphertext cannot be moved to another row.
 */
export interface SecretBox {
  seal(plaintext: string, context: string): string;
  open(envelope: string, context: string): string;
}

export function createSecretBox(masterKey: Buffer): SecretBox {
  if (masterKey.length !== 32) throw new Error('master key must be 32 bytes');
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(envelope, context) {
      const [version, iv, tag, body] = envelope.split('.');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('unrecognised secret envelope');
      const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
