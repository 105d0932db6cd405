/**
 * Loopback emulator of a BTCPay Server (Greenfield API v1, one store with one webhook), per
 * src/connectors/btcpay/PROTOCOL.md and the real delivery vector in test/vectors.
 *
 * What it emulates:
 * - the server root at `serverUrl` (what a tenant puts in base_url); the API under `/api/v1`;
 * - auth `Authorization: token <apiKey>` with BTCPay's permission hierarchy and `perm:<storeId>`
 *   scoping, errors 401 `unauthenticated` / 403 `missing-permission` (with `missingPermission`);
 * - `POST /stores/{storeId}/invoices` (create, validation errors as HTTP 422 `[{path, message}]`),
 *   `GET /stores/{storeId}/invoices` (list: orderId/status repeatable, startDate, endDate,
 *   textSearch, skip, take; newest first), `GET /stores/{storeId}/invoices/{id}` and the flat
 *   `GET /invoices/{id}` (`?includePaymentMethods=true`), `GET …/invoices/{id}/payment-methods`
 *   (both forms; the BOLT11 lives there), 404 `invoice-not-found`;
 * - the invoice life cycle (New → Processing → Settled, New → Expired with PaidPartial/PaidLate,
 *   Processing → Invalid) driven by `pay` / `confirm` / `expire` / `invalidate`, each delivering the
 *   webhook events BTCPay sends in BTCPay's order (InvoiceWatcher: ReceivedPayment first, then
 *   PaidInFull → InvoiceProcessing, Confirmed → InvoiceSettled, Expired then ExpiredPaidPartial…);
 * - webhook deliveries: `JsonConvert.SerializeObject(evt, Formatting.Indented, camelCase)` bytes
 *   reproduced with `JSON.stringify(obj, null, 2)` and BTCPay's property order, `Content-Type:
 *   application/json`, `BTCPay-Sig: sha256=<hex HMAC-SHA256(secret, exact bytes)>`; redelivery like
 *   WebhookSender.CreateRedeliveryRequest (new deliveryId, isRedelivery true, originalDeliveryId and
 *   timestamp kept). The stored request is re-read as the *base* `WebhookEvent` class, whose
 *   `[JsonExtensionData]` is written after the declared properties, so a redelivered body lists
 *   `deliveryId, webhookId, originalDeliveryId, isRedelivery, type, timestamp` first and then the
 *   rest in the original order (`manuallyMarked`, …, `storeId`, `invoiceId`, `metadata`)
 *   [read from btcpayserver WebhookSender.cs + WebhookEvent.cs].
 *
 * Assumptions (BTCPay's docs are silent or uncertain), all marked "assumption" below:
 * - a key with `btcpay.store.canmodifyinvoices` (or canmodifystoresettings, unrestricted) satisfies
 *   view and create; `canviewstoresettings` satisfies view (BTCPay Permissions.cs PolicyMap);
 *   `Authorization: Basic` is not emulated (401);
 * - an unknown storeId with a valid key → 403 missing-permission; the flat `/invoices/{id}` with an
 *   unknown id → 404 when the key may view this store's invoices, else 403;
 * - an unknown route → 404 with an empty body, a known path with another method → 405 empty body,
 *   a body over 1 MiB → 413 empty body (Kestrel-style); a body that is not a JSON object on create →
 *   400 `{"code":"invalid-json",…}`;
 * - amount is required (absent/null → 422: TopUp invoices are not emulated); the amount check's
 *   path is `amount` (the real controller uses `nameof(request.Amount)`, i.e. "Amount"); a numeric
 *   string keeps its scale ("5.00"), a JSON number prints shortest ("5"); amount 0 is accepted and
 *   stays New (a real server settles it at once — not emulated);
 * - currency is upper-cased, default "USD"; the rate is `options.rate` for every currency but BTC
 *   (rate "1"); BTC amounts are invoice amount / rate rounded up to 8 decimals (BTCPay rounds to
 *   the method's divisibility); paidAmount is rounded to the currency's digits (BTC 8, JPY/KRW… 0,
 *   others 2) and is "0" when nothing was paid (C# Math.Round keeps the scale of a non-zero sum);
 * - `checkout.expirationMinutes` / `monitoringMinutes` must be JSON integers (TimeSpan strings are
 *   refused too); checkout.paymentMethods entries must be strings; methods asked for but not enabled
 *   in the store (BTC-LNURL never is) are silently not offered — if none remain the invoice is still
 *   created with no payment methods;
 * - the `checkout` echo is the request's checkout object overlaid with what ToModel returns
 *   (expirationMinutes, monitoringMinutes, paymentTolerance 0, paymentMethods offered, speedPolicy
 *   "MediumSpeed", defaultPaymentMethod/defaultLanguage/redirectURL null, redirectAutomatically
 *   false when not given); receipt = `{enabled:true, showQR:true, showPayments:true}` overlaid with
 *   the request's receipt (store defaults);
 * - payment-methods: `due` is DueUncapped (negative when overpaid, as ToPaymentMethodModels does);
 *   BTC money as 8-decimal strings; `paymentMethodFee` "0"; on-chain destination `bc1q…`
 *   (42 chars), paymentLink `bitcoin:<addr>?amount=<due>`; Lightning destination a fake BOLT11
 *   `lnbc<n>n1p<200 bech32 chars>` (not decodable), regenerated for the remaining due after a partial
 *   payment; additionalData shapes as BTCPay's with made-up values; with `legacyPaymentMethodIds` the
 *   1.x names `paymentMethod`, `cryptoCode` and `networkFee` are added besides the 2.x ones;
 * - Lightning paid in full delivers InvoiceReceivedPayment, InvoicePaymentSettled, InvoiceSettled
 *   (the brief's sequence). The InvoiceWatcher source sets PaidInFull (→ InvoiceProcessing) before
 *   Confirmed in the same pass, so a real server most likely sends InvoiceProcessing in between:
 *   set `options.lightningProcessingEvent` to get that. A Lightning payment on an Expired invoice is
 *   refused (the BOLT11 expires with the invoice);
 * - a payment on an Expired invoice that covers the amount → PaidLate + InvoicePaidAfterExpiration;
 *   one that does not → PaidPartial and only InvoiceReceivedPayment (InvoiceWatcher logic);
 *   payments on Settled/Invalid invoices only deliver InvoiceReceivedPayment;
 * - InvoicePaidAfterExpiration / InvoiceExpiredPaidPartial carry no extra fields; webhook
 *   `metadata` is the invoice metadata (`{}` when none); legacy mode keeps the 2.x field name
 *   `paymentMethodId` in webhooks (1.x servers are believed to have used `paymentMethod`);
 * - InvoiceCreated is only delivered for API-created invoices when `options.deliverInvoiceCreated`
 *   (default false; asynchronously, like BTCPay); automatic redelivery is not emulated — a failed
 *   delivery (network error → status 0, responseBody = the error message) is just recorded;
 * - ids: invoice/delivery/webhook ids are 22 base58 chars, the default storeId 44 base58 chars, the
 *   default API key 40 hex chars, the default webhook secret 27 base58 chars.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { request } from 'undici';
import { createFailureQueue, readBody, tamperBytes } from './emulator-kit.js';

export type BtcPayStatus = 'New' | 'Processing' | 'Settled' | 'Expired' | 'Invalid';
export type BtcPayAdditionalStatus = 'None' | 'PaidLate' | 'PaidPartial' | 'Marked' | 'Invalid' | 'PaidOver';
export type BtcPayMethodId = 'BTC-CHAIN' | 'BTC-LN';

export interface BtcPayPayment {
  id: string;
  receivedDate: number;
  value: string;
  fee: string;
  status: 'Invalid' | 'Processing' | 'Settled';
  destination: string;
}

export interface BtcPayPaymentMethod {
  paymentMethodId: BtcPayMethodId;
  destination: string;
  /** In BTC, 8 decimals. */
  amount: string;
  rate: string;
  payments: BtcPayPayment[];
  activated: boolean;
}

