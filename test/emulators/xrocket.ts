/**
 * Loopback emulator of the xRocket Pay API (pay.xrocket.tg), after its OpenAPI specification
 * (v1.3.1) and a real webhook delivery.
 *
 * Every route but `GET /version` wants the header `Rocket-Pay-Key` equal to the app's API token;
 * anything else answers 401. Answers are `{"success":true,"data":…}` or
 * `{"success":false,"message":"…"}` (400s add `"errors":[{"property","error"}]`); creating an
 * invoice answers 201. Amounts are JSON numbers and are written from exact decimal text (no double
 * in between: `0.000000001` stays `0.000000001`); requests are read the same way, so a test sees
 * the exact number literal the client sent (`requests[].bodyText`). Amounts past 9 decimals are
 * cut, as the spec says. Invoice ids are JSON numbers in answers; in webhooks they are strings, as
 * in the real delivery (`webhookIds: 'number'` sends numbers instead).
 *
 * Webhooks (`invoicePay`) are compact JSON, keys in the order of the real delivery (unset text
 * fields as "", `minPayment` null), signed with `rocket-pay-signature` = hex HMAC-SHA256 keyed
 * with SHA-256 of the API token, over exactly the bytes sent. Whether xRocket sends anything on
 * expiry is not documented: `expiryWebhooks: true` makes it send an `invoicePay` with status
 * `expired` and no payment (an assumption), otherwise an expired invoice has no webhook.
 *
 * Assumptions where the spec is silent are marked "assumption" below (error messages, list
 * order, deleting a paid invoice, the currency list).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createHmac, randomInt } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';
import {
  createFailureQueue,
  postSignedWebhook,
  readBody,
  stopServer,
  variantSwitches,
  type InvoiceLookup,
  type RecordedRequest,
  type UpstreamEmulator,
} from './emulator-kit.js';

export interface XRocketPayment {
  userId: number;
  paymentNum: number;
  /** Exact decimal text. */
  paymentAmount: string;
  /** What the app got after xRocket's fee (exact decimal text). */
  paymentAmountReceived: string;
  comment?: string;
  paid: string;
}

export interface XRocketInvoice {
  id: number;
  /** Exact decimal text, cut to 9 decimals. */
  amount: string;
  minPayment: string | null;
  totalActivations: number;
  activationsLeft: number;
  description?: string;
  hiddenMessage?: string;
  payload?: string;
  callbackUrl?: string;
  commentsEnabled: boolean;
  currency: string;
  created: string;
  paid?: string;
  status: 'active' | 'paid' | 'expired';
  expiredIn: number;
  link: string;
  payments: XRocketPayment[];
}

/** The emulator's routes, by name (for `failNext`). */
export type XRocketRoute = 'version' | 'appInfo' | 'currencies' | 'createInvoice' | 'listInvoices' | 'getInvoice' | 'deleteInvoice';

export interface XRocketRequest extends RecordedRequest {
  route: XRocketRoute | 'unknown';
  query: Record<string, string>;
  /** The body exactly as received. */
  bodyText: string;
  /** The body read losslessly: numbers are `LosslessNumber`s holding their exact text. */
  body: unknown;
  /** The answer's HTTP status. */
  status: number;
}

export interface XRocketOptions {
  apiKey?: string;
  /** `id` in webhooks: a string as in the real delivery (default), or a number as the spec says. */
  webhookIds?: 'string' | 'number';
  /** Send an invoicePay webhook with status expired when an invoice expires (assumption; default false). */
  expiryWebhooks?: boolean;
  /** xRocket's fee on incoming payments, in percent (default 1.5, as in the real delivery: 0.3 → 0.2955). */
  feePercents?: string;
}

