import { monotonicFactory } from 'ulid';

/** Object prefixes from the public contract (openapi/openapi.yaml). */
/** `uwh` (a stored upstream webhook) is operator-facing only; `upi` (one upstream invoice of an invoice) is internal. */
export type IdPrefix = 'ten' | 'key' | 'ga' | 'inv' | 'evt' | 'we' | 'del' | 'uwh' | 'upi';

const nextUlid = monotonicFactory();

/** Opaque, prefixed, time-sortable ids: `inv_01J…` (a ULID, 26 chars). */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${nextUlid()}`;
}
