/**
 * Loopback emulator of Telegram Wallet Pay's Store API v1 (https://pay.wallet.tg), after its
 * documentation and its signature example (test/vectors); what the documentation leaves uncertain
 * is marked [uncertain], and the important ones can be changed through `startWalletPayEmulator` options.
 *
 * Endpoints (all under `${baseUrl}/wpay/store-api/v1`, header `Wpay-Store-Api-Key` required):
 *   POST /order                                  create (SUCCESS | ALREADY | CONFLICT | INVALID_REQUEST)
 *   GET  /order/preview?id=<id>                  OrderPreview
 *   GET  /reconciliation/order-list?offset&count OrderReconciliationItem list, creation order
 *   GET  /reconciliation/order-amount            {"totalAmount": <count of orders>}
 * Every answer is `application/json` with the envelope `{"status","message","data"?}`,
 * except an injected `failNext({ raw })` answer, which is sent as text/plain on purpose.
 *
 * Webhooks: a compact JSON array of one message, signed with
 * base64(HMAC-SHA256(apiKey, `${METHOD}.${URI_PATH}.${timestamp}.${base64(body)}`)) over exactly
 * the bytes put on the wire.
 */
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createFailureQueue, stopServer, variantSwitches, type InvoiceLookup, type RecordedRequest, type UpstreamEmulator } from './emulator-kit.js';

export type WalletPayCurrency = 'TON' | 'BTC' | 'USDT' | 'EUR' | 'USD' | 'RUB' | 'NOT';
export type WalletPayOrderStatus = 'ACTIVE' | 'EXPIRED' | 'PAID' | 'CANCELLED';

export interface WalletPayMoney {
  currencyCode: string;
  amount: string;
}

export interface WalletPayPaymentOption {
  amount: WalletPayMoney;
  amountFee: WalletPayMoney;
  amountNet: WalletPayMoney;
  exchangeRate: string;
}

export interface WalletPayOrder {
  // --- OrderPreview wire shape ---
  /** int64, emitted as a JSON number (kept below 2^53). */
  id: number;
  status: WalletPayOrderStatus;
  /** Short code, e.g. "XYTNJP2O". */
  number: string;
  amount: WalletPayMoney;
  autoConversionCurrency?: string;
  /** ISO-8601 UTC with microseconds. */
  createdDateTime: string;
  expirationDateTime: string;
  completedDateTime?: string;
  payLink: string;
  directPayLink: string;
  // --- what the emulator also keeps ---
  externalId: string;
  customerTelegramUserId: number;
  description: string;
  customData?: string;
  returnUrl?: string;
  failReturnUrl?: string;
  timeoutSeconds: number;
  selectedPaymentOption?: WalletPayPaymentOption;
}

export interface WalletPayRequest extends RecordedRequest {
  /** Pathname only, without the query string. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON when the body is JSON, the raw text when it is not, undefined when empty. */
  body: unknown;
}

export type WalletPayEndpoint = 'order' | 'preview' | 'order-list';

export interface WalletPayFailure {
  httpStatus: number;
  status?: string;
  message?: string;
  /** Sent verbatim (text/plain) instead of a JSON envelope, e.g. a proxy's 429 page. */
  raw?: string;
  /** How many consecutive calls fail (default 1). */
  times?: number;
}

export interface WalletPayEmulator extends UpstreamEmulator {
  baseUrl: string;
  apiKey: string;
  requests: WalletPayRequest[];
  orders: Map<number, WalletPayOrder>;
  pay(orderId: number, opts?: { paidCurrency?: string; paidAmount?: string; fee?: string }): WalletPayOrder;
  expire(orderId: number): WalletPayOrder;
  /** The exact bytes of a webhook body (compact JSON ARRAY of one message): ORDER_PAID for a paid order, ORDER_FAILED (payload.status EXPIRED) for an expired one, unless `type` says otherwise; eventId unique per (order, type). */
  webhookBody(orderId: number, opts?: { type?: 'ORDER_PAID' | 'ORDER_FAILED'; eventId?: number }): Buffer;
  /** POSTs it to url with headers WalletPay-Timestamp and WalletPay-Signature as documented, where URI_PATH is `signPath` if given (the path the upstream believes it calls, e.g. behind a reverse proxy) else the url's own pathname; variants: forged (other key), tampered (one body byte changed after signing), unsigned (no signature header), timestamp override. Resolves with the answer. */
  sendWebhook(
    orderId: number,
    url: string,
    opts?: {
      type?: 'ORDER_PAID' | 'ORDER_FAILED';
      signPath?: string;
      forge?: boolean;
      tamper?: boolean;
      unsigned?: boolean;
      timestamp?: string;
      body?: Buffer;
    },
  ): Promise<{ status: number; body: string }>;
  /** The next call(s) to an endpoint ('order' | 'preview' | 'order-list') answer with this HTTP status and envelope status (e.g. 500 INTERNAL_ERROR, 429 with a non-JSON body when raw is set, 200 CONFLICT). */
  failNext(endpoint: WalletPayEndpoint, failure: WalletPayFailure): void;
}

