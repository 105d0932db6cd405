/** Creating an invoice: Greenfield's validation of the request, and the invoice it makes. */
import { D, MAX_AMOUNT, SPEED_POLICIES, base58Id, type Dec } from './formats.js';
import { ApiError, type ValidationError } from './errors.js';
import { makeMethod, parseBtcPayPaymentMethodId } from './payment-methods.js';
import { rateFor, type Store } from './store.js';
import type { BtcPayInvoice, BtcPayMethodId } from './types.js';

function parseAmount(v: unknown, errors: ValidationError[]): string | null {
  let amount: Dec;
  let text: string;
  if (v === undefined || v === null) {
    errors.push({ path: 'amount', message: 'The amount is required (TopUp invoices are not supported by this emulator)' }); // assumption
    return null;
  } else if (typeof v === 'number' && Number.isFinite(v)) {
    amount = new D(v);
    text = amount.toFixed();
  } else if (typeof v === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/.test(v)) {
    const s = v.trim();
    amount = new D(s);
    const dot = s.indexOf('.');
    text = amount.toFixed(dot === -1 ? 0 : s.length - dot - 1);
  } else {
    errors.push({ path: 'amount', message: 'Invalid amount: a number or a numeric string is expected' });
    return null;
  }
  if (amount.isNeg() && !amount.isZero()) {
    errors.push({ path: 'amount', message: 'The amount should be 0 or more.' });
    return null;
  }
  if (amount.gt(MAX_AMOUNT)) {
    errors.push({ path: 'amount', message: `The amount should less than ${MAX_AMOUNT.toFixed()}.` });
    return null;
  }
  return text.startsWith('-') ? text.slice(1) : text; // "-0.00" → "0.00"
}

function integerMinutes(v: unknown, path: string, errors: ValidationError[]): number | null | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  errors.push({ path, message: `Invalid ${path.split('.').pop()}: an integer number of minutes is expected` });
  return null;
}

