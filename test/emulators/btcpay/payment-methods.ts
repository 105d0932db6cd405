/** Payment methods: BTC on-chain and Lightning, their ids old and new, and how the API shows them. */
import { createHash, randomBytes } from 'node:crypto';
import { BECH32, D, btc, randomChars, type Dec } from './formats.js';
import type { Store } from './store.js';
import type { BtcPayInvoice, BtcPayMethodId, BtcPayPayment, BtcPayPaymentMethod } from './types.js';

const CANONICAL_METHODS: Record<string, 'BTC-CHAIN' | 'BTC-LN' | 'BTC-LNURL'> = {
  'BTC-CHAIN': 'BTC-CHAIN',
  BTC: 'BTC-CHAIN',
  'BTC-LN': 'BTC-LN',
  'BTC-LIGHTNINGNETWORK': 'BTC-LN',
  'BTC-LIGHTNINGLIKE': 'BTC-LN',
  'BTC-OFFCHAIN': 'BTC-LN',
  'BTC-LNURL': 'BTC-LNURL',
  'BTC-LNURLPAY': 'BTC-LNURL',
};
/** PaymentMethodId.TryParse: canonical 2.x ids and the legacy 1.x spellings (assumption: case-insensitive). */
export function parseBtcPayPaymentMethodId(s: string): 'BTC-CHAIN' | 'BTC-LN' | 'BTC-LNURL' | null {
  return CANONICAL_METHODS[s.trim().toUpperCase()] ?? null;
}

const LEGACY_NAMES: Record<string, string> = { 'BTC-CHAIN': 'BTC', 'BTC-LN': 'BTC-LightningNetwork', 'BTC-LNURL': 'BTC-LNURLPAY' };

/** The id as this server writes it: 2.x, or 1.x in legacy mode. */
export const methodName = (store: Store, id: string): string => (store.options.legacyPaymentMethodIds ? (LEGACY_NAMES[id] ?? id) : id);

export function totalPaidBtc(inv: BtcPayInvoice): Dec {
  return inv.paymentMethods.reduce((sum, pm) => pm.payments.reduce((s, p) => (p.status === 'Invalid' ? s : s.add(p.value)), sum), new D(0));
}

function methodPaidBtc(pm: BtcPayPaymentMethod): Dec {
  return pm.payments.reduce((s, p) => (p.status === 'Invalid' ? s : s.add(p.value)), new D(0));
}

function onchainAddress(): string {
  return `bc1q${randomChars(BECH32, 38)}`;
}

/** A fake BOLT11 for the amount (not decodable), remembered with its payment hash. */
export function bolt11(store: Store, amountBtc: Dec): string {
  const nano = amountBtc.mul(1e9).toDecimalPlaces(0, D.ROUND_UP);
  const invoice = `lnbc${nano.isZero() ? '' : `${nano.toFixed(0)}n`}1p${randomChars(BECH32, 200)}`;
  store.lightning.set(invoice, { paymentHash: createHash('sha256').update(randomBytes(32)).digest('hex'), nodeInvoiceId: randomBytes(16).toString('hex') });
  return invoice;
}

export function makeMethod(store: Store, id: BtcPayMethodId, amountBtc: Dec, rate: string): BtcPayPaymentMethod {
  return { paymentMethodId: id, destination: id === 'BTC-CHAIN' ? onchainAddress() : bolt11(store, amountBtc), amount: btc(amountBtc), rate, payments: [], activated: true };
}

export function paymentModel(p: BtcPayPayment): Record<string, unknown> {
  return { id: p.id, receivedDate: p.receivedDate, value: p.value, fee: p.fee, status: p.status, destination: p.destination };
}

/** GET …/payment-methods: where the destination (address or BOLT11) and what is due live. */
export function paymentMethodModels(store: Store, inv: BtcPayInvoice): Array<Record<string, unknown>> {
  const st = store.states.get(inv.id);
  const total = totalPaidBtc(inv);
  return inv.paymentMethods.map((pm) => {
    const amount = new D(pm.amount);
    const due = amount.sub(total);
    const legacy = store.options.legacyPaymentMethodIds;
    let paymentLink: string;
    let additionalData: Record<string, unknown>;
    if (pm.paymentMethodId === 'BTC-LN') {
      const ln = store.lightning.get(pm.destination);
      paymentLink = pm.activated ? `lightning:${pm.destination.toLowerCase()}` : '';
      additionalData = { paymentHash: ln?.paymentHash ?? null, preimage: null, invoiceId: ln?.nodeInvoiceId ?? null, nodeInfo: store.nodeInfo };
    } else {
      paymentLink = !pm.activated ? '' : due.gt(0) ? `bitcoin:${pm.destination}?amount=${due.toFixed()}` : `bitcoin:${pm.destination}`;
      additionalData = { keyPath: st?.keyPath ?? null, payjoinEnabled: false, accountDerivation: null, recommendedFeeRate: 1, paymentMethodFeeRate: 1 };
    }
    return {
      paymentMethodId: methodName(store, pm.paymentMethodId),
      ...(legacy ? { paymentMethod: methodName(store, pm.paymentMethodId), cryptoCode: 'BTC' } : {}),
      currency: 'BTC',
      destination: pm.destination,
      paymentLink,
      rate: pm.rate,
      paymentMethodPaid: btc(methodPaidBtc(pm)),
      totalPaid: btc(total),
      due: btc(due),
      amount: pm.amount,
      paymentMethodFee: '0',
      ...(legacy ? { networkFee: '0' } : {}),
      payments: pm.payments.map(paymentModel),
      activated: pm.activated,
      additionalData,
    };
  });
}