/** An HTTP status plus envelope for a rejection whose exact shape the upstream does not document. */
export interface WalletPayRejection {
  httpStatus: number;
  status: string;
  message: string;
}

export interface WalletPayEmulatorOptions {
  apiKey?: string;
  /**
   * [uncertain] the documentation has "401 Invalid API key" but not the envelope status that goes
   * with it. Default: 401 `{"status":"ACCESS_DENIED","message":"Invalid API key"}`.
   */
  invalidKey?: WalletPayRejection;
  /**
   * [uncertain] The HTTP status that accompanies ALREADY and CONFLICT is not documented.
   * Default 200 for both (SDKs read the envelope status).
   */
  alreadyHttpStatus?: number;
  conflictHttpStatus?: number;
  /**
   * [uncertain] What preview answers for an unknown id. Default: 404
   * `{"status":"INVALID_REQUEST","message":"Order not found"}` (404 is in the documented error table; the
   * preview status enum has no NOT_FOUND).
   */
  orderNotFound?: WalletPayRejection;
  /**
   * [uncertain] OpenAPI declares OrderPreview.id a string while every example sends a JSON
   * number. Default 'number'.
   */
  idType?: 'number' | 'string';
  /**
   * [uncertain] The WalletPay-Timestamp value is documented as "nano time" but the docs'
   * example has 15 digits. Default: current epoch nanoseconds (19 digits).
   */
  timestamp?: () => string;
}

const API_PREFIX = '/wpay/store-api/v1';
const FIRST_ORDER_ID = 2_703_383_946_854_401; // the docs' example id; +n stays far below 2^53
const FIRST_EVENT_ID = 3_703_383_946_854_401;
const MAX_BODY = 1024 * 1024;

/** Decimal places allowed per currency (NOT from the SDK, 9 like TON). */
const PRECISION: Record<WalletPayCurrency, number> = { TON: 9, BTC: 8, USDT: 6, NOT: 9, USD: 2, EUR: 2, RUB: 2 };
/**
 * Minimum order amount per currency. NOT has no published minimum [uncertain]: the emulator
 * only requires it to be positive.
 */
const MINIMUM: Record<WalletPayCurrency, string> = {
  TON: '0.001',
  BTC: '0.000001',
  USDT: '0.01',
  USD: '0.01',
  EUR: '0.01',
  RUB: '0.1',
  NOT: '0.000000001',
};
const CRYPTO = new Set<string>(['TON', 'BTC', 'USDT', 'NOT']);
const AUTO_CONVERSION = new Set<string>(['TON', 'BTC', 'USDT', 'NOT']);
/** Made-up USD prices the emulator uses when `pay()` converts between currencies. */
const USD_PRICE: Record<string, number> = { TON: 5, BTC: 60_000, USDT: 1, NOT: 0.01, USD: 1, EUR: 1.1, RUB: 0.011 };

/** base64 HMAC-SHA256 over `${method}.${path}.${timestamp}.${base64(body)}` keyed with the store API key (as documented). */
export function walletPaySignature(apiKey: string, method: string, path: string, timestamp: string, body: Buffer): string {
  const stringToSign = `${method}.${path}.${timestamp}.${body.toString('base64')}`;
  return createHmac('sha256', Buffer.from(apiKey, 'utf8')).update(stringToSign, 'utf8').digest('base64');
}

// ---------------------------------------------------------------------------------------------
// Decimal helpers (amounts are compared exactly, as scaled BigInts, never as floats)

const SCALE = 9; // the finest precision of any currency

