import { z } from 'zod';
import type { CreateInvoiceInput, PaymentDetails, UpstreamInvoice } from '../types.js';
import type { InvoiceStatus } from '../../domain/invoice-status.js';
import { optional, type FailureKind, type Unwrapped, type UpstreamResponse } from '../kit/index.js';
import { msatToBtc } from './amounts.js';

/**
 * An msat amount: a JSON integer (v23.08 and later); older nodes wrote `"1000msat"`, taken too.
 * A number beyond 2^53 has already lost digits in JSON.parse, so it is refused rather than guessed.
 */
const msat = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+(msat)?$/)]).transform((v, ctx) => {
  if (typeof v === 'number' && !Number.isSafeInteger(v)) {
    ctx.addIssue({ code: 'custom', message: `is beyond what JSON numbers carry exactly: ${v}` });
    return z.NEVER;
  }
  return BigInt(typeof v === 'number' ? v : v.replace(/msat$/, ''));
});

/** What `invoice` answers; extra keys (`warning_capacity`, `warning_offline`, …) are kept. */
export const createdSchema = z.looseObject({
  bolt11: z.string().min(1),
  payment_hash: z.string(),
  payment_secret: optional(z.string()),
  expires_at: z.number().int(),
  created_index: optional(z.number().int()),
});
export type ClnCreated = z.output<typeof createdSchema>;

/** One entry of `listinvoices`, as `waitanyinvoice` answers too: only what we read. */
export const invoiceEntrySchema = z
  .object({
    label: z.string(),
    bolt11: optional(z.string()),
    payment_hash: z.string(),
    amount_msat: optional(msat),
    status: z.string(),
    pay_index: optional(z.number().int()),
    amount_received_msat: optional(msat),
    paid_at: optional(z.number().int()),
    payment_preimage: optional(z.string()),
    description: optional(z.string()),
    expires_at: z.number().int(),
    created_index: optional(z.number().int()),
    updated_index: optional(z.number().int()),
  })
  .refine((e) => e.status !== 'paid' || (e.pay_index !== undefined && (e.amount_received_msat ?? e.amount_msat) !== undefined), {
    message: 'a paid invoice carries pay_index and amount_received_msat',
  });
export type ClnInvoiceEntry = z.output<typeof invoiceEntrySchema>;

export const listSchema = z.object({ invoices: z.array(invoiceEntrySchema) });

export const getinfoSchema = z.looseObject({ id: z.string(), alias: optional(z.string()) });

/** clnrest's error body: the RPC error as JSON-RPC has it; `code` is null for the plugin's own failures. */
const errorSchema = z.object({ code: z.number().int().nullish(), message: optional(z.string()) });

/** A success is the bare RPC result (201 Created); an error is `{code, message, data?}` with the status clnrest picked. */
export function unwrapAnswer(res: UpstreamResponse): Unwrapped {
  if (res.status >= 200 && res.status < 300) return res.json === undefined ? { unreadable: 'answer is not JSON' } : { data: res.json };
  const parsed = errorSchema.safeParse(res.json);
  if (!parsed.success) return { unreadable: 'error answer is not a clnrest error' };
  const { code, message } = parsed.data;
  return { error: { code: code === null || code === undefined ? undefined : String(code), detail: message } };
}

/** RPC error codes this connector names (common/jsonrpc_errors.h in Core Lightning). */
export const RPC = {
  METHOD_NOT_FOUND: '-32601',
  INVALID_PARAMS: '-32602',
  LABEL_ALREADY_EXISTS: '900',
  PREIMAGE_ALREADY_EXISTS: '901',
  HINTS_GAVE_NO_ROUTES: '902',
  WAIT_TIMED_OUT: '904',
  INVOICE_NOT_FOUND: '905',
  STATUS_UNEXPECTED: '906',
  RUNE_NOT_AUTHORIZED: '1501',
  RUNE_NOT_PERMITTED: '1502',
  RUNE_BLACKLISTED: '1503',
} as const;

/**
 * clnrest answers every RPC error but an unknown method with 500, so the status cannot tell a
 * refusal from an outage: the RPC code does. Refusals of this request are declines; a rune that
 * is missing, invalid or does not permit the method, and a method the node does not have (wrong
 * version, plugin disabled), are fatal. Everything else (-1 lightningd errors, code null: the
 * plugin could not reach lightningd, proxies' 502/503) keeps the status's kind: retryable.
 */
