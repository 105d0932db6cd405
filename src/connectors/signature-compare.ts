import { timingSafeEqual } from 'node:crypto';

/** Compares a received signature with the expected one without leaking where they differ. */
export function timingSafeEqualStrings(received: string, expected: string): boolean {
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
