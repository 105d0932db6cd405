import { describe, it, expect } from 'vitest';
import { findCurrency, type Currency } from '../../src/domain/currencies.js';
import {
  MAX_AMOUNT,
  amountsEqual,
  checkAmount,
  compareAmounts,
  subtractAmounts,
  addAmounts,
} from '../../src/domain/money.js';

function cur(code: string): Currency {
  const c = findCurrency(code);
  if (!c) throw new Error(`test setup: unknown currency ${code}`);
  return c;
}

describe('MAX_AMOUNT', () => {
  it('is 10^15', () => {
    expect(MAX_AMOUNT).toBe('1' + '0'.repeat(15));
  });
});

describe('checkAmount', () => {
  const GOOD: Array<[string, string]> = [
    ['1', 'USD'],
    ['0.01', 'USD'],
    ['10', 'USD'],
    ['10.5', 'USD'],
    ['1.50', 'USD'], // trailing zero within the limit is fine
    ['100', 'JPY'],
    ['1', 'KRW'],
    ['12345', 'VND'],
    ['0.001', 'KWD'],
    ['0.000000001', 'TON'],
    ['0.00000001', 'BTC'],
    ['0.000001', 'USDT'],
    ['0.000000000000000001', 'ETH'],
    ['123456789.123456789012345678', 'ETH'],
    ['999999999999999', 'USD'],
    ['999999999999999.99', 'USD'],
    ['999999999999999.999999999999999999', 'ETH'],
    ['900719925474099.3', 'USD'],
  ];

  it.each(GOOD)('accepts %j for %s and returns it unchanged', (value, code) => {
    expect(checkAmount(value, cur(code))).toEqual({ ok: true, value });
  });

  const BAD: Array<[string, string, RegExp]> = [
    ['0', 'USD', /greater than zero/],
    ['0.00', 'USD', /greater than zero/],
    ['0.000000000000000000', 'ETH', /greater than zero/],
    ['-1', 'USD', /plain decimal/],
    ['+1', 'USD', /plain decimal/],
    ['-0', 'USD', /plain decimal/],
    ['1e3', 'USD', /plain decimal/],
    ['1E3', 'USD', /plain decimal/],
    [' 1', 'USD', /plain decimal/],
    ['1 ', 'USD', /plain decimal/],
    ['1\n', 'USD', /plain decimal/],
    ['01', 'USD', /plain decimal/],
    ['00.5', 'USD', /plain decimal/],
    ['1.', 'USD', /plain decimal/],
    ['.5', 'USD', /plain decimal/],
    ['', 'USD', /plain decimal/],
    ['1,5', 'USD', /plain decimal/],
    ['1_000', 'USD', /plain decimal/],
    ['1.2.3', 'USD', /plain decimal/],
    ['0x10', 'USD', /plain decimal/],
    ['Infinity', 'USD', /plain decimal/],
    ['NaN', 'USD', /plain decimal/],
    ['\u0661', 'USD', /plain decimal/], // Arabic-Indic digit one
    ['1.234', 'USD', /^USD allows at most 2 decimal places$/],
    ['1.500', 'USD', /^USD allows at most 2 decimal places$/], // trailing zeros count as written
    ['100.0', 'JPY', /^JPY allows no decimal places$/],
    ['1.5', 'KRW', /^KRW allows no decimal places$/],
    ['0.0000000001', 'TON', /^TON allows at most 9 decimal places$/],
    ['0.0000000000000000001', 'ETH', /^ETH allows at most 18 decimal places$/],
    ['1.0000001', 'USDT', /^USDT allows at most 6 decimal places$/],
    [MAX_AMOUNT, 'USD', /less than 1000000000000000/],
    ['1000000000000000.00', 'USD', /less than/],
    ['1000000000000001', 'USD', /less than/],
    ['99999999999999999', 'USD', /less than/],
    ['1' + '0'.repeat(10_000), 'USD', /less than/],
  ];

  it.each(BAD)('rejects %j for %s', (value, code, reason) => {
    const r = checkAmount(value, cur(code));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('rejects a very long fraction quickly', () => {
    const r = checkAmount('1.' + '0'.repeat(100_000), cur('ETH'));
    expect(r).toEqual({ ok: false, reason: 'ETH allows at most 18 decimal places' });
  });
});

describe('compareAmounts / amountsEqual', () => {
  const CASES: Array<[string, string, -1 | 0 | 1]> = [
    ['1', '2', -1],
    ['2', '1', 1],
    ['1', '1', 0],
    ['10.50', '10.5', 0],
    ['10.5', '10.50', 0],
    ['10', '10.000000', 0],
    ['0', '0.00', 0],
    ['0', '-0', 0],
    ['-1', '1', -1],
    ['-0.5', '-0.25', -1],
    ['0.3', '0.30000000000000004', -1],
    ['9007199254740993.5', '9007199254740993', 1], // beyond float precision
    ['9007199254740993', '9007199254740992', 1], // equal as JS numbers
    ['9007199254740993.5', '9007199254740993.50', 0],
    ['999999999999999.999999999999999999', '999999999999999.999999999999999998', 1],
    ['0.000000000000000001', '0.000000000000000002', -1],
    ['0.1000000000000000000000000000001', '0.1', 1],
    ['123456789012345678901234567890.1', '123456789012345678901234567890.2', -1],
  ];

  it.each(CASES)('compare(%s, %s) = %i', (a, b, expected) => {
    expect(compareAmounts(a, b)).toBe(expected);
    expect(compareAmounts(b, a)).toBe((-expected || 0) as -1 | 0 | 1);
    expect(amountsEqual(a, b)).toBe(expected === 0);
  });

  it('rejects non-decimal input', () => {
    for (const bad of ['', 'abc', '1e3', 'NaN', 'Infinity', ' 1', '0x10']) {
      expect(() => compareAmounts(bad, '1')).toThrow(TypeError);
      expect(() => compareAmounts('1', bad)).toThrow(TypeError);
    }
  });
});

describe('subtractAmounts', () => {
  const CASES: Array<[string, string, string]> = [
    ['10', '3', '7'],
    ['10.50', '10.5', '0'],
    ['10.50', '0.5', '10'],
    ['1', '1', '0'],
    ['3', '10', '-7'],
    ['0.3', '0.1', '0.2'], // 0.3 - 0.1 = 0.19999999999999998 in floats
    ['0.3', '0.2', '0.1'],
    ['0.30', '0.1', '0.2'],
    ['1', '0.000000000000000001', '0.999999999999999999'],
    ['9007199254740993.5', '0.5', '9007199254740993'],
    ['9007199254740993', '1', '9007199254740992'],
    ['999999999999999.999999999999999999', '0.000000000000000001', '999999999999999.999999999999999998'],
    ['999999999999999.999999999999999999', '999999999999999.999999999999999998', '0.000000000000000001'],
    ['100000000000000000000', '0.00000001', '99999999999999999999.99999999'],
    ['0.1', '0.3', '-0.2'],
    ['-1', '-1', '0'],
    ['0', '-0', '0'],
  ];

  it.each(CASES)('%s - %s = %s', (a, b, expected) => {
    const r = subtractAmounts(a, b);
    expect(r).toBe(expected);
    expect(r).not.toMatch(/e/i);
  });

  it('0.1 + 0.2 style: (0.1 + 0.2) - 0.3 is exactly 0 when done as 0.3 - 0.2 - 0.1', () => {
    expect(subtractAmounts(subtractAmounts('0.3', '0.2'), '0.1')).toBe('0');
  });

  it('result is never in exponent notation for tiny or huge values', () => {
    expect(subtractAmounts('0.0000000000000000001', '0')).toBe('0.0000000000000000001');
    expect(subtractAmounts('1' + '0'.repeat(40), '0')).toBe('1' + '0'.repeat(40));
  });

  it('rejects non-decimal input', () => {
    expect(() => subtractAmounts('1e3', '1')).toThrow(TypeError);
    expect(() => subtractAmounts('1', 'abc')).toThrow(TypeError);
  });
});

describe('addAmounts', () => {
  it.each([
    ['0.1', '0.2', '0.3'], // 0.30000000000000004 in floats
    ['10.50', '0.50', '11'],
    ['12345678901234567.123456789', '0.000000001', '12345678901234567.12345679'],
    ['0.000000001', '0.000000001', '0.000000002'],
    ['1', '-1', '0'],
  ] as const)('%s + %s = %s', (a, b, expected) => {
    expect(addAmounts(a, b)).toBe(expected);
  });
  it('rejects non-decimal input', () => {
    expect(() => addAmounts('1e3', '1')).toThrow(TypeError);
  });
});