/** A plain decimal string from a JSON string or number, or null when it is not one. */
function decimalText(value: unknown): string | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    const text = String(value);
    if (!/e/i.test(text)) return text;
    // 1e-7 and the like: expand the exponent form.
    const [mantissa = '', exp = '0'] = text.toLowerCase().split('e');
    const negative = mantissa.startsWith('-');
    const [intPart = '', frac = ''] = mantissa.replace('-', '').split('.');
    const digits = intPart + frac;
    const point = intPart.length + Number(exp);
    let out: string;
    if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
    else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
    else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
    return (negative ? '-' : '') + out;
  }
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return value;
  return null;
}

/** Decimal places that matter (trailing zeros ignored). */
function significantDecimals(text: string): number {
  const frac = text.split('.')[1] ?? '';
  return frac.replace(/0+$/, '').length;
}

/** Scaled to 10^-9 units; only call after checking the precision. */
function toUnits(text: string): bigint {
  const negative = text.startsWith('-');
  const [intPart = '0', frac = ''] = text.replace('-', '').split('.');
  const units = BigInt(intPart) * 10n ** BigInt(SCALE) + BigInt((frac.replace(/0+$/, '') + '0'.repeat(SCALE)).slice(0, SCALE));
  return negative ? -units : units;
}

/** Units back to a string with exactly `places` decimals. */
function fromUnits(units: bigint, places: number): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / 10n ** BigInt(SCALE);
  const frac = (abs % 10n ** BigInt(SCALE)).toString().padStart(SCALE, '0').slice(0, places);
  return `${negative ? '-' : ''}${whole}${places > 0 ? `.${frac}` : ''}`;
}

function precisionOf(currency: string): number {
  return PRECISION[currency as WalletPayCurrency] ?? 9;
}

// ---------------------------------------------------------------------------------------------
// Time helpers

/** ISO-8601 UTC with microseconds, like `2023-07-28T10:20:17.628946Z`. */
function isoMicros(ms: number, micros = Math.floor(Math.random() * 1000)): string {
  return new Date(ms).toISOString().replace(/Z$/, `${String(micros).padStart(3, '0')}Z`);
}

function nanoTimestamp(): string {
  const subMs = process.hrtime.bigint() % 1_000_000n;
  return (BigInt(Date.now()) * 1_000_000n + subMs).toString();
}

function shortCode(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from(randomBytes(8), (b) => alphabet[b % alphabet.length]).join('');
}

// ---------------------------------------------------------------------------------------------
// Create-order validation

interface CreateParams {
  amount: WalletPayMoney;
  autoConversionCurrency?: string;
  description: string;
  returnUrl?: string;
  failReturnUrl?: string;
  customData?: string;
  externalId: string;
  timeoutSeconds: number;
  customerTelegramUserId: number;
}

class InvalidRequest extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * int64 fields: a JSON integer; a string of digits is accepted too, as Jackson's default scalar
 * coercion would [uncertain].
 */
function integerField(body: Record<string, unknown>, name: string): number {
  const value = body[name];
  if (value === undefined || value === null) throw new InvalidRequest(`${name} is required`);
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new InvalidRequest(`${name} must be an integer`);
  return n;
}

function optionalString(body: Record<string, unknown>, name: string, max: number): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidRequest(`${name} must be a string`);
  if (value.length > max) throw new InvalidRequest(`${name} must be at most ${max} characters`);
  return value;
}

