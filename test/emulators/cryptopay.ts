/**
 * Loopback emulator of the Crypto Pay API (Crypto Bot), after its public documentation.
 *
 * The API lives at `${baseUrl}/api/{method}` exactly like https://pay.crypt.bot/api/{method}.
 * It is strict the way the real API is: the `Crypto-Pay-API-Token` header must equal the app token,
 * errors come as `{"ok":false,"error":{"code","name"}}` with HTTP status = code, amounts are strings
 * on the wire, ids are JSON numbers. Params are taken from the query string and from a JSON,
 * urlencoded or multipart body (body wins over query), as the popular clients send them.
 *
 * Webhooks (`invoice_paid` updates) are compact JSON in JS `JSON.stringify` style, keys in the
 * order seen in real deliveries, signed as documented over exactly the bytes put on the wire.
 *
 * Assumptions where the upstream is not documented are marked "assumption" below; the error
 * names other than UNAUTHORIZED / METHOD_NOT_FOUND / METHOD_DISABLED / EXPIRES_IN_INVALID are
 * invented in the documented style (`PARAM_<NAME>_REQUIRED`, `<NAME>_INVALID`); `failNext` lets a
 * test make any call fail in any other way.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createHmac, randomInt } from 'node:crypto';
import { Decimal } from 'decimal.js';
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

export interface CryptoPayInvoice {
  invoice_id: number;
  hash: string;
  currency_type: 'crypto' | 'fiat';
  asset?: string;
  fiat?: string;
  amount: string;
  paid_asset?: string;
  paid_amount?: string;
  paid_fiat_rate?: string;
  accepted_assets?: string[];
  fee_asset?: string;
  fee_amount?: string;
  fee_in_usd?: string;
  pay_url: string;
  bot_invoice_url: string;
  mini_app_invoice_url: string;
  web_app_invoice_url: string;
  description?: string;
  status: 'active' | 'paid' | 'expired';
  created_at: string;
  allow_comments: boolean;
  allow_anonymous: boolean;
  expiration_date?: string;
  paid_usd_rate?: string;
  paid_at?: string;
  paid_anonymously?: boolean;
  comment?: string;
  hidden_message?: string;
  payload?: string;
  paid_btn_name?: string;
  paid_btn_url?: string;
  swap_to?: string;
}

export interface CryptoPayRequest extends RecordedRequest {
  httpMethod: string;
  apiMethod: string;
  headers: Record<string, string | string[] | undefined>;
  params: Record<string, unknown>;
}

export interface CryptoPayEmulator extends UpstreamEmulator {
  /** 'http://127.0.0.1:<port>' — API lives at `${baseUrl}/api/{method}` exactly like https://pay.crypt.bot/api/{method}. */
  baseUrl: string;
  /** The one valid app token, shape `<digits>:<35 alphanumerics>`. */
  token: string;
  /** Every API request received, in order (auth failures included). */
  requests: CryptoPayRequest[];
  invoices: Map<number, CryptoPayInvoice>;
  /** status → paid, fills paid_* and fee fields (fiat invoices: paid_asset defaults to the first accepted asset or USDT, paid_amount to a computed string). */
  pay(invoiceId: number, opts?: { paidAsset?: string; paidAmount?: string; feeAmount?: string }): CryptoPayInvoice;
  expire(invoiceId: number): CryptoPayInvoice;
  /** The exact bytes of an invoice_paid update for this invoice (compact JSON, JS JSON.stringify style, key order as observed in real deliveries). */
  webhookBody(invoiceId: number, opts?: { updateId?: number; requestDate?: string }): Buffer;
  /** POSTs that update to url, signed as documented over the exact bytes sent; options make it forged (signed with another token), tampered (signature computed, then one byte of the body changed), or unsigned (no header). Resolves with the answer. */
  sendWebhook(
    invoiceId: number,
    url: string,
    opts?: { forge?: boolean; tamper?: boolean; unsigned?: boolean; body?: Buffer },
  ): Promise<{ status: number; body: string }>;
  /** The next call(s) of apiMethod fail: with an upstream error envelope {ok:false,error:{code,name}} and HTTP status = code (e.g. 400 EXPIRES_IN_INVALID), or a bare HTTP 500/429/502 with a non-JSON body when `raw` is set. */
  failNext(apiMethod: string, failure: { status: number; name?: string; raw?: string; times?: number }): void;
  /** While on, calls of apiMethod are never answered: the upstream hangs (past any client's timeout). Off: they answer again. */
  hang(apiMethod: string, on: boolean): void;
  /** Calls of apiMethod left hanging so far. */
  hung(apiMethod: string): number;
}

