import { z } from 'zod';
import type { CreateInvoiceInput, UpstreamEvent, UpstreamInvoice } from '../types.js';
import type { InvoiceStatus } from '../../domain/invoice-status.js';
import { isCrypto } from '../../domain/currencies.js';
import { optional, upstreamAmount, upstreamId } from '../kit/index.js';

/** Crypto Pay's invoice as it travels (see PROTOCOL.md); amounts arrive as strings, sometimes numbers. */
export const invoiceSchema = z.object({
  invoice_id: upstreamId,
  hash: optional(z.string()),
  asset: optional(z.string()),
  fiat: optional(z.string()),
  amount: upstreamAmount,
  status: z.string(),
  bot_invoice_url: optional(z.string()),
  mini_app_invoice_url: optional(z.string()),
  web_app_invoice_url: optional(z.string()),
  pay_url: optional(z.string()),
  paid_asset: optional(z.string()),
  paid_amount: optional(upstreamAmount),
  fee_asset: optional(z.string()),
  fee_amount: optional(upstreamAmount),
  paid_at: optional(z.string()),
});
export type CryptoPayInvoice = z.output<typeof invoiceSchema>;

/** getInvoices answers `{items}`; some versions a bare array. */
export const invoiceListSchema = z.union([z.array(invoiceSchema), z.object({ items: z.array(invoiceSchema).default([]) }).transform((r) => r.items)]);

export const balanceSchema = z.array(z.object({ currency_code: z.string(), available: upstreamAmount, onhold: optional(upstreamAmount) }));

export const updateSchema = z.object({
  update_id: upstreamId,
  update_type: z.string(),
  request_date: optional(z.string()),
  payload: invoiceSchema,
});

/** The one table from Crypto Pay's status to ours; anything new maps to unknown, never a crash. */
const STATUS: Record<string, InvoiceStatus> = { active: 'pending', paid: 'paid', expired: 'expired' };

export const DESCRIPTION_LIMIT = 1024;

export function toCreateParams(input: CreateInvoiceInput): Record<string, unknown> {
  // Our invoice id travels in `payload` and comes back in the webhook.
  const params: Record<string, unknown> = { amount: input.amount, payload: input.invoiceId, expires_in: input.expiresInSeconds };
  if (isCrypto(input.currency)) Object.assign(params, { currency_type: 'crypto', asset: input.currency });
  else {
    Object.assign(params, { currency_type: 'fiat', fiat: input.currency });
    if (input.acceptedAssets.length) params.accepted_assets = input.acceptedAssets.join(',');
  }
  if (input.description) params.description = input.description.slice(0, DESCRIPTION_LIMIT);
  if (input.returnUrl) {
    params.paid_btn_name = 'callback';
    params.paid_btn_url = input.returnUrl;
  }
  return params;
}

export function toUpstreamInvoice(inv: CryptoPayInvoice): UpstreamInvoice {
  const status = STATUS[inv.status] ?? 'unknown';
  return {
    upstreamId: inv.invoice_id,
    status,
    payUrl: inv.bot_invoice_url ?? inv.pay_url ?? null,
    payment: null,
    paid:
      status === 'paid'
        ? {
            amount: inv.paid_amount ?? inv.amount,
            currency: inv.paid_asset ?? inv.asset ?? inv.fiat ?? '',
            paidAt: inv.paid_at ? new Date(inv.paid_at) : new Date(),
            fee: inv.fee_amount ?? null,
          }
        : null,
    raw: {
      cryptopay_invoice_id: Number(inv.invoice_id),
      cryptopay_hash: inv.hash,
      cryptopay_status: inv.status,
      bot_invoice_url: inv.bot_invoice_url,
      mini_app_invoice_url: inv.mini_app_invoice_url,
      web_app_invoice_url: inv.web_app_invoice_url,
      ...(inv.paid_asset ? { paid_asset: inv.paid_asset, paid_amount: inv.paid_amount, fee_asset: inv.fee_asset, fee_amount: inv.fee_amount } : {}),
    },
  };
}

/** invoice_paid is the only update type; update_id is not unique, so the dedupe key is invoice + status. */
export function toUpstreamEvents(update: z.output<typeof updateSchema>): UpstreamEvent[] {
  if (update.update_type !== 'invoice_paid') return [];
  const view = toUpstreamInvoice(update.payload);
  return [{ dedupeKey: `${update.payload.invoice_id}:${update.payload.status}`, upstreamId: view.upstreamId, status: view.status, paid: view.paid, raw: view.raw }];
}