function validateCreate(body: unknown): CreateParams {
  if (!isRecord(body)) throw new InvalidRequest('Request body must be a JSON object');

  const amount = body.amount;
  if (!isRecord(amount)) throw new InvalidRequest('amount is required');
  const currencyCode = amount.currencyCode;
  if (typeof currencyCode !== 'string' || !(currencyCode in PRECISION)) {
    throw new InvalidRequest('amount.currencyCode must be one of TON, BTC, USDT, EUR, USD, RUB, NOT');
  }
  const currency = currencyCode as WalletPayCurrency;
  // The schema says string; the official curl example sends a JSON number, so both are accepted.
  const amountText = decimalText(amount.amount);
  if (amountText === null) throw new InvalidRequest('amount.amount must be a decimal number');
  // Trailing zeros do not count against the precision ("1.50" USD is fine) [uncertain].
  if (significantDecimals(amountText) > PRECISION[currency]) {
    throw new InvalidRequest(`amount.amount has more than ${PRECISION[currency]} decimal places for ${currency}`);
  }
  if (toUnits(amountText) < toUnits(MINIMUM[currency])) {
    throw new InvalidRequest(`amount.amount is below the minimum order amount ${MINIMUM[currency]} ${currency}`);
  }

  let autoConversionCurrency: string | undefined;
  if (body.autoConversionCurrency !== undefined && body.autoConversionCurrency !== null) {
    const auto = body.autoConversionCurrency;
    if (typeof auto !== 'string' || !AUTO_CONVERSION.has(auto)) {
      throw new InvalidRequest('autoConversionCurrency must be one of TON, BTC, USDT, NOT');
    }
    if (CRYPTO.has(currency) && auto !== currency) {
      throw new InvalidRequest('autoConversionCurrency must equal the order currency for a crypto order');
    }
    autoConversionCurrency = auto;
  }

  const description = body.description;
  if (typeof description !== 'string') throw new InvalidRequest('description is required');
  if (description.length < 5 || description.length > 100) {
    throw new InvalidRequest('description must be 5 to 100 characters');
  }

  const externalId = body.externalId;
  if (typeof externalId !== 'string' || externalId.length === 0) throw new InvalidRequest('externalId is required');
  if (externalId.length > 255) throw new InvalidRequest('externalId must be at most 255 characters');

  const timeoutSeconds = integerField(body, 'timeoutSeconds');
  if (timeoutSeconds < 30 || timeoutSeconds > 864_000) {
    throw new InvalidRequest('timeoutSeconds must be between 30 and 864000');
  }
  const customerTelegramUserId = integerField(body, 'customerTelegramUserId');

  const params: CreateParams = {
    amount: { currencyCode: currency, amount: amountText },
    description,
    externalId,
    timeoutSeconds,
    customerTelegramUserId,
  };
  const returnUrl = optionalString(body, 'returnUrl', 255);
  const failReturnUrl = optionalString(body, 'failReturnUrl', 255);
  const customData = optionalString(body, 'customData', 255);
  if (autoConversionCurrency !== undefined) params.autoConversionCurrency = autoConversionCurrency;
  if (returnUrl !== undefined) params.returnUrl = returnUrl;
  if (failReturnUrl !== undefined) params.failReturnUrl = failReturnUrl;
  if (customData !== undefined) params.customData = customData;
  return params;
}

/**
 * "Identical order (same params incl. externalId)" → ALREADY. Which params count, and
 * whether "1.5" equals "1.50", is [uncertain]: every request field is compared, amounts by value,
 * absent ≡ null.
 */
function sameParams(order: WalletPayOrder, p: CreateParams): boolean {
  return (
    order.amount.currencyCode === p.amount.currencyCode &&
    toUnits(order.amount.amount) === toUnits(p.amount.amount) &&
    (order.autoConversionCurrency ?? null) === (p.autoConversionCurrency ?? null) &&
    order.description === p.description &&
    (order.returnUrl ?? null) === (p.returnUrl ?? null) &&
    (order.failReturnUrl ?? null) === (p.failReturnUrl ?? null) &&
    (order.customData ?? null) === (p.customData ?? null) &&
    order.timeoutSeconds === p.timeoutSeconds &&
    order.customerTelegramUserId === p.customerTelegramUserId
  );
}

// ---------------------------------------------------------------------------------------------

function oneByteChanged(body: Buffer): Buffer {
  const out = Buffer.from(body);
  // Prefer changing the last digit (the JSON stays valid, only the signature breaks).
  for (let i = out.length - 1; i >= 0; i--) {
    const b = out[i]!;
    if (b >= 0x30 && b <= 0x39) {
      out[i] = b === 0x39 ? 0x30 : b + 1;
      return out;
    }
  }
  if (out.length === 0) return Buffer.from(' ');
  out[out.length - 1] = out[out.length - 1]! ^ 0x01;
  return out;
}

