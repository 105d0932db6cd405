import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/** Object prefixes from the public contract (openapi/openapi.yaml). */
/** `uwh` (a stored upstream webhook) is operator-facing only; `upi` (one upstream invoice of an invoice) is internal. */
export type IdPrefix = 'ten' | 'key' | 'ga' | 'inv' | 'evt' | 'we' | 'del' | 'uwh' | 'upi';

const pool = Buffer.alloc(4096);
let next = pool.length;

/**
 * ulid asks for one random number per character; taking each from the OS separately was ~5 % of
 * the API's CPU. Bytes come from the OS in blocks instead. A byte / 256 is uniform over ulid's 32
 * symbols (256 is a multiple of 32), so nothing is lost in the randomness.
 */
export function pooledRandom(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++]! / 256;
}

const nextUlid = monotonicFactory(pooledRandom);

/** Opaque, prefixed, time-sortable ids: `inv_01J…` (a ULID, 26 chars). */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${nextUlid()}`;
}
