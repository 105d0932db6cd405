/** Money arithmetic and the id alphabets BTCPay uses. */
import { randomInt } from 'node:crypto';
import { Decimal } from 'decimal.js';

/** Money needs more than decimal.js's default 20 significant digits (amounts go up to ulong.MaxValue). */
export const D = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -100, toExpPos: 100 });
export type Dec = Decimal;

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
export const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
export const MAX_AMOUNT = new D('18446744073709551615'); // ulong.MaxValue (assumption: GreenfieldConstants.MaxAmount)
export const SPEED_POLICIES = ['HighSpeed', 'MediumSpeed', 'LowMediumSpeed', 'LowSpeed'];
const CURRENCY_DIGITS: Record<string, number> = { BTC: 8, SATS: 0, JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0 }; // assumption

export function randomChars(alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)]!;
  return s;
}
export const base58Id = (n = 22) => randomChars(BASE58, n);

export const digitsFor = (currency: string): number => CURRENCY_DIGITS[currency] ?? 2;
/** BTC amounts as BTCPay writes them: 8 decimals. */
export const btc = (d: Dec): string => d.toFixed(8);