export interface BtcPayInvoice {
  /** base58-like, 22 chars (e.g. 'HMprBnL9BTXWuPvpoKBS6e'). */
  id: string;
  storeId: string;
  /** Decimal string as created ("5.00" stays "5.00"; a JSON number 5 → "5"). */
  amount: string;
  /** Decimal string, in the invoice currency. */
  paidAmount: string;
  currency: string;
  type: 'Standard';
  /** `${serverUrl}/i/${id}` */
  checkoutLink: string;
  createdTime: number;
  expirationTime: number;
  monitoringExpiration: number;
  status: BtcPayStatus;
  additionalStatus: BtcPayAdditionalStatus;
  metadata: Record<string, unknown>;
  /** Echo of the request's checkout object with defaults filled (payment method ids canonical here; mapped on output). */
  checkout: Record<string, unknown>;
  /** Internal; served only by the payment-methods endpoint or ?includePaymentMethods=true. */
  paymentMethods: BtcPayPaymentMethod[];
}

export interface BtcPayRequest {
  method: string;
  /** Relative to /api/v1 (other paths as received). */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  /** The answer's HTTP status. */
  status: number;
}

export type BtcPayEventType =
  | 'InvoiceCreated'
  | 'InvoiceReceivedPayment'
  | 'InvoicePaymentSettled'
  | 'InvoiceProcessing'
  | 'InvoiceExpired'
  | 'InvoiceSettled'
  | 'InvoiceInvalid'
  | 'InvoicePaidAfterExpiration'
  | 'InvoiceExpiredPaidPartial';

export interface BtcPayDelivery {
  deliveryId: string;
  originalDeliveryId: string;
  /** The bytes put on the wire. */
  body: Buffer;
  /** The receiver's HTTP status; 0 when the request failed (network error). */
  status: number;
  responseBody: string;
}

export interface BtcPayFailure {
  status: number;
  code?: string;
  raw?: string;
  times?: number;
}

export interface BtcPayEmulator {
  /** 'http://127.0.0.1:<port>' — the server root (what a tenant puts in config.base_url); the API is under /api/v1. */
  serverUrl: string;
  storeId: string;
  /** An API key holding every store permission for storeId. */
  apiKey: string;
  /** A new key for the store with only these permissions (e.g. ['btcpay.store.canviewinvoices']). Permission strings may be plain or scoped `perm:<storeId>`. */
  addApiKey(permissions: string[]): string;
  /** The store webhook's secret (deliveries are signed with it). */
  webhookSecret: string;
  /** The store webhook's id (in every delivery). */
  webhookId: string;
  /** Where the store's webhook delivers (like the BTCPay store webhook's URL); null = no webhook configured. */
  webhookUrl: string | null;
  /** Every API request received, in order (auth failures included). */
  requests: BtcPayRequest[];
  invoices: Map<string, BtcPayInvoice>;
  /** Every webhook delivery made (first deliveries and redeliveries), in order. */
  deliveries: BtcPayDelivery[];
  options: {
    /** Payment methods the store has enabled (default both). */
    enabledPaymentMethods: BtcPayMethodId[];
    /** Answer like a 1.x server: emit 'BTC' and 'BTC-LightningNetwork' as paymentMethodId (and in checkout.paymentMethods echo). Default false. */
    legacyPaymentMethodIds: boolean;
    /** BTC price in the invoice currency used to compute the BTC amounts (default "50000"). */
    rate: string;
    /** Lightning paid in full also delivers InvoiceProcessing before InvoiceSettled (likely what a real server does). Default false. */
    lightningProcessingEvent: boolean;
    /** Deliver InvoiceCreated (asynchronously) when an invoice is created through the API. Default false. */
    deliverInvoiceCreated: boolean;
  };

  /** A payment of `amount` (in the invoice currency; default the remaining due) by 'BTC-CHAIN' (default) or 'BTC-LN'. */
  pay(invoiceId: string, opts?: { amount?: string; method?: BtcPayMethodId }): Promise<BtcPayDelivery[]>;
  /** The on-chain payment confirms: Processing → Settled (events InvoicePaymentSettled, InvoiceSettled with overPaid flag). */
  confirm(invoiceId: string): Promise<BtcPayDelivery[]>;
  /** Expiry: New → Expired (InvoiceExpired with partiallyPaid, then InvoiceExpiredPaidPartial if a partial payment came). */
  expire(invoiceId: string): Promise<BtcPayDelivery[]>;
  /** Processing never confirmed → Invalid (InvoiceInvalid, manuallyMarked false). */
  invalidate(invoiceId: string): Promise<BtcPayDelivery[]>;