export interface XRocketEmulator extends UpstreamEmulator {
  /** 'http://127.0.0.1:<port>': stands in for https://pay.xrocket.tg. */
  baseUrl: string;
  apiKey: string;
  requests: XRocketRequest[];
  invoices: Map<number, XRocketInvoice>;
  /** By xRocket currency code, exact decimal text. */
  balances: Map<string, string>;
  /** Switches a test may flip (see XRocketOptions). */
  options: { webhookIds: 'string' | 'number'; expiryWebhooks: boolean };
  /** The payer pays the invoice: status paid, one payment (default: the full amount, by a made-up Telegram user), the fee kept, the balance credited. */
  pay(id: number, opts?: { amount?: string; userId?: number; comment?: string }): XRocketInvoice;
  expire(id: number): XRocketInvoice;
  /** The exact bytes of the invoice's webhook (paid; expired only with expiryWebhooks). */
  webhookBody(id: number, opts?: { timestamp?: string }): Buffer;
  /** POSTs that webhook to url, signed over the bytes sent; forge = another token, tamper = one byte changed after signing, unsigned = no header. */
  sendWebhook(id: number, url: string, opts?: { forge?: boolean; tamper?: boolean; unsigned?: boolean; body?: Buffer }): Promise<{ status: number; body: string }>;
  /** The next call(s) of a route fail with this status and an error envelope (or a raw non-JSON body). */
  failNext(route: XRocketRoute, failure: { status: number; message?: string; raw?: string; times?: number }): void;
}

/** rocket-pay-signature: lowercase hex HMAC-SHA256 of the body, keyed with the raw SHA-256 of the API token. */
export function xRocketSignature(apiKey: string, body: Buffer): string {
  const key = createHash('sha256').update(apiKey, 'utf8').digest();
  return createHmac('sha256', key).update(body).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Static data

/** assumption: a stable subset of /currencies/available, with made-up minimums. */
const CURRENCIES: Record<string, { name: string; minInvoice: string }> = {
  TONCOIN: { name: 'TON', minInvoice: '0.01' },
  USDT: { name: 'Tether USD', minInvoice: '0.01' },
  NOT: { name: 'Notcoin', minInvoice: '1' },
  DOGS: { name: 'DOGS', minInvoice: '1' },
  BTC: { name: 'Bitcoin', minInvoice: '0.00001' },
  ETH: { name: 'Ethereum', minInvoice: '0.0001' },
  BNB: { name: 'BNB', minInvoice: '0.001' },
  TRX: { name: 'TRON', minInvoice: '1' },
  SOL: { name: 'Solana', minInvoice: '0.001' },
  XROCK: { name: 'XROCK', minInvoice: '1' },
};
/** Enough precision that no amount arithmetic here rounds. */
const D = Decimal.clone({ precision: 80 });
const MAX_AMOUNT = new D('1000000');
const MAX_EXPIRED_IN = 86400;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// ---------------------------------------------------------------------------------------------
// Helpers

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Array<{ property: string; error: string }>,
  ) {
    super(message);
  }
}

/** A 400 naming the property, in the spec's ApiBadRequestError shape (message text: assumption). */
const invalid = (property: string, error: string) => new ApiError(400, 'Bad Request', [{ property, error: `${property} ${error}` }]);

const randomString = (n: number) => Array.from({ length: n }, () => ALNUM[randomInt(ALNUM.length)]).join('');

/** ISO time to the second, as xRocket writes `created` and `paid` on invoices. */
const toSecond = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();

/** A number the client sent, as exact decimal text; undefined when it is not a JSON number. */
function numberText(v: unknown): string | undefined {
  return isLosslessNumber(v) ? v.value : undefined;
}

/** Exact decimal text as a JSON number literal. */
const num = (text: string) => new LosslessNumber(text);

const plain = (d: Decimal) => d.toFixed();

function optionalText(body: Record<string, unknown>, name: string, max: number): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(name, 'must be a string');
  if (v.length > max) throw invalid(name, `must be shorter than or equal to ${max} characters`);
  return v;
}

function integer(body: Record<string, unknown>, name: string, min: number, max: number, fallback?: number): number {
  const v = body[name];
  if (v === undefined || v === null) {
    if (fallback === undefined) throw invalid(name, 'should not be empty');
    return fallback;
  }
  const text = numberText(v);
  if (text === undefined || !/^\d+$/.test(text)) throw invalid(name, 'must be an integer number');
  const n = Number(text);
  if (n < min || n > max) throw invalid(name, `must not be less than ${min} and not greater than ${max}`);
  return n;
}

