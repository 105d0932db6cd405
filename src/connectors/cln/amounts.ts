import { Decimal } from 'decimal.js';

/** Exact for any amount we accept (below 10^15 with up to 18 decimals). */
const D = Decimal.clone({ precision: 60 });

const MSAT_PER_BTC = new D('1e11');

/**
 * A BTC amount (decimal string, at most 8 decimals as our currency table allows) in
 * millisatoshis, exactly; undefined when it is not a whole number of msat.
 */
export function btcToMsat(amount: string): bigint | undefined {
  const msat = new D(amount).mul(MSAT_PER_BTC);
  return msat.isInteger() && msat.gte(0) ? BigInt(msat.toFixed(0)) : undefined;
}

/** Millisatoshis as a BTC decimal string (up to 11 decimals, no trailing zeros), exactly. */
export function msatToBtc(msat: bigint): string {
  return new D(msat.toString()).div(MSAT_PER_BTC).toFixed();
}
