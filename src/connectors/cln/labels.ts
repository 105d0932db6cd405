import { randomBytes } from 'node:crypto';

/**
 * The label of a new upstream invoice. CLN wants labels unique per node, and one of our invoices
 * may get several upstream invoices (a buyer picks Lightning, switches away, picks it again), so
 * the label is our invoice id plus 64 random bits: never reused, and still naming our invoice for
 * whoever reads the node's invoice list.
 */
export function newLabel(invoiceId: string): string {
  return `switchyard:${invoiceId}:${randomBytes(8).toString('hex')}`;
}
