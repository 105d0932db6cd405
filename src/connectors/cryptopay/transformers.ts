import type { CreateInvoiceInput, UpstreamEvent, UpstreamInvoice } from '../types.js';
import type { InvoiceStatus } from '../../domain/invoice-status.js';
import { isCrypto } from '../../domain/currencies.js';

/** Crypto Pay's invoice as it travels (REFERENCE §1.6); amounts arrive as strings, sometimes numbers. */
export interface CryptoPayInvoice {
  invoice_id: number;
  hash?: string;
  currency_type?: 'crypto' | 'fiat';
  asset?: string;
  fiat?: string;
  amount: string | number;
  status: string;
  bot_invoice_url?: string;
  mini_app_invoice_url?: string;
  web_app_invoice_url?: string;
  pay_url?: string;
  paid_asset?: string;
  paid_amount?: string | number;
  fee_asset?: string;
  fee_amount?: string | number;
  paid_at?: string;
  payload?: string;
  expiration_date?: string;
}

export interface CryptoPayUpdate {
  update_id: number;
  update_type: string;
  request_date: string;
  payload: CryptoPayInvoice;
}

/** The one table from Crypto Pay's status to ours; anything new maps to unknown, never a crash. */
const STATUS: Record<string, InvoiceStatus> = { active: 'pending', paid: 'paid', expired: 'expired' };

export const DESCRIPTION_LIMIT = 1024;

export function toCreateParams(input: CreateInvoiceInput): Record<string, unknown> {
  const params: Record<string, unknown> = {
    amount: input.amount,
    // Our invoice id travels with the upstream invoice and comes back in its webhook.
    payload: input.invoiceId,
    expires_in: input.expiresInSeconds,
  };
  if (isCrypto(input.currency)) {
    params.currency_type = 'crypto';
    params.asset = input.currency;
  } else {
    params.currency_type = 'fiat';
    params.fiat = input.currency;
    if (input.acceptedAssets.length) params.accepted_assets = input.acceptedAssets.join(',');
  }
  if (input.description) params.description = input.description.slice(0, DESCRIPTION_LIMIT);
  if (input.returnUrl) {
    params.paid_btn_name = 'callback';
    params.paid_btn_url = input.returnUrl;
  }
  return params;
}

const str = (v: string | number | undefined) => (v === undefined ? undefined : String(v));

export function toUpstreamInvoice(inv: CryptoPayInvoice): UpstreamInvoice {
  const status = STATUS[inv.status] ?? 'unknown';
  const paidAmount = str(inv.paid_amount) ?? str(inv.amount)!;
  return {
    upstreamId: String(inv.invoice_id),
    status,
    payUrl: inv.bot_invoice_url ?? inv.pay_url ?? null,
    payment: null,
    paid:
      status === 'paid'
        ? {
            amount: paidAmount,
            currency: inv.paid_asset ?? inv.asset ?? inv.fiat ?? '',
            paidAt: inv.paid_at ? new Date(inv.paid_at) : new Date(),
            fee: str(inv.fee_amount) ?? null,
          }
        : null,
    raw: {
      cryptopay_invoice_id: inv.invoice_id,
      cryptopay_hash: inv.hash,
      cryptopay_status: inv.status,
      bot_invoice_url: inv.bot_invoice_url,
      mini_app_invoice_url: inv.mini_app_invoice_url,
      web_app_invoice_url: inv.web_app_invoice_url,
      ...(inv.paid_asset ? { paid_asset: inv.paid_asset, paid_amount: str(inv.paid_amount), fee_asset: inv.fee_asset, fee_amount: str(inv.fee_amount) } : {}),
    },
  };
}

/** invoice_paid is the only update type; update_id is not unique, so the dedupe key is invoice + status. */
export function toUpstreamEvents(update: CryptoPayUpdate): UpstreamEvent[] {
  if (update.update_type !== 'invoice_paid' || !update.payload) return [];
  const view = toUpstreamInvoice(update.payload);
  return [{ dedupeKey: `${update.payload.invoice_id}:${update.payload.status}`, upstreamId: view.upstreamId, status: view.status, paid: view.paid, raw: view.raw }];
}