/** Lowercase hex HMAC-SHA256 of `body`, keyed by the raw 32-byte SHA256 of the token (as documented). */
export function cryptoPaySignature(token: string, body: Buffer): string {
  const secret = createHash('sha256').update(token, 'utf8').digest();
  return createHmac('sha256', secret).update(body).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Static data

const TOKEN_SHAPE = /^\d+:[A-Za-z0-9]{35}$/;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BOT = 'CryptoBot'; // mainnet, since the emulator stands in for pay.crypt.bot

/** USD price of each asset (made up, stable). The asset list is the documented one. */
const ASSET_USD: Record<string, string> = {
  USDT: '1', USDC: '1', TON: '5.5', BTC: '65000', ETH: '3000', LTC: '80', BNB: '600', TRX: '0.12',
  SOL: '150', GRAM: '0.003', NOT: '0.008', DOGS: '0.0006',
};
/** Units of each fiat per 1 USD (made up, stable). The fiat list is the documented one. */
const FIAT_PER_USD: Record<string, string> = {
  USD: '1', EUR: '0.92', RUB: '90', BYN: '3.3', UAH: '41', GBP: '0.79', CNY: '7.2', KZT: '480', UZS: '12700',
  GEL: '2.7', TRY: '34', AMD: '390', THB: '35', INR: '84', BRL: '5.6', IDR: '15800', AZN: '1.7', AED: '3.67',
  PLN: '4', ILS: '3.7', KGS: '87', TJS: '10.9',
};
const SWAP_TO = new Set(['USDT', 'TON', 'TRX', 'ETH', 'SOL', 'BTC', 'LTC']);
const PAID_BTN_NAMES = new Set(['viewItem', 'openChannel', 'openBot', 'callback']);
const FEE_RATE = new Decimal('0.03'); // 3%, as in every observed delivery
const DEFAULT_BALANCES: Array<[string, string]> = [['USDT', '12.5'], ['TON', '0'], ['BTC', '0'], ['ETH', '0'], ['LTC', '0'], ['BNB', '0'], ['TRX', '0'], ['USDC', '0']];

/** Invoice keys in the order of real answers and deliveries (documentation and real dumps). `fee`/`usd_rate` are webhook-only. */
const INVOICE_KEY_ORDER = [
  'invoice_id', 'hash', 'currency_type', 'asset', 'fiat', 'amount', 'paid_asset', 'paid_amount', 'paid_fiat_rate',
  'accepted_assets', 'fee_asset', 'fee_amount', 'fee', 'fee_in_usd', 'pay_url', 'bot_invoice_url',
  'mini_app_invoice_url', 'web_app_invoice_url', 'description', 'status', 'created_at', 'allow_comments',
  'allow_anonymous', 'expiration_date', 'paid_usd_rate', 'usd_rate', 'paid_at', 'paid_anonymously', 'comment',
  'hidden_message', 'payload', 'paid_btn_name', 'paid_btn_url', 'swap_to',
] as const;

// ---------------------------------------------------------------------------------------------
// Helpers

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly errorName: string,
  ) {
    super(`${code} ${errorName}`);
  }
}

function randomString(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

function randomToken(): string {
  return `${randomInt(10_000, 1_000_000)}:${randomString(35)}`;
}

/** Decimal as the upstream writes it: plain notation, no trailing zeros. */
function dec(d: Decimal, places = 8): string {
  return d.toDecimalPlaces(places, Decimal.ROUND_HALF_UP).toFixed();
}

function required(params: Record<string, unknown>, name: string): unknown {
  const v = params[name];
  if (v === undefined || v === null || v === '') throw new ApiError(400, `PARAM_${name.toUpperCase()}_REQUIRED`);
  return v;
}

function present(params: Record<string, unknown>, name: string): boolean {
  const v = params[name];
  return v !== undefined && v !== null && v !== '';
}

function invalid(name: string): ApiError {
  return new ApiError(400, `${name.toUpperCase()}_INVALID`);
}

function str(params: Record<string, unknown>, name: string): string | undefined {
  if (!present(params, name)) return undefined;
  const v = params[name];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw invalid(name);
}

/** JSON bool, or "true"/"false" in any case (the Python clients send "True"). */
function bool(params: Record<string, unknown>, name: string, fallback: boolean): boolean {
  if (!present(params, name)) return fallback;
  const v = params[name];
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const l = v.trim().toLowerCase();
    if (l === 'true') return true;
    if (l === 'false') return false;
  }
  throw invalid(name);
}