export async function startXRocketEmulator(opts: XRocketOptions = {}): Promise<XRocketEmulator> {
  const apiKey = opts.apiKey ?? `${randomString(24)}`;
  const options = { webhookIds: opts.webhookIds ?? 'string', expiryWebhooks: opts.expiryWebhooks ?? false };
  const feePercents = new D(opts.feePercents ?? '1.5');
  const requests: XRocketRequest[] = [];
  const invoices = new Map<number, XRocketInvoice>();
  /** When each invoice runs out (ms), for those created with an expiredIn. */
  const expiresAt = new Map<number, number>();
  /** The moment each paid invoice's webhook is sent (its `timestamp`). */
  const webhookTimes = new Map<number, string>();
  const balances = new Map<string, string>([['TONCOIN', '0'], ['USDT', '12.5'], ['BTC', '0'], ['NOT', '0']]);
  const failures = createFailureQueue<{ status: number; message?: string; raw?: string }>();
  let nextId = 3_690_000 + randomInt(0, 100_000);

  function refresh(inv: XRocketInvoice): void {
    const at = expiresAt.get(inv.id);
    if (inv.status === 'active' && at !== undefined && at <= Date.now()) inv.status = 'expired';
  }
  const refreshAll = () => invoices.forEach(refresh);

  function mustGet(id: number): XRocketInvoice {
    const inv = invoices.get(id);
    if (!inv) throw new Error(`no xRocket invoice ${id}`);
    refresh(inv);
    return inv;
  }

  // ------------------------------------------------------------------------ wire shapes

  function paymentDto(p: XRocketPayment): Record<string, unknown> {
    return { userId: num(String(p.userId)), paymentNum: num(String(p.paymentNum)), paymentAmount: num(p.paymentAmount), paymentAmountReceived: num(p.paymentAmountReceived), comment: p.comment ?? '', paid: p.paid };
  }

  /** InvoiceDto in the spec's key order; FullInvoiceDto adds payments. */
  function invoiceDto(inv: XRocketInvoice, full = false): Record<string, unknown> {
    const dto: Record<string, unknown> = {
      id: num(String(inv.id)),
      amount: num(inv.amount),
      minPayment: inv.minPayment === null ? null : num(inv.minPayment),
      totalActivations: num(String(inv.totalActivations)),
      activationsLeft: num(String(inv.activationsLeft)),
      ...(inv.description !== undefined ? { description: inv.description } : {}),
      ...(inv.hiddenMessage !== undefined ? { hiddenMessage: inv.hiddenMessage } : {}),
      ...(inv.payload !== undefined ? { payload: inv.payload } : {}),
      ...(inv.callbackUrl !== undefined ? { callbackUrl: inv.callbackUrl } : {}),
      commentsEnabled: inv.commentsEnabled,
      currency: inv.currency,
      created: inv.created,
      ...(inv.paid !== undefined ? { paid: inv.paid } : {}),
      status: inv.status,
      expiredIn: num(String(inv.expiredIn)),
      link: inv.link,
    };
    if (full) dto.payments = inv.payments.map(paymentDto);
    return dto;
  }

  // ------------------------------------------------------------------------ routes

  function createInvoice(body: unknown): XRocketInvoice {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(400, 'Bad Request');
    const b = body as Record<string, unknown>;
    const currency = b.currency;
    if (typeof currency !== 'string' || currency === '') throw invalid('currency', 'should not be empty');
    if (!(currency in CURRENCIES)) throw invalid('currency', 'must be one of the available currencies');
    const numPayments = integer(b, 'numPayments', 0, 1_000_000);
    let amount: Decimal | null = null;
    if (b.amount !== undefined && b.amount !== null) {
      const text = numberText(b.amount);
      if (text === undefined) throw invalid('amount', 'must be a number conforming to the specified constraints');
      // "9 decimal places, others cut off".
      amount = new D(text).toDecimalPlaces(9, Decimal.ROUND_DOWN);
      if (amount.lt(0) || amount.gt(MAX_AMOUNT)) throw invalid('amount', `must not be less than 0 and not greater than ${plain(MAX_AMOUNT)}`);
    }
    if (amount === null) throw invalid('amount', 'should not be empty'); // assumption: multi-invoices without amount are not emulated
    const description = optionalText(b, 'description', 1000);
    const hiddenMessage = optionalText(b, 'hiddenMessage', 2000);
    const callbackUrl = optionalText(b, 'callbackUrl', 500);
    if (callbackUrl !== undefined && !/^https?:\/\/\S+$/.test(callbackUrl)) throw invalid('callbackUrl', 'must be a URL address');
    const payload = optionalText(b, 'payload', 4000);
    const expiredIn = integer(b, 'expiredIn', 0, MAX_EXPIRED_IN, 0);
    const commentsEnabled = b.commentsEnabled ?? false;
    if (typeof commentsEnabled !== 'boolean') throw invalid('commentsEnabled', 'must be a boolean value');

    const now = Date.now();
    const inv: XRocketInvoice = {
      id: nextId++,
      amount: plain(amount),
      minPayment: null,
      totalActivations: numPayments,
      activationsLeft: numPayments,
      ...(description !== undefined ? { description } : {}),
      ...(hiddenMessage !== undefined ? { hiddenMessage } : {}),
      ...(payload !== undefined ? { payload } : {}),
      ...(callbackUrl !== undefined ? { callbackUrl } : {}),
      commentsEnabled,
      currency,
      created: toSecond(now),
      status: 'active',
      expiredIn,
      link: `https://t.me/xrocket?start=inv_${randomString(15)}`,
      payments: [],
    };
    invoices.set(inv.id, inv);
    if (expiredIn > 0) expiresAt.set(inv.id, now + expiredIn * 1000);
    return inv;
  }

  function invoiceById(idText: string): XRocketInvoice {
    const inv = /^\d+$/.test(idText) ? invoices.get(Number(idText)) : undefined;
    if (!inv) throw new ApiError(404, 'Invoice not found'); // message: assumption
    return inv;
  }

  function listInvoices(query: Record<string, string>) {
    const int = (name: string, min: number, max: number, fallback: number) => {
      const v = query[name];
      if (v === undefined) return fallback;
      if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw invalid(name, `must not be less than ${min}${max < Infinity ? ` and not greater than ${max}` : ''}`);
      return Number(v);
    };
    const limit = int('limit', 1, 1000, 100);
    const offset = int('offset', 0, Infinity, 0);
    // assumption: newest first.
    const all = [...invoices.values()].sort((a, b) => b.id - a.id);
    return { total: num(String(all.length)), limit: num(String(limit)), offset: num(String(offset)), results: all.slice(offset, offset + limit).map((i) => invoiceDto(i)) };
  }

  function deleteInvoice(idText: string): void {
    const inv = invoiceById(idText);
    if (inv.status === 'paid') throw new ApiError(400, 'Invoice is already paid'); // assumption
    invoices.delete(inv.id);
    expiresAt.delete(inv.id);
  }

  function appInfo() {
    return {
      name: 'Switchyard Emulator',
      feePercents: num(plain(feePercents)),
      balances: [...balances].map(([currency, balance]) => ({ currency, balance: num(balance) })),
    };
  }

  function currencies() {
    return {
      results: Object.entries(CURRENCIES).map(([currency, c]) => ({
        currency, name: c.name, minTransfer: num(c.minInvoice), minCheque: num(c.minInvoice), minInvoice: num(c.minInvoice), minWithdraw: num(c.minInvoice),
      })),
    };
  }

  // ------------------------------------------------------------------------ server

  function send(res: http.ServerResponse, record: XRocketRequest, status: number, value: unknown): void {
    record.status = status;
    const body = Buffer.from(stringify(value) ?? 'null', 'utf8');
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length }).end(body);
  }
  const sendError = (res: http.ServerResponse, record: XRocketRequest, e: ApiError) =>
    send(res, record, e.status, { success: false, message: e.message, ...(e.errors ? { errors: e.errors } : {}) });

  function routeOf(method: string, path: string): { route: XRocketRoute | 'unknown'; id?: string } {
    if (method === 'GET' && path === '/version') return { route: 'version' };
    if (method === 'GET' && path === '/app/info') return { route: 'appInfo' };
    if (method === 'GET' && path === '/currencies/available') return { route: 'currencies' };
    if (path === '/tg-invoices') return { route: method === 'POST' ? 'createInvoice' : method === 'GET' ? 'listInvoices' : 'unknown' };
    const m = /^\/tg-invoices\/([^/]+)$/.exec(path);
    if (m) return { route: method === 'GET' ? 'getInvoice' : method === 'DELETE' ? 'deleteInvoice' : 'unknown', id: decodeURIComponent(m[1]!) };
    return { route: 'unknown' };
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? '';
    const { route, id } = routeOf(method, url.pathname);
    const record: XRocketRequest = {
      method,
      path: url.pathname,
      route,
      headers: { ...req.headers },
      query: Object.fromEntries(url.searchParams),
      bodyText: '',
      body: undefined,
      // Node lowercases header names; the value must match exactly.
      authentic: req.headers['rocket-pay-key'] === apiKey,
      status: 0,
    };
    requests.push(record);
    let bodyError: ApiError | undefined;
    try {
      record.bodyText = (await readBody(req, () => new ApiError(413, 'Payload Too Large'))).toString('utf8');
      if (record.bodyText.length) record.body = parse(record.bodyText);
    } catch (e) {
      bodyError = e instanceof ApiError ? e : new ApiError(400, 'Bad Request'); // malformed JSON: message is an assumption
    }
    if (route !== 'version' && !record.authentic) return sendError(res, record, new ApiError(401, 'Unauthorized')); // message: assumption
    if (bodyError) return sendError(res, record, bodyError);
    if (route === 'unknown') return sendError(res, record, new ApiError(404, `Cannot ${method} ${url.pathname}`));
    const failure = failures.take(route);
    if (failure) {
      record.status = failure.status;
      if (failure.raw !== undefined) return void res.writeHead(failure.status, { 'content-type': 'text/html; charset=utf-8' }).end(failure.raw);
      return sendError(res, record, new ApiError(failure.status, failure.message ?? 'Internal server error'));
    }
    refreshAll();
    try {
      switch (route) {
        case 'version':
          return send(res, record, 200, { version: '1.3.1' });
        case 'appInfo':
          return send(res, record, 200, { success: true, data: appInfo() });
        case 'currencies':
          return send(res, record, 200, { success: true, data: currencies() });
        case 'createInvoice':
          return send(res, record, 201, { success: true, data: invoiceDto(createInvoice(record.body)) });
        case 'listInvoices':
          return send(res, record, 200, { success: true, data: listInvoices(record.query) });
        case 'getInvoice':
          return send(res, record, 200, { success: true, data: invoiceDto(invoiceById(id!), true) });
        case 'deleteInvoice':
          deleteInvoice(id!);
          return send(res, record, 200, { success: true });
      }
    } catch (e) {
      if (e instanceof ApiError) return sendError(res, record, e);
      throw e;
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"success":false,"message":"Internal server error"}');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  // ------------------------------------------------------------------------ test controls

  function pay(id: number, o: { amount?: string; userId?: number; comment?: string } = {}): XRocketInvoice {
    const inv = mustGet(id);
    if (inv.status !== 'active') throw new Error(`xRocket invoice ${id} is ${inv.status}, cannot be paid`);
    const now = Date.now();
    const gross = new D(o.amount ?? inv.amount);
    const received = gross.minus(gross.mul(feePercents).div(100)).toDecimalPlaces(9, Decimal.ROUND_DOWN);
    const paidAt = new Date(now).toISOString();
    inv.payments.push({
      userId: o.userId ?? randomInt(100_000_000, 2_000_000_000),
      paymentNum: 1,
      paymentAmount: plain(gross),
      paymentAmountReceived: plain(received),
      ...(o.comment !== undefined ? { comment: o.comment } : {}),
      paid: paidAt,
    });
    inv.activationsLeft = Math.max(0, inv.activationsLeft - 1);
    inv.status = 'paid';
    inv.paid = toSecond(now);
    webhookTimes.set(id, paidAt);
    balances.set(inv.currency, plain(new D(balances.get(inv.currency) ?? '0').plus(received)));
    return inv;
  }

  function expire(id: number): XRocketInvoice {
    const inv = mustGet(id);
    if (inv.status === 'paid') throw new Error(`xRocket invoice ${id} is paid, cannot expire`);
    inv.status = 'expired';
    webhookTimes.set(id, new Date().toISOString());
    return inv;
  }

  /** PayInvoiceDto in the order of the real delivery; unset text fields as "". */
  function webhookBody(id: number, o: { timestamp?: string } = {}): Buffer {
    const inv = mustGet(id);
    const payment = inv.payments.at(-1);
    if (inv.status === 'active') throw new Error(`xRocket invoice ${id} is active: nothing to send (pay or expire it first)`);
    if (inv.status === 'expired' && !options.expiryWebhooks) throw new Error(`xRocket sends no webhook for an expired invoice unless expiryWebhooks is on`);
    const data: Record<string, unknown> = {
      id: options.webhookIds === 'string' ? String(inv.id) : num(String(inv.id)),
      amount: num(inv.amount),
      minPayment: inv.minPayment === null ? null : num(inv.minPayment),
      currency: inv.currency,
      description: inv.description ?? '',
      hiddenMessage: inv.hiddenMessage ?? '',
      payload: inv.payload ?? '',
      callbackUrl: inv.callbackUrl ?? '',
      created: inv.created,
      ...(inv.paid !== undefined ? { paid: inv.paid } : {}),
      status: inv.status,
      expiredIn: num(String(inv.expiredIn)),
      link: inv.link,
      activationsLeft: num(String(inv.activationsLeft)),
      totalActivations: num(String(inv.totalActivations)),
      ...(payment && inv.status === 'paid'
        ? {
            payment: {
              userId: num(String(payment.userId)),
              paymentNum: num(String(payment.paymentNum)),
              paid: payment.paid,
              paymentAmount: num(payment.paymentAmount),
              paymentAmountReceived: num(payment.paymentAmountReceived),
              ...(payment.comment !== undefined ? { comment: payment.comment } : {}),
            },
          }
        : {}),
    };
    const timestamp = o.timestamp ?? webhookTimes.get(id) ?? new Date().toISOString();
    return Buffer.from(stringify({ type: 'invoicePay', timestamp, data }) ?? '', 'utf8');
  }

  async function sendWebhook(id: number, url: string, o: { forge?: boolean; tamper?: boolean; unsigned?: boolean; body?: Buffer } = {}) {
    const body = o.body ?? webhookBody(id);
    const signingKey = o.forge ? `${apiKey}-forged` : apiKey;
    return postSignedWebhook(url, body, { 'rocket-pay-signature': xRocketSignature(signingKey, body) }, o);
  }

  function failNext(route: XRocketRoute, failure: { status: number; message?: string; raw?: string; times?: number }): void {
    const { times, ...rest } = failure;
    failures.add(route, rest, times ?? 1);
  }

  // ------------------------------------------------------------------------ the shared emulator interface

  function findInvoice(by: InvoiceLookup) {
    const inv = 'invoiceId' in by ? [...invoices.values()].find((i) => i.payload === by.invoiceId) : invoices.get(Number(by.upstreamId));
    return inv && { upstreamId: String(inv.id), invoiceId: inv.payload ?? null };
  }

  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    apiKey,
    requests,
    invoices,
    balances,
    options,
    pay,
    expire,
    webhookBody,
    sendWebhook,
    failNext,
    account: { credentials: { api_key: apiKey }, config: { base_url: baseUrl } },
    refusedCredentials: { api_key: `${apiKey}x` },
    findInvoice,
    payInFull: async (upstreamId) => void pay(Number(upstreamId)),
    expireUnpaid: async (upstreamId) => void expire(Number(upstreamId)),
    webhookVariants: WEBHOOK_VARIANTS,
    sendInvoiceWebhook: (upstreamId, to, variant = 'genuine') => sendWebhook(Number(upstreamId), to.url, variantSwitches(variant, WEBHOOK_VARIANTS)),
    stop: () => stopServer(server),
  };
}

/** xRocket signs the body only: no timestamp header, so no stale variant. */
const WEBHOOK_VARIANTS = ['genuine', 'forged', 'unsigned', 'tampered'] as const;
