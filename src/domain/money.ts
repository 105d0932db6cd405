/**
 * Money amounts are decimal strings end to end. They are never converted to
 * JS numbers; all arithmetic and comparison goes through decimal.js.
 * Pure, no I/O.
 */
import { Decimal } from 'decimal.js';
import type { Currency } from './currencies.js';

/** Exclusive upper bound for any amount: 10^15. */
export const MAX_AMOUNT = '1000000000000000';

export type AmountCheck = { ok: true; value: string } | { ok: false; reason: string };

/**
 * Private Decimal constructor with enough precision that arithmetic on amounts
 * (up to 16 integer digits and 18 fraction digits, plus headroom for values read
 * back from storage) is exact. Default decimal.js precision is only 20 digits.
 */
const D = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_HALF_EVEN });

const MAX = new D(MAX_AMOUNT);

/** Canonical input format: no sign, exponent, spaces, leading zeros or trailing dot. */
const AMOUNT_RE = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/** Format accepted by the arithmetic helpers: optionally negative plain decimal. */
const DECIMAL_RE = /^-?[0-9]+(\.[0-9]+)?$/;

/**
 * Validates a client-supplied amount for a currency. On success the value is
 * returned exactly as given (e.g. "1.50" stays "1.50").
 */
export function checkAmount(value: string, currency: Currency): AmountCheck {
  if (typeof value !== 'string') {
    return { ok: false, reason: 'amount must be a string' };
  }
  const m = AMOUNT_RE.exec(value);
  if (m === null) {
    return {
      ok: false,
      reason:
        'amount must be a plain decimal number such as "10" or "10.50" (no sign, exponent, spaces or leading zeros)',
    };
  }
  const intPart = m[1] ?? '';
  const fraction = m[2] === undefined ? '' : m[2].slice(1);

  // Trailing zeros count: "1.500" has three fraction digits as written.
  if (fraction.length > currency.decimals) {
    return {
      ok: false,
      reason:
        currency.decimals === 0
          ? `${currency.code} allows no decimal places`
          : `${currency.code} allows at most ${currency.decimals} decimal places`,
    };
  }
  // Cheap bound before constructing a Decimal: anything with more integer digits
  // than MAX_AMOUNT is necessarily too large.
  if (intPart.length > MAX_AMOUNT.length) {
    return { ok: false, reason: `amount must be less than ${MAX_AMOUNT}` };
  }
  const d = new D(value);
  if (d.lte(0)) {
    return { ok: false, reason: 'amount must be greater than zero' };
  }
  if (d.gte(MAX)) {
    return { ok: false, reason: `amount must be less than ${MAX_AMOUNT}` };
  }
  return { ok: true, value };
}

function parse(v: string, arg: string): Decimal {
  if (typeof v !== 'string' || !DECIMAL_RE.test(v)) {
    throw new TypeError(`${arg} is not a decimal amount string: ${JSON.stringify(v)}`);
  }
  return new D(v);
}

/** Decimal comparison: -1 if a < b, 0 if equal ("10.50" == "10.5"), 1 if a > b. */
export function compareAmounts(a: string, b: string): -1 | 0 | 1 {
  const c = parse(a, 'a').comparedTo(parse(b, 'b'));
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

export function amountsEqual(a: string, b: string): boolean {
  return compareAmounts(a, b) === 0;
}

/** Exact a - b as a plain decimal string (no exponent, no trailing zeros, never "-0"). */
export function subtractAmounts(a: string, b: string): string {
  const r = parse(a, 'a').minus(parse(b, 'b'));
  return r.isZero() ? '0' : r.toFixed();
}

/** Exact a + b as a plain decimal string (no exponent, no trailing zeros). */
export function addAmounts(a: string, b: string): string {
  const r = parse(a, 'a').plus(parse(b, 'b'));
  return r.isZero() ? '0' : r.toFixed();
}
