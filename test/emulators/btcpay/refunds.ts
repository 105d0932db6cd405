/** POST /stores/{storeId}/invoices/{id}/refund: a pull payment the buyer claims (Greenfield's refund). */
import { randomBytes } from 'node:crypto';
import { ApiError } from './errors.js';
import type { Store } from './store.js';
import type { BtcPayInvoice } from './types.js';

export const PERM_REFUND = 'btcpay.store.cancreatenonapprovedpullpayments';

const VARIANTS = ['RateThen', 'CurrentRate', 'Fiat', 'OverpaidAmount', 'Custom'] as const;

export interface BtcPayPullPayment {
  id: string;
  name: string;
  description: string;
  currency: string;
  amount: string;
  period: number | null;
  BOLT11Expiration: string;
  autoApproveClaims: boolean;
  archived: boolean;
  viewLink: string;
  startsAt: number;
  expiresAt: number | null;
  /** Not in the API answer: what the refund was made for. */
  invoiceId: string;
  refundVariant: string;
}

/** Greenfield validation errors are 422 `[{path, message}]`. */
const invalid = (path: string, message: string) => new ApiError(422, [{ path, message }]);

export function refundInvoice(store: Store, inv: BtcPayInvoice, body: unknown): Omit<BtcPayPullPayment, 'invoiceId' | 'refundVariant'> {
  const req = (body ?? {}) as Record<string, unknown>;
  const variant = req.refundVariant;
  if (variant === undefined) throw invalid('refundVariant', 'refundVariant is required'); // assumption: the wording
  if (typeof variant !== 'string' || !(VARIANTS as readonly string[]).includes(variant)) throw invalid('refundVariant', 'Invalid refund variant');
  const method = req.paymentMethod;
  if (typeof method !== 'string' || !['BTC-CHAIN', 'BTC-LN', 'BTC', 'BTC-LightningNetwork'].includes(method)) throw invalid('paymentMethod', 'Invalid payment method');
  // Only money that arrived can be given back. assumption: the wording
  if (inv.status !== 'Settled' && inv.additionalStatus !== 'PaidLate' && inv.additionalStatus !== 'PaidOver') throw invalid('', 'Cannot refund this invoice');
  const fiat = variant === 'Fiat';
  const id = randomBytes(14).toString('base64url').replace(/[-_]/g, 'x').slice(0, 22);
  const now = Math.floor(Date.now() / 1000);
  const pull: BtcPayPullPayment = {
    id,
    name: typeof req.name === 'string' ? req.name : `Refund ${inv.id}`,
    description: typeof req.description === 'string' ? req.description : '',
    currency: fiat ? inv.currency : 'BTC',
    amount: fiat ? inv.paidAmount : (inv.paymentMethods[0]?.amount ?? inv.paidAmount),
    period: null,
    BOLT11Expiration: '30.00:00:00',
    autoApproveClaims: false,
    archived: false,
    viewLink: `${store.serverUrl}/pull-payments/${id}`,
    startsAt: now,
    expiresAt: null,
    invoiceId: inv.id,
    refundVariant: variant,
  };
  store.pullPayments.set(id, pull);
  const { invoiceId: _i, refundVariant: _v, ...answer } = pull;
  return answer;
}