  /** The exact bytes BTCPay would put on the wire for this event of this invoice now (new deliveryId). */
  webhookBody(invoiceId: string, type: BtcPayEventType): { deliveryId: string; body: Buffer };
  /** POSTs one event to url (default webhookUrl) signed over the exact bytes sent. */
  sendWebhook(
    invoiceId: string,
    type: BtcPayEventType,
    opts?: { url?: string; forge?: boolean; tamper?: boolean; unsigned?: boolean; body?: Buffer },
  ): Promise<BtcPayDelivery>;
  /** Redelivers a past delivery like BTCPay's redeliver (to opts.url, else webhookUrl, else the original URL). */
  redeliver(deliveryId: string, opts?: { url?: string }): Promise<BtcPayDelivery>;
  /** The next call(s) to a path (relative to /api/v1) fail with this HTTP status and a Greenfield error body (or a raw non-JSON body). */
  failNext(path: string, failure: BtcPayFailure): void;
  close(): Promise<void>;
}

/** 'sha256=' + lowercase hex HMAC-SHA256(UTF-8 secret, body). */
export function btcPaySignature(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('hex')}`;
}

/** Money needs more than decimal.js's default 20 significant digits (amounts go up to ulong.MaxValue). */
const D = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -100, toExpPos: 100 });
type Dec = Decimal;

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const MAX_AMOUNT = new D('18446744073709551615'); // ulong.MaxValue (assumption: GreenfieldConstants.MaxAmount)
const SPEED_POLICIES = ['HighSpeed', 'MediumSpeed', 'LowMediumSpeed', 'LowSpeed'];
const CURRENCY_DIGITS: Record<string, number> = { BTC: 8, SATS: 0, JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0 }; // assumption

function randomChars(alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)]!;
  return s;
}
const base58Id = (n = 22) => randomChars(BASE58, n);

/** Permissions.cs PolicyMap (the store and invoice part of it). */
const POLICY_CHILDREN: Record<string, string[]> = {
  'btcpay.store.canmodifystoresettings': [
    'btcpay.store.canmanagepullpayments',
    'btcpay.store.canmodifyinvoices',
    'btcpay.store.canviewstoresettings',
    'btcpay.store.webhooks.canmodifywebhooks',
    'btcpay.store.canmodifypaymentrequests',
    'btcpay.store.canmanagepayouts',
    'btcpay.store.canmodifyofferings',
    'btcpay.store.canuselightningnode',
  ],
  'btcpay.store.canmodifyinvoices': ['btcpay.store.canviewinvoices', 'btcpay.store.cancreateinvoice', 'btcpay.store.cancreatelightninginvoice'],
  'btcpay.store.canviewstoresettings': [
    'btcpay.store.canviewinvoices',
    'btcpay.store.canviewpaymentrequests',
    'btcpay.store.canviewreports',
    'btcpay.store.canviewpullpayments',
    'btcpay.store.canviewpayouts',
  ],
  'btcpay.store.canmanagepullpayments': ['btcpay.store.cancreatepullpayments', 'btcpay.store.canarchivepullpayments'],
  'btcpay.store.cancreatepullpayments': ['btcpay.store.cancreatenonapprovedpullpayments'],
  'btcpay.store.cancreatenonapprovedpullpayments': ['btcpay.store.canviewpullpayments'],
  'btcpay.store.canmodifypaymentrequests': ['btcpay.store.canviewpaymentrequests'],
  'btcpay.store.canmodifyofferings': ['btcpay.store.canviewofferings'],
  'btcpay.store.canuselightningnode': ['btcpay.store.canviewlightninginvoice', 'btcpay.store.cancreatelightninginvoice'],
  'btcpay.store.canmanagepayouts': ['btcpay.store.canviewpayouts'],
};

function policyContains(policy: string, sub: string): boolean {
  if (policy === 'unrestricted' || policy === sub) return true;
  return (POLICY_CHILDREN[policy] ?? []).some((child) => policyContains(child, sub));
}

interface Grant {
  policy: string;
  scope: string | null;
}

function parseGrants(permissions: string[]): Grant[] {
  return permissions.flatMap((p): Grant[] => {
    const s = p.trim();
    const sep = s.indexOf(':');
    if (sep === -1) return [{ policy: s.toLowerCase(), scope: null }];
    const policy = s.slice(0, sep).toLowerCase();
    const scope = s.slice(sep + 1);
    if (!policy.startsWith('btcpay.store') || !scope) return []; // Permission.TryParse drops these
    return [{ policy, scope }];
  });
}

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

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : `HTTP ${status}`);
  }
}

const unauthenticated = () => new ApiError(401, { code: 'unauthenticated', message: 'Authentication is required for accessing this endpoint' });
const missingPermission = (perm: string) =>
  new ApiError(403, {
    code: 'missing-permission',
    message: `Insufficient API Permissions. Please use an API key with permission "${perm}". You can create an API key in your account's settings / Api Keys.`,
    missingPermission: perm,
  });
const invoiceNotFound = () => new ApiError(404, { code: 'invoice-not-found', message: 'The invoice was not found' });
const EMPTY = Symbol('empty body');
const emptyAnswer = (status: number) => new ApiError(status, EMPTY);

interface ValidationError {
  path: string;
  message: string;
}

interface PaymentMeta {
  afterExpiration: boolean;
  method: BtcPayMethodId;
  /** In the invoice currency. */
  currencyValue: Dec;
  /** Arrival order across payment methods. */
  seq: number;
}

interface InvoiceState {
  paid: Dec;
  tolerance: Dec;
  receipt: Record<string, unknown>;
  payments: Map<string, PaymentMeta>;
  keyPath: string;
}

interface LightningDetails {
  paymentHash: string;
  nodeInvoiceId: string;
}

interface StoredDelivery {
  /** The signed (untampered) bytes, what BTCPay keeps as the delivery's request. */
  body: Buffer;
  url: string;
  originalDeliveryId: string;
}

const PERM_CREATE = 'btcpay.store.cancreateinvoice';
const PERM_VIEW = 'btcpay.store.canviewinvoices';

