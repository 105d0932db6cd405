import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../../src/security/secret-box.js';
import { generateApiKeySecret, hashApiKey, parseApiKeyMode } from '../../src/security/api-key-secret.js';

describe('secret box (AES-256-GCM at rest)', () => {
  const box = createSecretBox(randomBytes(32));

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('{"token":"12345:AAA"}', 'ga_1');
    expect(sealed).not.toContain('12345');
    expect(box.open(sealed, 'ga_1')).toBe('{"token":"12345:AAA"}');
  });

  it('uses a fresh IV each time', () => {
    expect(box.seal('same', 'ctx')).not.toBe(box.seal('same', 'ctx'));
  });

  it('refuses a ciphertext moved to another row, tampered with, or opened with another key', () => {
    const sealed = box.seal('secret', 'ga_1');
    expect(() => box.open(sealed, 'ga_2')).toThrow();
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    expect(() => box.open([parts[0], parts[1], parts[2], body.toString('base64url')].join('.'), 'ga_1')).toThrow();
    expect(() => createSecretBox(randomBytes(32)).open(sealed, 'ga_1')).toThrow();
    expect(() => box.open('garbage', 'ga_1')).toThrow();
  });

  it('insists on a 32-byte master key', () => {
    expect(() => createSecretBox(randomBytes(16))).toThrow();
  });
});

describe('API key secrets', () => {
  it('carry 32 random bytes after the mode prefix and a short visible prefix', () => {
    const key = generateApiKeySecret('test');
    expect(key.secret).toMatch(/^sy_test_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.secret.slice('sy_test_'.length), 'base64url')).toHaveLength(32);
    expect(key.secret.startsWith(key.prefix)).toBe(true);
    expect(key.prefix.length).toBeLessThan(16);
    expect(key.hash).toBe(hashApiKey(key.secret));
    expect(key.hash).not.toContain(key.secret.slice(8));
  });

  it('parse only our own format', () => {
    expect(parseApiKeyMode(generateApiKeySecret('live').secret)).toBe('live');
    expect(parseApiKeyMode('sy_prod_' + 'a'.repeat(43))).toBeUndefined();
    expect(parseApiKeyMode('sy_test_short')).toBeUndefined();
    expect(parseApiKeyMode('Bearer sy_test_' + 'a'.repeat(43))).toBeUndefined();
  });
});
