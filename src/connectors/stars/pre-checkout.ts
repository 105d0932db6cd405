import type { InvoiceSnapshot } from '../types.js';
import { compareAmounts } from '../../domain/money.js';
import type { PreCheckoutQuery } from './transformers.js';

/** Why a buyer may not pay: each has one short message the buyer sees in Telegram. */
export type Refusal = 'expired' | 'already_paid' | 'amount_changed' | 'no_longer_valid';

export type Verdict = { ok: true } | { ok: false; refusal: Refusal };

/**
 * Whether Telegram may take the buyer's stars for this invoice now: only for a pending invoice
 * whose current upstream invoice is at this account, not past its expiry, in the same currency
 * and amount as the query.
 */
export function judgePreCheckout(query: PreCheckoutQuery, invoice: InvoiceSnapshot | null, now: Date): Verdict {
  if (!invoice || !invoice.currentHere) return { ok: false, refusal: 'no_longer_valid' };
  if (invoice.status === 'paid' || invoice.status === 'processing' || invoice.status === 'refunded') return { ok: false, refusal: 'already_paid' };
  if (invoice.status === 'expired' || (invoice.status === 'pending' && invoice.expiresAt.getTime() <= now.getTime())) return { ok: false, refusal: 'expired' };
  if (invoice.status !== 'pending') return { ok: false, refusal: 'no_longer_valid' };
  if (query.currency !== invoice.currency || compareAmounts(String(query.total_amount), invoice.amount) !== 0) return { ok: false, refusal: 'amount_changed' };
  return { ok: true };
}

const MESSAGES: Record<'en' | 'ru', Record<Refusal, string>> = {
  en: {
    expired: 'This invoice has expired. Please ask the seller for a new one.',
    already_paid: 'This invoice has already been paid.',
    amount_changed: 'The price has changed. Please ask the seller for a new invoice.',
    no_longer_valid: 'This invoice is no longer valid. Please ask the seller for a new one.',
  },
  ru: {
    expired: 'Срок действия счёта истёк. Попросите продавца выставить новый.',
    already_paid: 'Этот счёт уже оплачен.',
    amount_changed: 'Цена изменилась. Попросите продавца выставить новый счёт.',
    no_longer_valid: 'Этот счёт больше не действителен. Попросите продавца выставить новый.',
  },
};

/** The buyer's message, in Russian for Russian-speaking Telegram users, else English. */
export function refusalMessage(refusal: Refusal, languageCode: string | undefined): string {
  return MESSAGES[languageCode?.toLowerCase().startsWith('ru') ? 'ru' : 'en'][refusal];
}