export async function startBtcPayEmulator(
  opts: {
    storeId?: string;
    apiKey?: string;
    webhookSecret?: string;
    webhookUrl?: string | null;
    enabledPaymentMethods?: BtcPayMethodId[];
    legacyPaymentMethodIds?: boolean;
    rate?: string;
    lightningProcessingEvent?: boolean;
    deliverInvoiceCreated?: boolean;
  } = {},
): Promise<BtcPayEmulator> {
  const storeId = opts.storeId ?? base58Id(44);
  const apiKey = opts.apiKey ?? randomBytes(20).toString('hex');
  const webhookSecret = opts.webhookSecret ?? base58Id(27);
  const webhookId = base58Id();
  const keys = new Map<string, Grant[]>([[apiKey, parseGrants(['btcpay.store.canmodifystoresettings'])]]);
  const requests: BtcPayRequest[] = [];
  const invoices = new Map<string, BtcPayInvoice>();
  const states = new Map<string, InvoiceState>();
  const lightning = new Map<string, LightningDetails>(); // by BOLT11
  const deliveries: BtcPayDelivery[] = [];
  const stored = new Map<string, StoredDelivery>();
  const failures = createFailureQueue<Omit<BtcPayFailure, 'times'>>();
  const background = new Set<Promise<unknown>>();
  const nodeInfo = `03${randomBytes(32).toString('hex')}@127.0.0.1:9735`;
  let nextKeyIndex = 0;
  let lastCreated = 0;

  // ---------------------------------------------------------------- auth

  function keyFrom(req: http.IncomingMessage): Grant[] {
    const h = req.headers.authorization;
    const m = typeof h === 'string' ? /^token\s+(\S+)\s*$/i.exec(h) : null;
    const grants = m ? keys.get(m[1]!) : undefined;
    if (!grants) throw unauthenticated();
    return grants;
  }

  function may(grants: Grant[], perm: string, store: string): boolean {
    return grants.some((g) => policyContains(g.policy, perm) && (g.scope === null || g.scope === store));
  }

  function authorize(grants: Grant[], perm: string, store: string): void {
    // assumption: a store this server does not have answers like one the key cannot see
    if (store !== storeId || !may(grants, perm, store)) throw missingPermission(perm);
  }

  // ---------------------------------------------------------------- money & formats

  const rateFor = (currency: string): string => (currency === 'BTC' ? '1' : emu.options.rate);
  const digitsFor = (currency: string): number => CURRENCY_DIGITS[currency] ?? 2;
  const btc = (d: Dec): string => d.toFixed(8);
  const methodName = (id: string): string => (emu.options.legacyPaymentMethodIds ? (LEGACY_NAMES[id] ?? id) : id);

  function formatPaid(inv: BtcPayInvoice, paid: Dec): string {
    return paid.isZero() ? '0' : paid.toFixed(digitsFor(inv.currency));
  }

  function totalPaidBtc(inv: BtcPayInvoice): Dec {
    return inv.paymentMethods.reduce((sum, pm) => pm.payments.reduce((s, p) => (p.status === 'Invalid' ? s : s.add(p.value)), sum), new D(0));
  }

  function methodPaidBtc(pm: BtcPayPaymentMethod): Dec {
    return pm.payments.reduce((s, p) => (p.status === 'Invalid' ? s : s.add(p.value)), new D(0));
  }

  function onchainAddress(): string {
    return `bc1q${randomChars(BECH32, 38)}`;
  }

  function bolt11(amountBtc: Dec): string {
    const nano = amountBtc.mul(1e9).toDecimalPlaces(0, Decimal.ROUND_UP);
    const invoice = `lnbc${nano.isZero() ? '' : `${nano.toFixed(0)}n`}1p${randomChars(BECH32, 200)}`;
    lightning.set(invoice, { paymentHash: createHash('sha256').update(randomBytes(32)).digest('hex'), nodeInvoiceId: randomBytes(16).toString('hex') });
    return invoice;
  }

  function makeMethod(id: BtcPayMethodId, amountBtc: Dec, rate: string): BtcPayPaymentMethod {
    return { paymentMethodId: id, destination: id === 'BTC-CHAIN' ? onchainAddress() : bolt11(amountBtc), amount: btc(amountBtc), rate, payments: [], activated: true };
  }

  // ---------------------------------------------------------------- create

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

  function createInvoice(body: unknown): BtcPayInvoice {
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

    const enabled = emu.options.enabledPaymentMethods;
    // assumption: asked-for methods the store has not enabled are silently left out
    const offered: BtcPayMethodId[] = requested
      ? (requested.filter((id) => id !== 'BTC-LNURL' && enabled.includes(id)) as BtcPayMethodId[])
      : [...new Set(enabled)];

    const now = Math.max(Math.floor(Date.now() / 1000), lastCreated);
    lastCreated = now;
    const expirationMinutes = expiration ?? 15;
    const monitoringMinutes = monitoring ?? 1440;
    const rate = rateFor(currency);
    const amountBtc = new D(amount).div(rate).toDecimalPlaces(8, Decimal.ROUND_UP);
    const id = base58Id();
    const inv: BtcPayInvoice = {
      id,
      storeId,
      amount,
      paidAmount: '0',
      currency,
      type: 'Standard',
      checkoutLink: `${serverUrl}/i/${id}`,
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
      paymentMethods: offered.map((m) => makeMethod(m, amountBtc, rate)),
    };
    invoices.set(id, inv);
    states.set(id, {
      paid: new D(0),
      tolerance,
      receipt: { enabled: true, showQR: true, showPayments: true, ...receipt },
      payments: new Map(),
      keyPath: `0/${nextKeyIndex++}`,
    });
    return inv;
  }

  // ---------------------------------------------------------------- answers

  function availableStatuses(inv: BtcPayInvoice): BtcPayStatus[] {
    // InvoiceState.CanMarkComplete / CanMarkInvalid (no manual marking here, so never Marked)
    const out: BtcPayStatus[] = [];
    if (['New', 'Processing', 'Expired', 'Invalid'].includes(inv.status)) out.push('Settled');
    if (['New', 'Processing', 'Expired'].includes(inv.status)) out.push('Invalid');
    return out;
  }

  function paymentModel(p: BtcPayPayment): Record<string, unknown> {
    return { id: p.id, receivedDate: p.receivedDate, value: p.value, fee: p.fee, status: p.status, destination: p.destination };
  }

  function paymentMethodModels(inv: BtcPayInvoice): Array<Record<string, unknown>> {
    const st = states.get(inv.id);
    const total = totalPaidBtc(inv);
    return inv.paymentMethods.map((pm) => {
      const amount = new D(pm.amount);
      const due = amount.sub(total);
      const legacy = emu.options.legacyPaymentMethodIds;
      let paymentLink: string;
      let additionalData: Record<string, unknown>;
      if (pm.paymentMethodId === 'BTC-LN') {
        const ln = lightning.get(pm.destination);
        paymentLink = pm.activated ? `lightning:${pm.destination.toLowerCase()}` : '';
        additionalData = { paymentHash: ln?.paymentHash ?? null, preimage: null, invoiceId: ln?.nodeInvoiceId ?? null, nodeInfo };
      } else {
        paymentLink = !pm.activated ? '' : due.gt(0) ? `bitcoin:${pm.destination}?amount=${due.toFixed()}` : `bitcoin:${pm.destination}`;
        additionalData = { keyPath: st?.keyPath ?? null, payjoinEnabled: false, accountDerivation: null, recommendedFeeRate: 1, paymentMethodFeeRate: 1 };
      }
      return {
        paymentMethodId: methodName(pm.paymentMethodId),
        ...(legacy ? { paymentMethod: methodName(pm.paymentMethodId), cryptoCode: 'BTC' } : {}),
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

  function invoiceModel(inv: BtcPayInvoice, withPaymentMethods: boolean): Record<string, unknown> {
    const st = states.get(inv.id);
    const checkout = { ...inv.checkout };
    if (Array.isArray(checkout.paymentMethods)) checkout.paymentMethods = (checkout.paymentMethods as string[]).map(methodName);
    if (typeof checkout.defaultPaymentMethod === 'string') checkout.defaultPaymentMethod = methodName(checkout.defaultPaymentMethod);
    return {
      id: inv.id,
      storeId: inv.storeId,
      amount: inv.amount,
      paidAmount: inv.paidAmount,
      currency: inv.currency,
      type: inv.type,
      checkoutLink: inv.checkoutLink,
      createdTime: inv.createdTime,
      expirationTime: inv.expirationTime,
      monitoringExpiration: inv.monitoringExpiration,
      status: inv.status,
      additionalStatus: inv.additionalStatus,
      availableStatusesForManualMarking: availableStatuses(inv),
      archived: false,
      metadata: inv.metadata,
      checkout,
      receipt: st?.receipt ?? { enabled: true, showQR: true, showPayments: true },
      ...(withPaymentMethods ? { paymentMethods: paymentMethodModels(inv) } : {}),
    };
  }

  function listInvoices(q: URLSearchParams): unknown[] {
    const errors: ValidationError[] = [];
    const int = (name: string): number | undefined => {
      const v = q.get(name);
      if (v === null || v === '') return undefined;
      if (!/^-?\d+$/.test(v.trim())) {
        errors.push({ path: name, message: `The value '${v}' is not valid.` });
        return undefined;
      }
      return Number(v);
    };
    const skip = int('skip');
    const take = int('take');
    const startDate = int('startDate');
    const endDate = int('endDate');
    if (startDate !== undefined && endDate !== undefined && startDate > endDate) {
      errors.push({ path: 'startDate', message: 'startDate should not be above endDate' }, { path: 'endDate', message: 'endDate should not be below startDate' });
    }
    if (errors.length) throw new ApiError(422, errors);
    const orderIds = q.getAll('orderId');
    const statuses = q.getAll('status').map((s) => s.toLowerCase());
    const text = q.get('textSearch')?.toLowerCase();
    const withPms = q.get('includePaymentMethods')?.toLowerCase() === 'true';
    const all = [...invoices.values()].map((inv, i) => ({ inv, i }));
    all.sort((a, b) => b.inv.createdTime - a.inv.createdTime || b.i - a.i);
    let found = all
      .map((x) => x.inv)
      .filter((inv) => inv.storeId === storeId)
      .filter((inv) => orderIds.length === 0 || orderIds.includes(String(inv.metadata.orderId ?? '')))
      .filter((inv) => statuses.length === 0 || statuses.includes(inv.status.toLowerCase()))
      .filter((inv) => startDate === undefined || inv.createdTime >= startDate)
      .filter((inv) => endDate === undefined || inv.createdTime <= endDate)
      .filter((inv) => !text || inv.id.toLowerCase().includes(text) || JSON.stringify(inv.metadata).toLowerCase().includes(text));
    if (skip !== undefined && skip > 0) found = found.slice(skip);
    if (take !== undefined && take >= 0) found = found.slice(0, take);
    return found.map((inv) => invoiceModel(inv, withPms));
  }

  // ---------------------------------------------------------------- routing

  type Route = { kind: 'create' | 'list' | 'get' | 'payment-methods'; store: string | null; invoiceId: string | null };

  function matchRoute(method: string, path: string): Route {
    const seg = path.split('/').slice(1);
    let route: Omit<Route, 'kind'> & { kinds: Partial<Record<string, Route['kind']>> } | null = null;
    const dec = (s: string) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    };
    if (seg[0] === 'stores' && seg[1] && seg[2] === 'invoices') {
      const store = dec(seg[1]);
      if (seg.length === 3) route = { store, invoiceId: null, kinds: { POST: 'create', GET: 'list' } };
      else if (seg.length === 4 && seg[3]) route = { store, invoiceId: dec(seg[3]), kinds: { GET: 'get' } };
      else if (seg.length === 5 && seg[3] && seg[4] === 'payment-methods') route = { store, invoiceId: dec(seg[3]), kinds: { GET: 'payment-methods' } };
    } else if (seg[0] === 'invoices' && seg[1]) {
      if (seg.length === 2) route = { store: null, invoiceId: dec(seg[1]), kinds: { GET: 'get' } };
      else if (seg.length === 3 && seg[2] === 'payment-methods') route = { store: null, invoiceId: dec(seg[1]), kinds: { GET: 'payment-methods' } };
    }
    if (!route) throw emptyAnswer(404); // assumption: ASP.NET's bare 404
    const kind = route.kinds[method];
    if (!kind) throw emptyAnswer(405);
    return { kind, store: route.store, invoiceId: route.invoiceId };
  }

  function handle(method: string, path: string, query: URLSearchParams, req: http.IncomingMessage, body: unknown, bodyError: boolean): unknown {
    const route = matchRoute(method, path);
    const grants = keyFrom(req);
    const perm = route.kind === 'create' ? PERM_CREATE : PERM_VIEW;
    let inv: BtcPayInvoice | undefined;
    if (route.store !== null) {
      authorize(grants, perm, route.store);
      if (route.invoiceId !== null) {
        inv = invoices.get(route.invoiceId);
        if (!inv || inv.storeId !== route.store) throw invoiceNotFound();
      }
    } else {
      inv = invoices.get(route.invoiceId!);
      if (!inv) {
        if (!may(grants, perm, storeId)) throw missingPermission(perm); // assumption
        throw invoiceNotFound();
      }
      authorize(grants, perm, inv.storeId);
    }
    const failure = failures.take(path);
    if (failure) throw failureAnswer(failure);
    const withPms = query.get('includePaymentMethods')?.toLowerCase() === 'true';
    switch (route.kind) {
      case 'create': {
        if (bodyError) throw new ApiError(400, { code: 'invalid-json', message: 'The request body is not valid JSON' }); // assumption
        const created = createInvoice(body);
        if (emu.options.deliverInvoiceCreated && emu.webhookUrl) {
          const url = emu.webhookUrl;
          const p = new Promise<void>((r) => setImmediate(r)).then(() => deliverEvent(url, buildEvent(created, 'InvoiceCreated'))).catch(() => undefined);
          background.add(p);
          void p.finally(() => background.delete(p));
        }
        return invoiceModel(created, withPms);
      }
      case 'list':
        return listInvoices(query);
      case 'get':
        return invoiceModel(inv!, withPms);
      case 'payment-methods':
        return paymentMethodModels(inv!);
    }
  }

  function failureAnswer(f: Omit<BtcPayFailure, 'times'>): ApiError {
    if (f.raw !== undefined) return new ApiError(f.status, { raw: f.raw });
    const code = f.code ?? (f.status === 401 ? 'unauthenticated' : f.status === 404 ? 'not-found' : f.status >= 500 ? 'server-error' : 'generic-error');
    return new ApiError(f.status, { code, message: 'injected failure' });
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const prefix = '/api/v1';
      const inApi = url.pathname === prefix || url.pathname.startsWith(`${prefix}/`);
      const path = inApi ? url.pathname.slice(prefix.length) || '/' : url.pathname;
      const method = req.method ?? 'GET';
      const entry: BtcPayRequest = { method, path, headers: { ...req.headers }, body: undefined, status: 0 };
      requests.push(entry);
      let status = 200;
      let text = '';
      let contentType: string | null = 'application/json; charset=utf-8';
      try {
        const raw = await readBody(req, () => emptyAnswer(413));
        let bodyError = false;
        if (raw.length) {
          const s = raw.toString('utf8');
          try {
            entry.body = JSON.parse(s);
          } catch {
            entry.body = s;
            bodyError = true;
          }
        }
        if (!inApi) {
          const m = /^\/i\/([^/]+)$/.exec(url.pathname);
          const inv = m && method === 'GET' ? invoices.get(m[1]!) : undefined;
          if (!inv) throw emptyAnswer(404);
          contentType = 'text/html; charset=utf-8';
          text = `<!doctype html><title>Checkout</title><p>Invoice ${inv.id}: ${inv.amount} ${inv.currency} (${inv.status})</p>`;
        } else {
          text = JSON.stringify(handle(method, path, url.searchParams, req, entry.body, bodyError));
        }
      } catch (err) {
        const e = err instanceof ApiError ? err : new ApiError(500, { code: 'server-error', message: (err as Error).message });
        status = e.status;
        if (e.body === EMPTY) {
          text = '';
          contentType = null;
        } else if (typeof e.body === 'object' && e.body !== null && 'raw' in e.body) {
          text = String((e.body as { raw: unknown }).raw);
          contentType = 'text/html';
        } else {
          text = JSON.stringify(e.body);
        }
      }
      entry.status = status;
      res.writeHead(status, contentType ? { 'content-type': contentType } : {});
      res.end(text);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const serverUrl = `http://127.0.0.1:${port}`;

  // ---------------------------------------------------------------- webhooks

  function find(id: string): { inv: BtcPayInvoice; st: InvoiceState } {
    const inv = invoices.get(id);
    const st = states.get(id);
    if (!inv || !st) throw new Error(`no BTCPay invoice ${id}`);
    return { inv, st };
  }

  function lastPayment(inv: BtcPayInvoice, settledOnly: boolean): BtcPayPayment | undefined {
    const st = states.get(inv.id);
    const seq = (p: BtcPayPayment) => st?.payments.get(p.id)?.seq ?? 0;
    const all = inv.paymentMethods.flatMap((pm) => pm.payments).filter((p) => !settledOnly || p.status === 'Settled');
    return all.sort((a, b) => seq(a) - seq(b)).at(-1);
  }

  /** The event object in WebhookInvoice*Event property order: type-specific fields first. */
  function buildEvent(inv: BtcPayInvoice, type: BtcPayEventType, payment?: BtcPayPayment, timestamp = Math.floor(Date.now() / 1000)): Record<string, unknown> {
    const st = states.get(inv.id);
    const head: Record<string, unknown> = {};
    switch (type) {
      case 'InvoiceSettled':
        head.manuallyMarked = false;
        head.overPaid = inv.additionalStatus === 'PaidOver';
        break;
      case 'InvoiceInvalid':
        head.manuallyMarked = false;
        break;
      case 'InvoiceProcessing':
        head.overPaid = inv.additionalStatus === 'PaidOver';
        break;
      case 'InvoiceExpired':
        head.partiallyPaid = inv.additionalStatus === 'PaidPartial';
        break;
      case 'InvoiceReceivedPayment':
      case 'InvoicePaymentSettled': {
        const p = payment ?? lastPayment(inv, type === 'InvoicePaymentSettled') ?? lastPayment(inv, false);
        if (!p) throw new Error(`BTCPay invoice ${inv.id} has no payment: call pay() first`);
        const meta = st?.payments.get(p.id);
        const pm = meta?.method ?? inv.paymentMethods.find((m) => m.payments.includes(p))?.paymentMethodId ?? 'BTC-CHAIN';
        head.afterExpiration = meta?.afterExpiration ?? false;
        head.paymentMethodId = methodName(pm);
        head.payment = paymentModel(p);
        break;
      }
      default:
        break; // InvoiceCreated, InvoicePaidAfterExpiration, InvoiceExpiredPaidPartial: none (assumption for the last two)
    }
    const deliveryId = base58Id();
    return {
      ...head,
      deliveryId,
      webhookId,
      originalDeliveryId: deliveryId,
      isRedelivery: false,
      type,
      timestamp,
      storeId: inv.storeId,
      invoiceId: inv.id,
      metadata: inv.metadata,
    };
  }

  const toBytes = (evt: unknown): Buffer => Buffer.from(JSON.stringify(evt, null, 2), 'utf8');

  async function post(
    url: string,
    signed: Buffer,
    ids: { deliveryId: string; originalDeliveryId: string },
    o: { forge?: boolean; tamper?: boolean; unsigned?: boolean } = {},
  ): Promise<BtcPayDelivery> {
    const secret = o.forge ? base58Id(27) : webhookSecret;
    const wire = o.tamper ? tamperBytes(signed) : signed;
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (!o.unsigned) headers['BTCPay-Sig'] = btcPaySignature(secret, signed);
    stored.set(ids.deliveryId, { body: signed, url, originalDeliveryId: ids.originalDeliveryId });
    let status = 0;
    let responseBody = '';
    try {
      const res = await request(url, { method: 'POST', headers, body: wire });
      status = res.statusCode;
      responseBody = await res.body.text();
    } catch (err) {
      responseBody = (err as Error).message; // BTCPay records the delivery as Failed
    }
    const delivery: BtcPayDelivery = { ...ids, body: wire, status, responseBody };
    deliveries.push(delivery);
    return delivery;
  }

  function deliverEvent(url: string, evt: Record<string, unknown>): Promise<BtcPayDelivery> {
    return post(url, toBytes(evt), { deliveryId: evt.deliveryId as string, originalDeliveryId: evt.originalDeliveryId as string });
  }

  /** Delivers the events of one state change in order, each awaited. */
  async function deliverAll(events: Array<Record<string, unknown>>): Promise<BtcPayDelivery[]> {
    const out: BtcPayDelivery[] = [];
    for (const evt of events) {
      const url = emu.webhookUrl;
      if (!url) break;
      out.push(await deliverEvent(url, evt));
    }
    return out;
  }

  function webhookBody(invoiceId: string, type: BtcPayEventType): { deliveryId: string; body: Buffer } {
    const evt = buildEvent(find(invoiceId).inv, type);
    return { deliveryId: evt.deliveryId as string, body: toBytes(evt) };
  }

  async function sendWebhook(
    invoiceId: string,
    type: BtcPayEventType,
    o: { url?: string; forge?: boolean; tamper?: boolean; unsigned?: boolean; body?: Buffer } = {},
  ): Promise<BtcPayDelivery> {
    const url = o.url ?? emu.webhookUrl;
    if (!url) throw new Error('no webhook URL: pass opts.url or set webhookUrl');
    const made = webhookBody(invoiceId, type);
    let ids = { deliveryId: made.deliveryId, originalDeliveryId: made.deliveryId };
    if (o.body) {
      try {
        const parsed = JSON.parse(o.body.toString('utf8')) as Record<string, unknown>;
        if (typeof parsed.deliveryId === 'string') {
          ids = { deliveryId: parsed.deliveryId, originalDeliveryId: typeof parsed.originalDeliveryId === 'string' ? parsed.originalDeliveryId : parsed.deliveryId };
        }
      } catch {
        // not JSON: keep the generated ids
      }
    }
    return post(url, o.body ?? made.body, ids, o);
  }

  async function redeliver(deliveryId: string, o: { url?: string } = {}): Promise<BtcPayDelivery> {
    const past = stored.get(deliveryId);
    if (!past) throw new Error(`no BTCPay webhook delivery ${deliveryId}`);
    const url = o.url ?? emu.webhookUrl ?? past.url;
    const newId = base58Id();
    let old: unknown;
    try {
      old = JSON.parse(past.body.toString('utf8'));
    } catch {
      old = undefined;
    }
    if (typeof old !== 'object' || old === null || Array.isArray(old)) {
      return post(url, past.body, { deliveryId: newId, originalDeliveryId: past.originalDeliveryId });
    }
    // ReadRequestAs<WebhookEvent>: declared properties first, everything else ([JsonExtensionData]) after, in order.
    const { deliveryId: _d, webhookId: _w, originalDeliveryId, isRedelivery: _r, type, timestamp, ...rest } = old as Record<string, unknown>;
    const original = typeof originalDeliveryId === 'string' ? originalDeliveryId : deliveryId;
    const evt = { deliveryId: newId, webhookId, originalDeliveryId: original, isRedelivery: true, type, timestamp, ...rest };
    return post(url, toBytes(evt), { deliveryId: newId, originalDeliveryId: original });
  }

  // ---------------------------------------------------------------- state drivers

  function minimumDue(inv: BtcPayInvoice, st: InvoiceState): Dec {
    return new D(inv.amount).mul(new D(100).sub(st.tolerance)).div(100);
  }

  function settledPaid(inv: BtcPayInvoice, st: InvoiceState): Dec {
    let sum = new D(0);
    for (const pm of inv.paymentMethods) for (const p of pm.payments) if (p.status === 'Settled') sum = sum.add(st.payments.get(p.id)?.currencyValue ?? 0);
    return sum;
  }

  async function pay(invoiceId: string, o: { amount?: string; method?: BtcPayMethodId } = {}): Promise<BtcPayDelivery[]> {
    const { inv, st } = find(invoiceId);
    const method = o.method ?? 'BTC-CHAIN';
    const pm = inv.paymentMethods.find((m) => m.paymentMethodId === method);
    if (!pm) throw new Error(`BTCPay invoice ${invoiceId} does not offer ${method}`);
    if (method === 'BTC-LN' && inv.status === 'Expired') throw new Error(`BTCPay invoice ${invoiceId} is expired: its BOLT11 cannot be paid any more`);
    const remaining = new D(inv.amount).sub(st.paid);
    const value = o.amount !== undefined ? new D(o.amount) : remaining;
    if (!value.gt(0)) throw new Error(`nothing due on BTCPay invoice ${invoiceId}: pass an amount`);
    const btcDue = new D(pm.amount).sub(totalPaidBtc(inv));
    const btcValue = value.eq(remaining) && btcDue.gt(0) ? btcDue : value.div(pm.rate).toDecimalPlaces(8, Decimal.ROUND_HALF_UP);
    if (!btcValue.gt(0)) throw new Error(`payment of ${value.toFixed()} ${inv.currency} is below one satoshi`);

    const onchain = method === 'BTC-CHAIN';
    const payment: BtcPayPayment = {
      id: onchain ? `${randomBytes(32).toString('hex')}-${randomInt(4)}` : (lightning.get(pm.destination)?.paymentHash ?? randomBytes(32).toString('hex')),
      receivedDate: Math.floor(Date.now() / 1000),
      value: btc(btcValue),
      fee: btc(new D(0)),
      status: onchain ? 'Processing' : 'Settled',
      destination: pm.destination,
    };
    const afterExpiration = inv.status === 'Expired';
    pm.payments.push(payment);
    st.payments.set(payment.id, { afterExpiration, method, currencyValue: value, seq: st.payments.size });
    st.paid = st.paid.add(value);
    inv.paidAmount = formatPaid(inv, st.paid);

    const events: Array<Record<string, unknown>> = [buildEvent(inv, 'InvoiceReceivedPayment', payment)];
    if (!onchain) events.push(buildEvent(inv, 'InvoicePaymentSettled', payment));

    // InvoiceWatcher.UpdateInvoice
    const full = st.paid.gte(minimumDue(inv, st));
    const over = st.paid.gt(inv.amount);
    if (inv.status === 'New') {
      if (full) {
        inv.status = 'Processing';
        inv.additionalStatus = over ? 'PaidOver' : 'None';
        const settles = settledPaid(inv, st).gte(minimumDue(inv, st));
        if (!settles || emu.options.lightningProcessingEvent) events.push(buildEvent(inv, 'InvoiceProcessing'));
        if (settles) {
          inv.status = 'Settled';
          events.push(buildEvent(inv, 'InvoiceSettled'));
        }
      } else {
        inv.additionalStatus = 'PaidPartial';
      }
    } else if (inv.status === 'Expired') {
      if (full) {
        if (inv.additionalStatus !== 'PaidLate') {
          inv.additionalStatus = 'PaidLate';
          events.push(buildEvent(inv, 'InvoicePaidAfterExpiration'));
        }
      } else {
        inv.additionalStatus = 'PaidPartial';
      }
    } else if (inv.status === 'Processing') {
      inv.additionalStatus = over ? 'PaidOver' : 'None';
      if (settledPaid(inv, st).gte(minimumDue(inv, st))) {
        inv.status = 'Settled';
        events.push(buildEvent(inv, 'InvoiceSettled'));
      }
    }

    // A partial payment: the Lightning invoice is replaced by one for what is still due (assumption).
    if (inv.status === 'New') {
      const ln = inv.paymentMethods.find((m) => m.paymentMethodId === 'BTC-LN');
      const due = ln ? new D(ln.amount).sub(totalPaidBtc(inv)) : new D(0);
      if (ln && due.gt(0)) ln.destination = bolt11(due);
    }
    return deliverAll(events);
  }

  async function confirm(invoiceId: string): Promise<BtcPayDelivery[]> {
    const { inv, st } = find(invoiceId);
    const events: Array<Record<string, unknown>> = [];
    for (const pm of inv.paymentMethods) {
      for (const p of pm.payments) {
        if (p.status !== 'Processing') continue;
        p.status = 'Settled';
        events.push(buildEvent(inv, 'InvoicePaymentSettled', p));
      }
    }
    if (inv.status === 'Processing' && settledPaid(inv, st).gte(minimumDue(inv, st))) {
      inv.status = 'Settled';
      events.push(buildEvent(inv, 'InvoiceSettled'));
    }
    if (events.length === 0) throw new Error(`BTCPay invoice ${invoiceId} has no unconfirmed payment (status ${inv.status})`);
    return deliverAll(events);
  }

  async function expire(invoiceId: string): Promise<BtcPayDelivery[]> {
    const { inv } = find(invoiceId);
    if (inv.status !== 'New') throw new Error(`BTCPay invoice ${invoiceId} is ${inv.status}: only New invoices expire`);
    inv.status = 'Expired';
    const events = [buildEvent(inv, 'InvoiceExpired')];
    if (inv.additionalStatus === 'PaidPartial') events.push(buildEvent(inv, 'InvoiceExpiredPaidPartial'));
    return deliverAll(events);
  }

  async function invalidate(invoiceId: string): Promise<BtcPayDelivery[]> {
    const { inv } = find(invoiceId);
    if (inv.status !== 'Processing') throw new Error(`BTCPay invoice ${invoiceId} is ${inv.status}: only Processing invoices fail to confirm`);
    inv.status = 'Invalid';
    return deliverAll([buildEvent(inv, 'InvoiceInvalid')]);
  }

  function addApiKey(permissions: string[]): string {
    const key = randomBytes(20).toString('hex');
    keys.set(key, parseGrants(permissions));
    return key;
  }

  function failNext(path: string, failure: BtcPayFailure): void {
    const { times, ...rest } = failure;
    failures.add(path, rest, times ?? 1);
  }

  const emu: BtcPayEmulator = {
    serverUrl,
    storeId,
    apiKey,
    addApiKey,
    webhookSecret,
    webhookId,
    webhookUrl: opts.webhookUrl ?? null,
    requests,
    invoices,
    deliveries,
    options: {
      enabledPaymentMethods: opts.enabledPaymentMethods ?? ['BTC-CHAIN', 'BTC-LN'],
      legacyPaymentMethodIds: opts.legacyPaymentMethodIds ?? false,
      rate: opts.rate ?? '50000',
      lightningProcessingEvent: opts.lightningProcessingEvent ?? false,
      deliverInvoiceCreated: opts.deliverInvoiceCreated ?? false,
    },
    pay,
    confirm,
    expire,
    invalidate,
    webhookBody,
    sendWebhook,
    redeliver,
    failNext,
    close: async () => {
      await Promise.allSettled([...background]);
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      });
    },
  };
  return emu;
}