/** Integer as JSON number or digit string. */
function int(params: Record<string, unknown>, name: string): number | undefined {
  if (!present(params, name)) return undefined;
  const v = params[name];
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) {
    const n = Number(v.trim());
    if (Number.isSafeInteger(n)) return n;
  }
  throw invalid(name);
}

/** Comma-separated string (spaces allowed), or — defensively — a JSON array. */
function list(params: Record<string, unknown>, name: string): string[] | undefined {
  if (!present(params, name)) return undefined;
  const v = params[name];
  let items: unknown[];
  if (Array.isArray(v)) items = v;
  else if (typeof v === 'string') items = v.split(',');
  else if (typeof v === 'number') items = [String(v)];
  else throw invalid(name);
  const out = items.map((i) => (typeof i === 'number' ? String(i) : typeof i === 'string' ? i.trim() : null));
  if (out.length === 0 || out.some((i) => !i)) throw invalid(name);
  return out as string[];
}

/** Amount as JSON number or decimal string, > 0. */
function amount(params: Record<string, unknown>): Decimal {
  const v = required(params, 'amount');
  let text: string;
  if (typeof v === 'number' && Number.isFinite(v)) text = String(v);
  else if (typeof v === 'string') text = v.trim();
  else throw invalid('amount');
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text) && !/^\d+(\.\d+)?e[+-]?\d+$/i.test(text)) throw invalid('amount');
  const d = new Decimal(text);
  if (!d.isFinite() || d.lte(0)) throw invalid('amount');
  return d;
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function ordered(inv: CryptoPayInvoice, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const src: Record<string, unknown> = { ...inv, ...extra };
  const out: Record<string, unknown> = {};
  for (const k of INVOICE_KEY_ORDER) if (src[k] !== undefined) out[k] = src[k];
  // Anything a test added by hand goes last rather than vanishing.
  for (const [k, v] of Object.entries(src)) if (!(k in out) && v !== undefined) out[k] = v;
  return out;
}


