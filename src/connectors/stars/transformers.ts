import { z } from 'zod';
import type { CreateInvoiceInput, UpstreamEvent, UpstreamInvoice } from '../types.js';
import { optional } from '../kit/index.js';
import { invoiceTexts } from './invoice-text.js';

/** Every amount in Telegram Stars is a whole number of stars. */
const stars = z.number().int().nonnegative();
const userId = z.number().int();

/** User, as getMe answers and as every update names its sender: only what we read. */
export const userSchema = z.object({
  id: userId,
  is_bot: z.boolean(),
  first_name: z.string(),
  username: optional(z.string()),
  language_code: optional(z.string()),
});

export const webhookInfoSchema = z.object({ url: z.string(), pending_update_count: optional(z.number()) });

/** StarAmount (getMyStarBalance): whole stars plus nanostars. */
export const starAmountSchema = z.object({ amount: z.number().int(), nanostar_amount: optional(z.number().int()) });

export const successfulPaymentSchema = z.object({
  currency: z.string(),
  total_amount: stars,
  invoice_payload: z.string(),
  telegram_payment_charge_id: z.string().min(1),
  provider_payment_charge_id: optional(z.string()),
});

export const refundedPaymentSchema = z.object({
  currency: z.string(),
  total_amount: stars,
  invoice_payload: z.string(),
  telegram_payment_charge_id: z.string().min(1),
  provider_payment_charge_id: optional(z.string()),
});

export const preCheckoutQuerySchema = z.object({
  id: z.string().min(1),
  from: userSchema.pick({ id: true, language_code: true }).loose(),
  currency: z.string(),
  total_amount: stars,
  invoice_payload: z.string(),
});
export type PreCheckoutQuery = z.output<typeof preCheckoutQuerySchema>;

/** An Update: its id, and the three kinds that concern payments; every other field is kept untouched (and forwarded as bytes). */
export const updateSchema = z
  .object({
    update_id: z.number().int(),
    message: optional(
      z
        .object({
          message_id: optional(z.number().int()),
          date: optional(z.number().int()),
          from: optional(userSchema.pick({ id: true }).loose()),
          chat: optional(z.object({ id: z.number().int() }).loose()),
          successful_payment: optional(successfulPaymentSchema),
          refunded_payment: optional(refundedPaymentSchema),
        })
        .loose(),
    ),
    pre_checkout_query: optional(preCheckoutQuerySchema),
  })
  .loose();
export type Update = z.output<typeof updateSchema>;

/** Our invoice ids (`inv_` + a ULID): the payloads Switchyard puts on its invoice links. */
const OUR_PAYLOAD = /^inv_[0-9A-HJKMNP-TV-Z]{26}$/;
export const isOurPayload = (payload: string): boolean => OUR_PAYLOAD.test(payload);

/** The invoice payload an update is about, if it is a payment update (pre-checkout, payment, refund). */
export function paymentPayload(update: Update): string | undefined {
  return update.pre_checkout_query?.invoice_payload ?? update.message?.successful_payment?.invoice_payload ?? update.message?.refunded_payment?.invoice_payload;
}

/** Is this update about one of our invoices? Those stay here; everything else may go to the tenant's bot. */
export function isAboutOurInvoice(update: Update): boolean {
  const payload = paymentPayload(update);
  return payload !== undefined && isOurPayload(payload);
}

/** The Bot API answers createInvoiceLink with `https://t.me/$<slug>`; the slug names the link. */
export function linkSlug(link: string): string {
  try {
    const url = new URL(link);
    const slug = decodeURIComponent(url.pathname).replace(/^\/\$?/, '');
    if (url.hostname === 't.me' && /^[A-Za-z0-9_-]+$/.test(slug)) return slug;
  } catch {
    // not a URL: the whole link names it below
  }
  return link;
}

/** createInvoiceLink's parameters for an XTR invoice: one price, no provider, our invoice id as payload. */
export function toCreateParams(input: CreateInvoiceInput): Record<string, unknown> {
  const { title, description } = invoiceTexts(input);
  return {
    title,
    description,
    payload: input.invoiceId,
    provider_token: '',
    currency: 'XTR',
    prices: [{ label: title, amount: Number(input.amount) }],
  };
}

export function toUpstreamInvoice(link: string, params: Record<string, unknown>): UpstreamInvoice {
  return {
    upstreamId: linkSlug(link),
    status: 'pending',
    payUrl: link,
    payment: null,
    paid: null,
    raw: { stars_invoice_link: link, stars_title: params.title },
  };
}

/**
 * successful_payment → paid, refunded_payment → refunded, for our invoices only (a payment of the
 * tenant's own is its bot's business). The dedupe key is the update (a redelivery repeats its
 * update_id) and its charge (update ids of two bots may meet).
 */
export function toUpstreamEvents(update: Update): UpstreamEvent[] {
  const message = update.message;
  const paid = message?.successful_payment;
  if (paid && isOurPayload(paid.invoice_payload)) {
    return [
      {
        dedupeKey: `${update.update_id}:paid:${paid.telegram_payment_charge_id}`,
        upstreamId: paid.invoice_payload,
        invoiceId: paid.invoice_payload,
        status: 'paid',
        paid: { amount: String(paid.total_amount), currency: paid.currency, paidAt: message.date ? new Date(message.date * 1000) : new Date(), fee: null },
        raw: {
          // What a refund needs (refundStarPayment takes the payer and the charge).
          telegram_payment_charge_id: paid.telegram_payment_charge_id,
          provider_payment_charge_id: paid.provider_payment_charge_id ?? null,
          stars_payer_user_id: message.from?.id ?? message.chat?.id ?? null,
          stars_update_id: update.update_id,
        },
      },
    ];
  }
  const refunded = message?.refunded_payment;
  if (refunded && isOurPayload(refunded.invoice_payload)) {
    return [
      {
        dedupeKey: `${update.update_id}:refunded:${refunded.telegram_payment_charge_id}`,
        upstreamId: refunded.invoice_payload,
        invoiceId: refunded.invoice_payload,
        status: 'refunded',
        paid: null,
        refund: { amount: String(refunded.total_amount), currency: refunded.currency, reference: refunded.telegram_payment_charge_id },
        raw: { stars_refunded_charge_id: refunded.telegram_payment_charge_id, stars_refund_update_id: update.update_id },
      },
    ];
  }
  // Pre-checkout queries are answered on the request path; other updates are not about payments.
  return [];
}
