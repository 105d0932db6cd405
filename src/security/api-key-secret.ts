import { createHash, randomBytes } from 'node:crypto';

export type KeyMode = 'live' | 'test';

const KEY_PATTERN = /^sy_(live|test)_[A-Za-z0-9_-]{43,}$/;
/** How much of the key stays visible (e.g. in listings) so people can tell keys apart. */
const VISIBLE_PREFIX_CHARS = 4;

export interface NewApiKeySecret {
  secret: string;
  prefix: string;
  hash: string;
}

/** `sy_test_` + base64url of 32 random bytes; only its SHA-256 is ever stored. */
export function generateApiKeySecret(mode: KeyMode): NewApiKeySecret {
  const secret = `sy_${mode}_${randomBytes(32).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, `sy_${mode}_`.length + VISIBLE_PREFIX_CHARS), hash: hashApiKey(secret) };
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The mode a well-formed key claims, or undefined for anything that is not one of our keys. */
export function parseApiKeyMode(secret: string): KeyMode | undefined {
  const m = KEY_PATTERN.exec(secret);
  return m ? (m[1] as KeyMode) : undefined;
}