/** Query first, then the body (JSON, urlencoded or multipart); other content types are ignored (assumption). */
async function readParams(req: http.IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  const raw = await readBody(req, () => new ApiError(413, 'REQUEST_TOO_LARGE'));
  if (raw.length === 0) return params;
  const ct = String(req.headers['content-type'] ?? '').toLowerCase();
  const mime = ct.split(';')[0]!.trim();
  if (mime === 'application/json' || mime.endsWith('+json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new ApiError(400, 'JSON_INVALID'); // assumption: name not documented
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ApiError(400, 'JSON_INVALID');
    Object.assign(params, parsed);
  } else if (mime === 'application/x-www-form-urlencoded') {
    for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) params[k] = v;
  } else if (mime === 'multipart/form-data') {
    let form: FormData;
    try {
      form = await new Response(raw, { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
    } catch {
      throw new ApiError(400, 'FORM_INVALID'); // assumption
    }
    for (const [k, v] of form) params[k] = typeof v === 'string' ? v : await v.text();
  }
  return params;
}

// ---------------------------------------------------------------------------------------------

/** Re-checks expiry whenever a test reads an invoice by id. */
class InvoiceMap extends Map<number, CryptoPayInvoice> {
  override get(id: number): CryptoPayInvoice | undefined {
    const inv = super.get(id);
    if (inv) refreshStatus(inv);
    return inv;
  }
}

function refreshStatus(inv: CryptoPayInvoice): void {
  if (inv.status === 'active' && inv.expiration_date && Date.parse(inv.expiration_date) <= Date.now()) inv.status = 'expired';
}

export async function startCryptoPayEmulator(opts: { token?: string } = {}): Promise<CryptoPayEmulator> {
  const token = opts.token ?? randomToken();
  if (!TOKEN_SHAPE.test(token)) throw new Error(`Crypto Pay tokens look like <digits>:<35 alphanumerics>, got ${JSON.stringify(token)}`);
  const appId = Number(token.split(':')[0]);
  const requests: CryptoPayRequest[] = [];
  const invoices = new InvoiceMap();
  const hashes = new Set<string>();
  /** The update each paid invoice is delivered as (stable, so webhookBody() and sendWebhook() agree). */
  const updates = new Map<number, { updateId: number; requestDate: string }>();
  const failures = createFailureQueue<{ status: number; name?: string; raw?: string }>();
  const hangingMethods = new Set<string>();
  const held = new Map<string, http.ServerResponse[]>();
  const balances = new Map<string, Decimal>(DEFAULT_BALANCES.map(([c, v]) => [c, new Decimal(v)]));
  let nextInvoiceId = 20_000_000_000 + randomInt(0, 1_000_000_000);
  let nextUpdateId = 60_000_000 + randomInt(0, 10_000_000);

  const refreshAll = () => {
    for (const inv of invoices.values()) refreshStatus(inv);
  };

  function mustGet(id: number): CryptoPayInvoice {
    const inv = invoices.get(id);
    if (!inv) throw new Error(`no Crypto Pay invoice ${id}`);
    return inv;
  }

  // ------------------------------------------------------------------------ API methods

  function createInvoice(p: Record<string, unknown>): CryptoPayInvoice {
    const currencyType = str(p, 'currency_type') ?? 'crypto';
    if (currencyType !== 'crypto' && currencyType !== 'fiat') throw invalid('currency_type');
    let asset: string | undefined;
    let fiat: string | undefined;
    let accepted: string[] | undefined;
    if (currencyType === 'crypto') {
      asset = String(required(p, 'asset'));
      if (!(asset in ASSET_USD)) throw invalid('asset');
      if (present(p, 'accepted_assets')) throw invalid('accepted_assets'); // only with fiat
    } else {
      fiat = String(required(p, 'fiat'));
      if (!(fiat in FIAT_PER_USD)) throw invalid('fiat');
      accepted = list(p, 'accepted_assets');
      if (accepted?.some((a) => !(a in ASSET_USD))) throw invalid('accepted_assets');
    }
    const amt = amount(p);
    const description = str(p, 'description');
    if (description !== undefined && description.length > 1024) throw invalid('description');
    const hidden = str(p, 'hidden_message');
    if (hidden !== undefined && hidden.length > 2048) throw invalid('hidden_message');
    const payload = str(p, 'payload');
    if (payload !== undefined && payload.length > 4096) throw invalid('payload');
    const btnName = str(p, 'paid_btn_name');
    let btnUrl: string | undefined;
    if (btnName !== undefined) {
      if (!PAID_BTN_NAMES.has(btnName)) throw invalid('paid_btn_name');
      btnUrl = String(required(p, 'paid_btn_url'));
      if (!isHttpUrl(btnUrl)) throw invalid('paid_btn_url');
    }
    const swapTo = str(p, 'swap_to');
    if (swapTo !== undefined && !SWAP_TO.has(swapTo)) throw invalid('swap_to');
    const allowComments = bool(p, 'allow_comments', true);
    const allowAnonymous = bool(p, 'allow_anonymous', true);
    const expiresIn = int(p, 'expires_in');
    if (expiresIn !== undefined && (expiresIn < 1 || expiresIn > 2_678_400)) throw new ApiError(400, 'EXPIRES_IN_INVALID');

    let hash: string;
    do hash = `IV${randomString(10)}`;
    while (hashes.has(hash));
    hashes.add(hash);
    const now = Date.now();
    const inv: CryptoPayInvoice = {
      invoice_id: nextInvoiceId++,
      hash,
      currency_type: currencyType,
      ...(asset !== undefined ? { asset } : {}),
      ...(fiat !== undefined ? { fiat } : {}),
      amount: dec(amt, 18),
      ...(currencyType === 'fiat' ? { accepted_assets: accepted ?? Object.keys(ASSET_USD) } : {}),
      pay_url: `https://t.me/${BOT}?start=${hash}`,
      bot_invoice_url: `https://t.me/${BOT}?start=${hash}`,
      mini_app_invoice_url: `https://t.me/${BOT}/app?startapp=invoice-${hash}&mode=compact`,
      web_app_invoice_url: `https://app.send.tg/invoices/${hash}`,
      ...(description !== undefined ? { description } : {}),
      status: 'active',
      created_at: new Date(now).toISOString(),
      allow_comments: allowComments,
      allow_anonymous: allowAnonymous,
      ...(expiresIn !== undefined ? { expiration_date: new Date(now + expiresIn * 1000).toISOString() } : {}),
      ...(hidden !== undefined ? { hidden_message: hidden } : {}),
      ...(payload !== undefined ? { payload } : {}),
      ...(btnName !== undefined ? { paid_btn_name: btnName, paid_btn_url: btnUrl } : {}),
      ...(swapTo !== undefined ? { swap_to: swapTo } : {}),
    };
    invoices.set(inv.invoice_id, inv);
    return inv;
  }

  function getInvoices(p: Record<string, unknown>): { items: Record<string, unknown>[] } {
    const asset = str(p, 'asset');
    const fiat = str(p, 'fiat');
    const ids = list(p, 'invoice_ids')?.map((s) => {
      if (!/^\d+$/.test(s)) throw invalid('invoice_ids');
      return Number(s);
    });
    const status = str(p, 'status');
    if (status !== undefined && status !== 'active' && status !== 'paid') throw invalid('status'); // 'expired' is no filter
    const offset = int(p, 'offset') ?? 0;
    if (offset < 0) throw invalid('offset');
    const count = int(p, 'count') ?? 100;
    if (count < 1 || count > 1000) throw invalid('count');
    const idSet = ids ? new Set(ids) : undefined;
    // Newest first (assumption: the order is not documented).
    const all = [...invoices.values()].sort((a, b) => b.invoice_id - a.invoice_id);
    const items = all.filter(
      (i) =>
        (!asset || i.asset === asset) &&
        (!fiat || i.fiat === fiat) &&
        (!idSet || idSet.has(i.invoice_id)) &&
        (!status || i.status === status),
    );
    return { items: items.slice(offset, offset + count).map((i) => ordered(i)) };
  }

  function deleteInvoice(p: Record<string, unknown>): true {
    const id = int(p, 'invoice_id');
    if (id === undefined) throw new ApiError(400, 'PARAM_INVOICE_ID_REQUIRED');
    if (!invoices.delete(id)) throw new ApiError(400, 'INVOICE_NOT_FOUND'); // name: assumption
    return true;
  }

  function getBalance() {
    return [...balances].map(([currency_code, v]) => ({ currency_code, available: dec(v), onhold: '0' }));
  }

  function getExchangeRates() {
    const out: Array<Record<string, unknown>> = [];
    for (const [asset, usd] of Object.entries(ASSET_USD)) {
      for (const [fiat, perUsd] of Object.entries(FIAT_PER_USD)) {
        out.push({ is_valid: true, is_crypto: true, is_fiat: false, source: asset, target: fiat, rate: dec(new Decimal(usd).mul(perUsd)) });
      }
    }
    return out;
  }

  function getCurrencies() {
    const crypto = Object.keys(ASSET_USD).map((code) => ({
      is_blockchain: !['USDT', 'USDC'].includes(code), is_stablecoin: ['USDT', 'USDC'].includes(code), is_fiat: false,
      name: code, code, decimals: code === 'BTC' ? 8 : 9,
    }));
    const fiat = Object.keys(FIAT_PER_USD).map((code) => ({ is_blockchain: false, is_stablecoin: false, is_fiat: true, name: code, code, decimals: 8 }));
    return [...crypto, ...fiat];
  }

  const methods: Record<string, (p: Record<string, unknown>) => unknown> = {
    getMe: () => ({ app_id: appId, name: 'Switchyard Emulator', payment_processing_bot_username: BOT }),
    createInvoice: (p) => ordered(createInvoice(p)),
    deleteInvoice,
    getInvoices,
    getBalance,
    getExchangeRates,
    getCurrencies,
    // Disabled by default on real apps since 1.1.2.
    transfer: () => {
      throw new ApiError(403, 'METHOD_DISABLED');
    },
  };

  // ------------------------------------------------------------------------ server

  const send = (res: http.ServerResponse, status: number, value: unknown) => {
    const body = Buffer.from(JSON.stringify(value));
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
  };
  const sendError = (res: http.ServerResponse, code: number, name: string) => send(res, code, { ok: false, error: { code, name } });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const m = /^\/api\/(.*)$/.exec(url.pathname);
    if (!m) {
      req.resume();
      return sendError(res, 404, 'NOT_FOUND'); // assumption: outside /api the real host answers some 404
    }
    const apiMethod = decodeURIComponent(m[1]!);
    const record: CryptoPayRequest = {
      method: req.method ?? '',
      path: url.pathname,
      httpMethod: req.method ?? '',
      apiMethod,
      headers: { ...req.headers },
      params: {},
      authentic: req.headers['crypto-pay-api-token'] === token,
    };
    requests.push(record);
    let paramError: ApiError | undefined;
    try {
      record.params = await readParams(req, url);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      paramError = e;
    }
    // Header names are case-insensitive (node lowercases them); the value must match exactly.
    if (!record.authentic) return sendError(res, 401, 'UNAUTHORIZED');
    if (paramError) return sendError(res, paramError.code, paramError.errorName);
    const fn = Object.hasOwn(methods, apiMethod) ? methods[apiMethod] : undefined;
    if (!fn || (req.method !== 'GET' && req.method !== 'POST')) return sendError(res, 405, 'METHOD_NOT_FOUND');
    if (hangingMethods.has(apiMethod)) {
      held.set(apiMethod, [...(held.get(apiMethod) ?? []), res]);
      return;
    }
    const failure = failures.take(apiMethod);
    if (failure) {
      if (failure.raw !== undefined) {
        res.writeHead(failure.status, { 'content-type': 'text/html; charset=utf-8' }).end(failure.raw);
        return;
      }
      return sendError(res, failure.status, failure.name ?? defaultErrorName(failure.status));
    }
    refreshAll();
    try {
      send(res, 200, { ok: true, result: fn(record.params) });
    } catch (e) {
      if (e instanceof ApiError) return sendError(res, e.code, e.errorName);
      throw e;
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, 500, 'APP_ERROR');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  // ------------------------------------------------------------------------ test controls

  function pay(invoiceId: number, o: { paidAsset?: string; paidAmount?: string; feeAmount?: string } = {}): CryptoPayInvoice {
    const inv = mustGet(invoiceId);
    if (inv.status !== 'active') throw new Error(`Crypto Pay invoice ${invoiceId} is ${inv.status}, cannot be paid`);
    let paidAsset: string;
    let paidAmount: Decimal;
    if (inv.currency_type === 'crypto') {
      paidAsset = o.paidAsset ?? inv.asset!;
      paidAmount = new Decimal(o.paidAmount ?? inv.amount);
    } else {
      paidAsset = o.paidAsset ?? inv.accepted_assets?.[0] ?? 'USDT';
      const rate = new Decimal(ASSET_USD[paidAsset] ?? '1').mul(FIAT_PER_USD[inv.fiat!] ?? '1'); // fiat per 1 paid asset
      inv.paid_fiat_rate = dec(rate);
      paidAmount = o.paidAmount !== undefined ? new Decimal(o.paidAmount) : new Decimal(inv.amount).div(rate).toDecimalPlaces(8, Decimal.ROUND_UP);
    }
    const usd = new Decimal(ASSET_USD[paidAsset] ?? '1');
    const fee = o.feeAmount !== undefined ? new Decimal(o.feeAmount) : paidAmount.mul(FEE_RATE);
    inv.paid_asset = paidAsset;
    inv.paid_amount = dec(paidAmount, 18);
    inv.fee_asset = paidAsset;
    inv.fee_amount = dec(fee, 18);
    inv.fee_in_usd = dec(fee.mul(usd));
    inv.status = 'paid';
    const paidAt = Date.now();
    inv.paid_at = new Date(paidAt).toISOString();
    inv.paid_usd_rate = dec(usd);
    inv.paid_anonymously = false;
    balances.set(paidAsset, (balances.get(paidAsset) ?? new Decimal(0)).add(paidAmount).sub(fee));
    updates.set(invoiceId, { updateId: nextUpdateId++, requestDate: new Date(paidAt + 150).toISOString() });
    return inv;
  }

  function expire(invoiceId: number): CryptoPayInvoice {
    const inv = mustGet(invoiceId);
    if (inv.status === 'paid') throw new Error(`Crypto Pay invoice ${invoiceId} is paid, cannot expire`);
    const now = new Date().toISOString();
    if (!inv.expiration_date || inv.expiration_date > now) inv.expiration_date = now;
    inv.status = 'expired';
    return inv;
  }

  function webhookBody(invoiceId: number, o: { updateId?: number; requestDate?: string } = {}): Buffer {
    const inv = mustGet(invoiceId);
    const upd = updates.get(invoiceId);
    if (inv.status !== 'paid' || !upd) throw new Error(`Crypto Pay invoice ${invoiceId} is not paid: call pay() first`);
    const update = {
      update_id: o.updateId ?? upd.updateId,
      update_type: 'invoice_paid',
      request_date: o.requestDate ?? upd.requestDate,
      // Deprecated duplicates still delivered in webhooks.
      payload: ordered(inv, { fee: inv.fee_amount, usd_rate: inv.paid_usd_rate }),
    };
    return Buffer.from(JSON.stringify(update), 'utf8');
  }

  async function sendWebhook(
    invoiceId: number,
    url: string,
    o: { forge?: boolean; tamper?: boolean; unsigned?: boolean; body?: Buffer } = {},
  ): Promise<{ status: number; body: string }> {
    const body = o.body ?? webhookBody(invoiceId);
    let signingToken = token;
    if (o.forge) do signingToken = randomToken(); while (signingToken === token);
    return postSignedWebhook(url, body, { 'crypto-pay-api-signature': cryptoPaySignature(signingToken, body) }, o);
  }

  function failNext(apiMethod: string, failure: { status: number; name?: string; raw?: string; times?: number }): void {
    const { times, ...rest } = failure;
    failures.add(apiMethod, rest, times ?? 1);
  }

  // ------------------------------------------------------------------------ the shared emulator interface

  function findInvoice(by: InvoiceLookup) {
    const inv = 'invoiceId' in by ? [...invoices.values()].find((i) => i.payload === by.invoiceId) : invoices.get(Number(by.upstreamId));
    return inv && { upstreamId: String(inv.invoice_id), invoiceId: inv.payload ?? null };
  }

  const baseUrl = `http://127.0.0.1:${port}`;
  let refusedToken: string;
  do refusedToken = randomToken();
  while (refusedToken === token);
  return {
    baseUrl,
    token,
    requests,
    invoices,
    pay,
    expire,
    webhookBody,
    sendWebhook,
    failNext,
    hang: (apiMethod, on) => void (on ? hangingMethods.add(apiMethod) : hangingMethods.delete(apiMethod)),
    hung: (apiMethod) => held.get(apiMethod)?.length ?? 0,
    account: { credentials: { token }, config: { base_url: baseUrl } },
    refusedCredentials: { token: refusedToken },
    findInvoice,
    payInFull: async (upstreamId) => void pay(Number(upstreamId)),
    expireUnpaid: async (upstreamId) => void expire(Number(upstreamId)),
    webhookVariants: WEBHOOK_VARIANTS,
    sendInvoiceWebhook: (upstreamId, to, variant = 'genuine') => sendWebhook(Number(upstreamId), to.url, variantSwitches(variant, WEBHOOK_VARIANTS)),
    stop: () => {
      for (const res of [...held.values()].flat()) res.destroy();
      return stopServer(server);
    },
  };
}

/** Crypto Pay signs the body only: no timestamp, so no stale variant. */
const WEBHOOK_VARIANTS = ['genuine', 'forged', 'unsigned', 'tampered'] as const;

function defaultErrorName(status: number): string {
  switch (status) {
    case 400: return 'BAD_REQUEST';
    case 401: return 'UNAUTHORIZED';
    case 403: return 'METHOD_DISABLED';
    case 404: return 'NOT_FOUND';
    case 405: return 'METHOD_NOT_FOUND';
    case 429: return 'TOO_MANY_REQUESTS';
    default: return 'APP_ERROR'; // the name seen on real 500s
  }
}