export const RPC_CODES: Readonly<Record<string, FailureKind>> = {
  [RPC.INVALID_PARAMS]: 'decline',
  [RPC.LABEL_ALREADY_EXISTS]: 'decline',
  [RPC.PREIMAGE_ALREADY_EXISTS]: 'decline',
  [RPC.HINTS_GAVE_NO_ROUTES]: 'decline',
  [RPC.WAIT_TIMED_OUT]: 'decline',
  [RPC.INVOICE_NOT_FOUND]: 'decline',
  [RPC.STATUS_UNEXPECTED]: 'decline',
  [RPC.METHOD_NOT_FOUND]: 'fatal',
  [RPC.RUNE_NOT_AUTHORIZED]: 'fatal',
  [RPC.RUNE_NOT_PERMITTED]: 'fatal',
  [RPC.RUNE_BLACKLISTED]: 'fatal',
};

/** The one status table; anything new is unknown, never guessed. */
const STATUS: Record<string, InvoiceStatus> = { unpaid: 'pending', paid: 'paid', expired: 'expired' };

/** BOLT11 descriptions are limited to 639 bytes (CLN refuses longer ones unless hashed). */
export const DESCRIPTION_BYTES = 639;

/** The description shown in the payer's wallet: the invoice's, cut on a character boundary to fit. */
export function descriptionFor(input: Pick<CreateInvoiceInput, 'description' | 'invoiceId'>): string {
  let text = input.description?.trim() || `Invoice ${input.invoiceId}`;
  while (Buffer.byteLength(text, 'utf8') > DESCRIPTION_BYTES) text = [...text].slice(0, -1).join('');
  return text;
}

export function toInvoiceParams(input: CreateInvoiceInput, label: string, amountMsat: bigint): Record<string, unknown> {
  return { amount_msat: Number(amountMsat), label, description: descriptionFor(input), expiry: input.expiresInSeconds };
}

const lightning = (bolt11: string, amount: string | undefined): PaymentDetails => ({
  network: 'lightning',
  asset: 'BTC',
  ...(amount !== undefined ? { amount } : {}),
  bolt11,
});

/** The answer to `invoice`: a new, unpaid invoice; its upstream id is the label we chose. */
export function toCreatedInvoice(created: ClnCreated, label: string, amount: string): UpstreamInvoice {
  const warnings = Object.fromEntries(Object.entries(created).filter(([k]) => k.startsWith('warning_')));
  return {
    upstreamId: label,
    status: 'pending',
    payUrl: null,
    payment: lightning(created.bolt11, amount),
    paid: null,
    raw: {
      cln_label: label,
      cln_payment_hash: created.payment_hash,
      cln_expires_at: created.expires_at,
      ...(created.created_index !== undefined ? { cln_created_index: created.created_index } : {}),
      ...warnings,
    },
  };
}

/** A listinvoices/waitanyinvoice entry; a payment is what arrived (a payer may send more than asked). */
export function toUpstreamInvoice(entry: ClnInvoiceEntry): UpstreamInvoice {
  const status = STATUS[entry.status] ?? 'unknown';
  const received = entry.amount_received_msat ?? entry.amount_msat;
  return {
    upstreamId: entry.label,
    status,
    payUrl: null,
    payment: entry.bolt11 ? lightning(entry.bolt11, entry.amount_msat !== undefined ? msatToBtc(entry.amount_msat) : undefined) : null,
    paid:
      status === 'paid' && received !== undefined
        ? { amount: msatToBtc(received), currency: 'BTC', paidAt: entry.paid_at ? new Date(entry.paid_at * 1000) : new Date(), fee: null }
        : null,
    raw: {
      cln_label: entry.label,
      cln_payment_hash: entry.payment_hash,
      cln_status: entry.status,
      cln_expires_at: entry.expires_at,
      ...(entry.pay_index !== undefined
        ? {
            cln_pay_index: entry.pay_index,
            cln_amount_received_msat: received?.toString(),
            cln_payment_preimage: entry.payment_preimage,
          }
        : {}),
    },
  };
}
