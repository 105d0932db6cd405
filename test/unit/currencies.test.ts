import { describe, it, expect } from 'vitest';
import { CURRENCIES, findCurrency, isCrypto, isFiat } from '../../src/domain/currencies.js';

describe('currency table', () => {
  it('every entry: code matches key, decimals integer 0..18, valid kind, non-empty name', () => {
    expect(CURRENCIES.size).toBeGreaterThan(40);
    for (const [key, c] of CURRENCIES) {
      expect(c.code).toBe(key);
      // The OpenAPI CurrencyCode pattern: asset codes may carry digits (USD1).
      expect(key).toMatch(/^[A-Z][A-Z0-9]{1,9}$/);
      expect(Number.isInteger(c.decimals)).toBe(true);
      expect(c.decimals).toBeGreaterThanOrEqual(0);
      expect(c.decimals).toBeLessThanOrEqual(18);
      expect(['fiat', 'crypto', 'in_app']).toContain(c.kind);
      expect(c.name.length).toBeGreaterThan(0);
    }
  });

  it('all fiat codes are three letters', () => {
    for (const c of CURRENCIES.values()) {
      if (c.kind === 'fiat') expect(c.code).toMatch(/^[A-Z]{3}$/);
    }
  });

  const FIAT: Array<[string, number]> = [
    ['USD', 2], ['EUR', 2], ['GBP', 2], ['RUB', 2], ['UAH', 2], ['KZT', 2], ['BYN', 2], ['UZS', 2],
    ['GEL', 2], ['TRY', 2], ['AMD', 2], ['AZN', 2], ['KGS', 2], ['TJS', 2], ['AED', 2], ['ILS', 2],
    ['PLN', 2], ['CZK', 2], ['CHF', 2], ['CAD', 2], ['AUD', 2], ['CNY', 2], ['INR', 2], ['IDR', 2],
    ['THB', 2], ['VND', 0], ['BRL', 2], ['MXN', 2], ['ARS', 2], ['JPY', 0], ['KRW', 0], ['SGD', 2],
    ['HKD', 2], ['NGN', 2], ['ZAR', 2], ['SEK', 2], ['NOK', 2], ['DKK', 2], ['KWD', 3],
  ];

  const CRYPTO: Array<[string, number]> = [
    ['USDT', 6], ['USDC', 6], ['TON', 9], ['BTC', 8], ['ETH', 18], ['LTC', 8], ['BNB', 18], ['TRX', 6],
    ['SOL', 9], ['NOT', 9], ['DOGS', 9], ['DAI', 18], ['XMR', 12], ['DOGE', 8], ['MATIC', 18], ['POL', 18],
  ];

  it.each(FIAT)('fiat %s has %i decimals', (code, decimals) => {
    const c = findCurrency(code);
    expect(c).toBeDefined();
    expect(c?.kind).toBe('fiat');
    expect(c?.decimals).toBe(decimals);
    expect(isFiat(code)).toBe(true);
    expect(isCrypto(code)).toBe(false);
  });

  it.each(CRYPTO)('crypto %s has %i decimals', (code, decimals) => {
    const c = findCurrency(code);
    expect(c).toBeDefined();
    expect(c?.kind).toBe('crypto');
    expect(c?.decimals).toBe(decimals);
    expect(isCrypto(code)).toBe(true);
    expect(isFiat(code)).toBe(false);
  });
});

describe('findCurrency', () => {
  it('returns the entry for an exact upper-case code', () => {
    expect(findCurrency('USD')).toEqual({ code: 'USD', kind: 'fiat', decimals: 2, name: 'US Dollar' });
    expect(findCurrency('USD')).toBe(CURRENCIES.get('USD'));
  });

  it.each(['usd', 'Usd', 'usdt', 'btc', ' USD', 'USD ', '', 'XXX', 'FOO', 'constructor', '__proto__', 'toString'])(
    'not found: %j',
    (code) => {
      expect(findCurrency(code)).toBeUndefined();
      expect(isCrypto(code)).toBe(false);
      expect(isFiat(code)).toBe(false);
    },
  );

  it('Telegram Stars (XTR) is an in-app currency of whole stars: neither fiat nor crypto', () => {
    expect(findCurrency('XTR')).toEqual({ code: 'XTR', kind: 'in_app', decimals: 0, name: 'Telegram Stars' });
    expect(isCrypto('XTR')).toBe(false);
    expect(isFiat('XTR')).toBe(false);
  });

  it('entries are frozen', () => {
    const c = findCurrency('EUR');
    expect(c).toBeDefined();
    expect(Object.isFrozen(c)).toBe(true);
  });
});
