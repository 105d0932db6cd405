import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from '../../src/http/json-depth.js';
import { findUnstorableText } from '../../src/http/storable-text.js';
import { checkUrlInput } from '../../src/security/url-input.js';

describe('nestsDeeperThan', () => {
  it('counts object and array nesting, not brackets inside strings', () => {
    expect(nestsDeeperThan('[[[]]]', 3)).toBe(false);
    expect(nestsDeeperThan('[[[[]]]]', 3)).toBe(true);
    expect(nestsDeeperThan('{"a":{"b":[1]}}', 3)).toBe(false);
    expect(nestsDeeperThan(`{"a":"${'['.repeat(100)}"}`, 2)).toBe(false);
    expect(nestsDeeperThan(`{"a":"\\"${'{'.repeat(100)}"}`, 2)).toBe(false);
    expect(nestsDeeperThan(`["\\\\",${'['.repeat(5)}`, 3)).toBe(true);
  });

  it('reads a million levels without recursion', () => {
    expect(nestsDeeperThan('['.repeat(1_000_000), 64)).toBe(true);
  });
});

describe('findUnstorableText', () => {
  it('finds NUL and unpaired surrogates in values and keys, naming where', () => {
    expect(findUnstorableText({ a: ['ok', 'x\u0000'] }, '/body')).toEqual({ field: '/body/a/1', message: expect.stringContaining('NUL'), code: 'nul_character' });
    expect(findUnstorableText({ a: { b: 'x\ud800y' } }, '/body')).toMatchObject({ field: '/body/a/b', code: 'unpaired_surrogate' });
    expect(findUnstorableText({ a: 'x\udc00' }, '/body')).toMatchObject({ field: '/body/a', code: 'unpaired_surrogate' });
    expect(findUnstorableText({ '\udbffk': 1 }, '/body')).toMatchObject({ field: '/body/\ufffdk', code: 'unpaired_surrogate' });
  });

  it('lets well-formed text through: surrogate pairs, other control characters', () => {
    expect(findUnstorableText({ emoji: '😀', pair: '\ud83d\ude00', tab: 'a\tb', keys: { '😀': '\u0001' } }, '/body')).toBeUndefined();
  });

  it('walks any depth without recursion', () => {
    let deep: unknown = '\ud800';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findUnstorableText(deep, '/body')?.code).toBe('unpaired_surrogate');
  });
});

describe('checkUrlInput', () => {
  const web = { schemes: ['http:', 'https:'] };
  it('accepts what WHATWG URL parses with an allowed scheme', () => {
    expect('url' in checkUrlInput('https://shop.example/thanks', '/body/return_url', web)).toBe(true);
  });

  it.each([
    ['http://256.256.256.256/', 'must be an absolute http(s) URL'],
    ['/relative', 'must be an absolute http(s) URL'],
    ['ftp://files.example/', 'must be an http(s) URL'],
    ['javascript:alert(1)', 'must be an http(s) URL'],
  ])('%s → %s', (value, message) => {
    expect(checkUrlInput(value, '/body/return_url', web)).toEqual({ error: { field: '/body/return_url', message, code: 'invalid_url' } });
  });

  it('refuses credentials where the rule says so, and names the schemes allowed', () => {
    expect(checkUrlInput('https://u:p@api.example/', '/body/url', { ...web, credentials: 'refused' })).toMatchObject({ error: { message: 'must not carry credentials' } });
    expect(checkUrlInput('ftp://x.example/', '/body/support_url', { schemes: ['http:', 'https:', 'mailto:'] })).toMatchObject({ error: { message: 'must be an http(s) or mailto: URL' } });
    expect(checkUrlInput('mailto:', '/body/support_url', { schemes: ['http:', 'https:', 'mailto:'] })).toMatchObject({ error: { message: 'must name an address' } });
    expect(checkUrlInput('http://x.example/', '/body/url', { schemes: ['https:'] })).toMatchObject({ error: { message: 'must be an https URL' } });
  });
});