function postRaw(url: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      { method: 'POST', headers: { ...headers, 'Content-Length': String(body.length) }, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`webhook POST to ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

export async function startWalletPayEmulator(opts: WalletPayEmulatorOptions = {}): Promise<WalletPayEmulator> {
  const apiKey = opts.apiKey ?? `wpay-test-${randomBytes(12).toString('hex')}`;
  const invalidKey = opts.invalidKey ?? { httpStatus: 401, status: 'ACCESS_DENIED', message: 'Invalid API key' };
  const orderNotFound = opts.orderNotFound ?? { httpStatus: 404, status: 'INVALID_REQUEST', message: 'Order not found' };
  const alreadyHttpStatus = opts.alreadyHttpStatus ?? 200;
  const conflictHttpStatus = opts.conflictHttpStatus ?? 200;
  const idType = opts.idType ?? 'number';
  const makeTimestamp = opts.timestamp ?? nanoTimestamp;

  const requests: WalletPayRequest[] = [];
  const orders = new Map<number, WalletPayOrder>();
  const byExternalId = new Map<string, number>();
  const failures = createFailureQueue<WalletPayFailure>();
  const events = new Map<string, { eventId: number; eventDateTime: string }>();
  let nextOrderId = FIRST_ORDER_ID;
  let nextEventId = FIRST_EVENT_ID;

  /** An ACTIVE order past its expirationDateTime reads as EXPIRED (and stays so). */
  function refresh(order: WalletPayOrder): WalletPayOrder {
    if (order.status === 'ACTIVE' && Date.parse(order.expirationDateTime) <= Date.now()) {
      order.status = 'EXPIRED';
      order.completedDateTime ??= order.expirationDateTime;
    }
    return order;
  }

  function getOrder(orderId: number): WalletPayOrder {
    const order = orders.get(orderId);
    if (!order) throw new Error(`walletpay emulator: no order ${orderId}`);
    return refresh(order);
  }

  function wireId(id: number): number | string {
    return idType === 'string' ? String(id) : id;
  }

  /** OrderPreview, keys in the documented order. */
  function preview(order: WalletPayOrder): Record<string, unknown> {
    refresh(order);
    const out: Record<string, unknown> = {
      id: wireId(order.id),
      status: order.status,
      number: order.number,
      amount: { currencyCode: order.amount.currencyCode, amount: order.amount.amount },
    };
    if (order.autoConversionCurrency !== undefined) out.autoConversionCurrency = order.autoConversionCurrency;
    out.createdDateTime = order.createdDateTime;
    out.expirationDateTime = order.expirationDateTime;
    if (order.completedDateTime !== undefined) out.completedDateTime = order.completedDateTime;
    out.payLink = order.payLink;
    out.directPayLink = order.directPayLink;
    return out;
  }

  /** OrderReconciliationItem. */
  function reconciliationItem(order: WalletPayOrder): Record<string, unknown> {
    refresh(order);
    const out: Record<string, unknown> = {
      id: wireId(order.id),
      status: order.status,
      amount: { currencyCode: order.amount.currencyCode, amount: order.amount.amount },
    };
    if (order.autoConversionCurrency !== undefined) out.autoConversionCurrency = order.autoConversionCurrency;
    out.externalId = order.externalId;
    out.customerTelegramUserId = order.customerTelegramUserId;
    out.createdDateTime = order.createdDateTime;
    out.expirationDateTime = order.expirationDateTime;
    if (order.status === 'PAID' && order.completedDateTime !== undefined) out.paymentDateTime = order.completedDateTime;
    if (order.selectedPaymentOption !== undefined) out.selectedPaymentOption = order.selectedPaymentOption;
    return out;
  }

  function send(res: http.ServerResponse, httpStatus: number, envelope: Record<string, unknown>): void {
    const body = JSON.stringify(envelope);
    res.writeHead(httpStatus, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  function envelope(status: string, message = '', data?: unknown): Record<string, unknown> {
    return data === undefined ? { status, message } : { status, message, data };
  }

  /** Answers with an injected failure if one is queued for the endpoint. */
  function injected(endpoint: WalletPayEndpoint, res: http.ServerResponse): boolean {
    const failure = failures.take(endpoint);
    if (!failure) return false;
    if (failure.raw !== undefined) {
      res.writeHead(failure.httpStatus, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(failure.raw) });
      res.end(failure.raw);
      return true;
    }
    const defaultStatus =
      failure.httpStatus === 401 ? 'ACCESS_DENIED' : failure.httpStatus === 400 || failure.httpStatus === 404 ? 'INVALID_REQUEST' : 'INTERNAL_ERROR';
    send(res, failure.httpStatus, envelope(failure.status ?? defaultStatus, failure.message ?? ''));
    return true;
  }

  function createOrder(body: unknown, res: http.ServerResponse): void {
    let params: CreateParams;
    try {
      params = validateCreate(body);
    } catch (err) {
      if (err instanceof InvalidRequest) return send(res, 400, envelope('INVALID_REQUEST', err.message));
      throw err;
    }
    const existingId = byExternalId.get(params.externalId);
    if (existingId !== undefined) {
      const existing = orders.get(existingId)!;
      if (sameParams(existing, params)) return send(res, alreadyHttpStatus, envelope('ALREADY', '', preview(existing)));
      return send(res, conflictHttpStatus, envelope('CONFLICT', 'Order with this externalId already exists with different parameters'));
    }
    const id = nextOrderId++;
    const now = Date.now();
    const order: WalletPayOrder = {
      id,
      status: 'ACTIVE',
      number: shortCode(),
      amount: params.amount,
      createdDateTime: isoMicros(now),
      expirationDateTime: isoMicros(now + params.timeoutSeconds * 1000),
      payLink: `https://t.me/wallet?startattach=wpay_order_${id}`,
      directPayLink: `https://t.me/wallet/start?startapp=wpay_order-orderId__${id}`,
      externalId: params.externalId,
      customerTelegramUserId: params.customerTelegramUserId,
      description: params.description,
      timeoutSeconds: params.timeoutSeconds,
    };
    if (params.autoConversionCurrency !== undefined) order.autoConversionCurrency = params.autoConversionCurrency;
    if (params.customData !== undefined) order.customData = params.customData;
    if (params.returnUrl !== undefined) order.returnUrl = params.returnUrl;
    if (params.failReturnUrl !== undefined) order.failReturnUrl = params.failReturnUrl;
    orders.set(id, order);
    byExternalId.set(order.externalId, id);
    send(res, 200, envelope('SUCCESS', '', preview(order)));
  }

  function previewOrder(query: Record<string, string>, res: http.ServerResponse): void {
    const raw = query.id;
    if (raw === undefined || !/^\d+$/.test(raw)) return send(res, 400, envelope('INVALID_REQUEST', 'id must be an integer'));
    const order = orders.get(Number(raw));
    if (!order) return send(res, orderNotFound.httpStatus, envelope(orderNotFound.status, orderNotFound.message));
    send(res, 200, envelope('SUCCESS', '', preview(order)));
  }

  function orderList(query: Record<string, string>, res: http.ServerResponse): void {
    const { offset, count } = query;
    if (offset === undefined || !/^\d+$/.test(offset)) return send(res, 400, envelope('INVALID_REQUEST', 'offset must be an integer >= 0'));
    if (count === undefined || !/^\d+$/.test(count) || Number(count) > 10_000) {
      return send(res, 400, envelope('INVALID_REQUEST', 'count must be an integer between 0 and 10000'));
    }
    const sorted = [...orders.values()].sort((a, b) => a.id - b.id); // ids grow with creation time
    const items = sorted.slice(Number(offset), Number(offset) + Number(count)).map(reconciliationItem);
    send(res, 200, envelope('SUCCESS', '', { items }));
  }

  function route(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v;
    let body: unknown;
    let bodyIsJson = false;
    if (raw.length > 0) {
      const text = raw.toString('utf8');
      try {
        body = JSON.parse(text);
        bodyIsJson = true;
      } catch {
        body = text;
      }
    }
    const key = req.headers['wpay-store-api-key'];
    const authentic = typeof key === 'string' && key === apiKey;
    requests.push({ method: req.method ?? '', path: url.pathname, query, headers: { ...req.headers }, body, authentic });

    // Auth first, for every path.
    if (!authentic) {
      return send(res, invalidKey.httpStatus, envelope(invalidKey.status, invalidKey.message));
    }

    const path = url.pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    const endpoint: WalletPayEndpoint | 'order-amount' | undefined =
      path === `${API_PREFIX}/order`
        ? 'order'
        : path === `${API_PREFIX}/order/preview`
          ? 'preview'
          : path === `${API_PREFIX}/reconciliation/order-list`
            ? 'order-list'
            : path === `${API_PREFIX}/reconciliation/order-amount`
              ? 'order-amount'
              : undefined;
    if (endpoint === undefined) return send(res, 404, envelope('INVALID_REQUEST', 'Not found'));
    const expected = endpoint === 'order' ? 'POST' : 'GET';
    if (method !== expected) return send(res, 405, envelope('INVALID_REQUEST', `Method ${method} not allowed`));
    if (endpoint !== 'order-amount' && injected(endpoint, res)) return;

    switch (endpoint) {
      case 'order': {
        const type = String(req.headers['content-type'] ?? '');
        // Clients send Content-Type: application/json; without it a JSON API refuses the body.
        if (!/^application\/json\b/i.test(type)) return send(res, 400, envelope('INVALID_REQUEST', 'Content-Type must be application/json'));
        if (!bodyIsJson) return send(res, 400, envelope('INVALID_REQUEST', 'Malformed JSON body'));
        return createOrder(body, res);
      }
      case 'preview':
        return previewOrder(query, res);
      case 'order-list':
        return orderList(query, res);
      case 'order-amount':
        return send(res, 200, envelope('SUCCESS', '', { totalAmount: orders.size }));
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      try {
        if (size > MAX_BODY) return send(res, 400, envelope('INVALID_REQUEST', 'Body too large'));
        route(req, res, Buffer.concat(chunks));
      } catch (err) {
        send(res, 500, envelope('INTERNAL_ERROR', err instanceof Error ? err.message : String(err)));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  function pay(orderId: number, o: { paidCurrency?: string; paidAmount?: string; fee?: string } = {}): WalletPayOrder {
    const order = getOrder(orderId);
    if (order.status !== 'ACTIVE') throw new Error(`walletpay emulator: order ${orderId} is ${order.status}, cannot be paid`);
    const orderCurrency = order.amount.currencyCode;
    // A fiat-priced order is paid in crypto; default to the auto-conversion currency or USDT.
    const paidCurrency = o.paidCurrency ?? order.autoConversionCurrency ?? (CRYPTO.has(orderCurrency) ? orderCurrency : 'USDT');
    const places = precisionOf(paidCurrency);
    let paidAmount: string;
    if (o.paidAmount !== undefined) paidAmount = o.paidAmount;
    else if (paidCurrency === orderCurrency) paidAmount = fromUnits(toUnits(order.amount.amount), places);
    else {
      const usd = Number(order.amount.amount) * (USD_PRICE[orderCurrency] ?? 1);
      paidAmount = (usd / (USD_PRICE[paidCurrency] ?? 1)).toFixed(places);
    }
    const paidUnits = toUnits(paidAmount);
    const step = 10n ** BigInt(SCALE - Math.min(places, SCALE));
    // Default fee 1% rounded up to the currency's precision (as in the docs vector: 0.132653 → 0.001327).
    const feeUnits = o.fee !== undefined ? toUnits(o.fee) : ((paidUnits + 99n) / 100n + step - 1n) / step * step;
    const feeText = o.fee ?? fromUnits(feeUnits, places);
    const orderUnits = toUnits(order.amount.amount);
    const rate = orderUnits === 0n ? '1' : String(Number(paidAmount) / Number(order.amount.amount));
    order.selectedPaymentOption = {
      amount: { amount: paidAmount, currencyCode: paidCurrency },
      amountFee: { amount: feeText, currencyCode: paidCurrency },
      amountNet: { amount: fromUnits(paidUnits - feeUnits, places), currencyCode: paidCurrency },
      exchangeRate: rate,
    };
    order.status = 'PAID';
    order.completedDateTime = isoMicros(Date.now());
    return order;
  }

  function expire(orderId: number): WalletPayOrder {
    const order = getOrder(orderId);
    if (order.status === 'PAID') throw new Error(`walletpay emulator: order ${orderId} is PAID, cannot expire`);
    if (order.status === 'ACTIVE') {
      order.status = 'EXPIRED';
      order.completedDateTime = isoMicros(Date.now());
    }
    return order;
  }

  function webhookBody(orderId: number, o: { type?: 'ORDER_PAID' | 'ORDER_FAILED'; eventId?: number } = {}): Buffer {
    const order = getOrder(orderId);
    let type = o.type;
    if (type === undefined) {
      if (order.status === 'PAID') type = 'ORDER_PAID';
      else if (order.status === 'EXPIRED' || order.status === 'CANCELLED') type = 'ORDER_FAILED';
      else throw new Error(`walletpay emulator: order ${orderId} is ACTIVE; pay() or expire() it first, or pass a type`);
    }
    // One event per (order, type): repeated deliveries carry the same eventId and eventDateTime.
    const eventKey = `${order.id}:${type}`;
    let event = events.get(eventKey);
    if (!event) {
      event = { eventId: nextEventId++, eventDateTime: isoMicros(Date.now()) };
      events.set(eventKey, event);
    }
    // Key order as in the docs vector.
    const payload: Record<string, unknown> = { id: order.id, number: order.number };
    if (order.customData !== undefined) payload.customData = order.customData;
    payload.externalId = order.externalId;
    payload.orderAmount = { amount: order.amount.amount, currencyCode: order.amount.currencyCode };
    if (type === 'ORDER_FAILED') payload.status = order.status === 'CANCELLED' ? 'CANCELLED' : 'EXPIRED';
    if (type === 'ORDER_PAID' && order.selectedPaymentOption !== undefined) {
      const p = order.selectedPaymentOption;
      payload.selectedPaymentOption = {
        amount: { amount: p.amount.amount, currencyCode: p.amount.currencyCode },
        amountFee: { amount: p.amountFee.amount, currencyCode: p.amountFee.currencyCode },
        amountNet: { amount: p.amountNet.amount, currencyCode: p.amountNet.currencyCode },
        exchangeRate: p.exchangeRate,
      };
    }
    payload.orderCompletedDateTime = order.completedDateTime ?? event.eventDateTime;
    const message = { eventDateTime: event.eventDateTime, eventId: o.eventId ?? event.eventId, type, payload };
    return Buffer.from(JSON.stringify([message]), 'utf8');
  }

  async function sendWebhook(
    orderId: number,
    url: string,
    o: {
      type?: 'ORDER_PAID' | 'ORDER_FAILED';
      signPath?: string;
      forge?: boolean;
      tamper?: boolean;
      unsigned?: boolean;
      timestamp?: string;
      body?: Buffer;
    } = {},
  ): Promise<{ status: number; body: string }> {
    const body = o.body ?? webhookBody(orderId, o.type === undefined ? {} : { type: o.type });
    const timestamp = o.timestamp ?? makeTimestamp();
    // URI_PATH is the path only (libs never include the query string) [uncertain].
    const signPath = o.signPath ?? new URL(url).pathname;
    const key = o.forge ? `${apiKey}-forged-${randomBytes(4).toString('hex')}` : apiKey;
    const signature = walletPaySignature(key, 'POST', signPath, timestamp, body);
    const wire = o.tamper ? oneByteChanged(body) : body;
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'WalletPay-Timestamp': timestamp };
    if (!o.unsigned) headers['WalletPay-Signature'] = signature;
    return postRaw(url, headers, wire);
  }

  function findInvoice(by: InvoiceLookup) {
    const id = 'invoiceId' in by ? byExternalId.get(by.invoiceId) : Number(by.upstreamId);
    const order = id === undefined ? undefined : orders.get(id);
    return order && { upstreamId: String(order.id), invoiceId: order.externalId };
  }

  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    apiKey,
    requests,
    orders,
    pay,
    expire,
    webhookBody,
    sendWebhook,
    failNext(endpoint, failure) {
      const times = failure.times ?? 1;
      if (times <= 0) return;
      failures.add(endpoint, failure, times);
    },
    account: { credentials: { api_key: apiKey }, config: { base_url: baseUrl } },
    refusedCredentials: { api_key: `wpay-test-${randomBytes(12).toString('hex')}` },
    findInvoice,
    payInFull: async (upstreamId) => void pay(Number(upstreamId)),
    expireUnpaid: async (upstreamId) => void expire(Number(upstreamId)),
    webhookVariants: WEBHOOK_VARIANTS,
    sendInvoiceWebhook(upstreamId, to, variant = 'genuine') {
      // Wallet Pay signs the path it was given: behind a reverse proxy, the public one.
      const signPath = new URL(to.publicUrl ?? to.url).pathname;
      if (variant === 'stale') return sendWebhook(Number(upstreamId), to.url, { signPath, timestamp: `${BigInt(Date.now() - 3600_000) * 1_000_000n}` });
      return sendWebhook(Number(upstreamId), to.url, { signPath, ...variantSwitches(variant, WEBHOOK_VARIANTS) });
    },
    stop: () => stopServer(server),
  };
}

/** Wallet Pay signs a timestamp (nanoseconds) with every webhook, so a stale one can be sent. */
const WEBHOOK_VARIANTS = ['genuine', 'forged', 'unsigned', 'tampered', 'stale'] as const;