/** POST /stores/{storeId}/invoices: validates like Greenfield (422 `[{path, message}]`) and stores the invoice. */
export function createInvoice(store: Store, body: unknown): BtcPayInvoice {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, { code: 'invalid-json', message: 'The request body must be a JSON object' }); // assumption
  }
  const b = body as Record<string, unknown>;
  const errors: ValidationError[] = [];
  const amount = parseAmount(b.amount, errors);

  let currency = 'USD';
  if (typeof b.currency === 'string' && b.currency.trim() !== '') currency = b.currency.trim().toUpperCase();
  else if (b.currency !== undefined && b.currency !== null && typeof b.currency !== 'string') errors.push({ path: 'currency', message: 'Invalid currency: a string is expected' });

  let metadata: Record<string, unknown> = {};
  if (typeof b.metadata === 'object' && b.metadata !== null && !Array.isArray(b.metadata)) metadata = b.metadata as Record<string, unknown>;
  else if (b.metadata !== undefined && b.metadata !== null) errors.push({ path: 'metadata', message: 'Invalid metadata: a JSON object is expected' });

  let checkout: Record<string, unknown> = {};
  if (typeof b.checkout === 'object' && b.checkout !== null && !Array.isArray(b.checkout)) checkout = b.checkout as Record<string, unknown>;
  else if (b.checkout !== undefined && b.checkout !== null) errors.push({ path: 'checkout', message: 'Invalid checkout: a JSON object is expected' });

  let receipt: Record<string, unknown> = {};
  if (typeof b.receipt === 'object' && b.receipt !== null && !Array.isArray(b.receipt)) receipt = b.receipt as Record<string, unknown>;
  else if (b.receipt !== undefined && b.receipt !== null) errors.push({ path: 'receipt', message: 'Invalid receipt: a JSON object is expected' });

  const expiration = integerMinutes(checkout.expirationMinutes, 'checkout.expirationMinutes', errors);
  const monitoring = integerMinutes(checkout.monitoringMinutes, 'checkout.monitoringMinutes', errors);
  if (typeof expiration === 'number' && expiration * 60 < 30) {
    errors.push({ path: 'checkout.expirationMinutes', message: 'Expiration time must be at least 30 seconds' });
  }

  let tolerance = new D(0);
  const tol = checkout.paymentTolerance;
  if (tol !== undefined && tol !== null) {
    if (typeof tol !== 'number' || !Number.isFinite(tol)) errors.push({ path: 'checkout.paymentTolerance', message: 'Invalid paymentTolerance: a number is expected' });
    else if (tol < 0 || tol > 100) errors.push({ path: 'checkout.paymentTolerance', message: 'PaymentTolerance can only be between 0 and 100 percent' });
    else tolerance = new D(tol);
  }

  const speed = checkout.speedPolicy;
  if (speed !== undefined && speed !== null && (typeof speed !== 'string' || !SPEED_POLICIES.includes(speed))) {
    errors.push({ path: 'checkout.speedPolicy', message: `Invalid speedPolicy: one of ${SPEED_POLICIES.join(', ')} is expected` });
  }

  let requested: Array<'BTC-CHAIN' | 'BTC-LN' | 'BTC-LNURL'> | null = null;
  const pms = checkout.paymentMethods;
  if (Array.isArray(pms) && pms.length > 0) {
    requested = [];
    pms.forEach((pm, i) => {
      const id = typeof pm === 'string' ? parseBtcPayPaymentMethodId(pm) : null;
      if (!id) errors.push({ path: `checkout.paymentMethods[${i}]`, message: 'Invalid PaymentMethodId' });
      else if (!requested!.includes(id)) requested!.push(id);
    });
  } else if (pms !== undefined && pms !== null && !Array.isArray(pms)) {
    errors.push({ path: 'checkout.paymentMethods', message: 'Invalid paymentMethods: an array is expected' });
  }

  let defaultPaymentMethod: string | null = null;
  if (typeof checkout.defaultPaymentMethod === 'string') {
    const id = parseBtcPayPaymentMethodId(checkout.defaultPaymentMethod);
    if (!id) errors.push({ path: 'checkout.defaultPaymentMethod', message: 'Invalid PaymentMethodId' });
    else defaultPaymentMethod = id;
  }

  if (errors.length > 0 || amount === null) throw new ApiError(422, errors);

  const enabled = store.options.enabledPaymentMethods;
  // assumption: asked-for methods the store has not enabled are silently left out
  const offered: BtcPayMethodId[] = requested
    ? (requested.filter((id) => id !== 'BTC-LNURL' && enabled.includes(id)) as BtcPayMethodId[])
    : [...new Set(enabled)];

  const now = Math.max(Math.floor(Date.now() / 1000), store.lastCreated);
  store.lastCreated = now;
  const expirationMinutes = expiration ?? 15;
  const monitoringMinutes = monitoring ?? 1440;
  const rate = rateFor(store, currency);
  const amountBtc = new D(amount).div(rate).toDecimalPlaces(8, D.ROUND_UP);
  const id = base58Id();
  const inv: BtcPayInvoice = {
    id,
    storeId: store.storeId,
    amount,
    paidAmount: '0',
    currency,
    type: 'Standard',
    checkoutLink: `${store.serverUrl}/i/${id}`,
    createdTime: now,
    expirationTime: now + expirationMinutes * 60,
    monitoringExpiration: now + expirationMinutes * 60 + monitoringMinutes * 60,
    status: 'New',
    additionalStatus: 'None',
    metadata,
    checkout: {
      ...checkout,
      speedPolicy: typeof speed === 'string' ? speed : 'MediumSpeed',
      paymentMethods: offered,
      defaultPaymentMethod,
      expirationMinutes,
      monitoringMinutes,
      paymentTolerance: tolerance.toNumber(),
      redirectURL: typeof checkout.redirectURL === 'string' ? checkout.redirectURL : null,
      redirectAutomatically: typeof checkout.redirectAutomatically === 'boolean' ? checkout.redirectAutomatically : false,
      defaultLanguage: typeof checkout.defaultLanguage === 'string' ? checkout.defaultLanguage : null,
    },
    paymentMethods: offered.map((m) => makeMethod(store, m, amountBtc, rate)),
  };
  store.invoices.set(id, inv);
  store.states.set(id, {
    paid: new D(0),
    tolerance,
    receipt: { enabled: true, showQR: true, showPayments: true, ...receipt },
    payments: new Map(),
    keyPath: `0/${store.nextKeyIndex++}`,
  });
  return inv;
}
