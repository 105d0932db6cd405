/**
 * Loopback emulator of one LNbits server (1.x API), with one wallet, after LNbits' own code.
 *
 * `${baseUrl}` stands for the server's root (what a tenant puts in config.base_url); the API is
 * `${baseUrl}/api/v1/…`. Keys go in `X-Api-Key` (or `?api-key=`). The wallet has an Invoice/read
 * key and an Admin key:
 *
 * - `GET /api/v1/wallet` (any key): `{name, balance}` (msat), plus `id` for the admin key.
 * - `POST /api/v1/payments`: an incoming invoice only with `"out": false`; `out` omitted means
 *   true (LNbits' model default: an outgoing payment), which an invoice key may not do
 *   (`403 Invalid adminkey.`) and which this emulator never does (`400`). Each request records
 *   whether `out` was omitted (`outOmitted`). `amount` must be a JSON number, whole for
 *   `unit: "sat"`; a fiat `unit` is priced with `fiatRates` (fiat per BTC), rounded to whole sats.
 *   Answers 201 with a Payment: amounts in msat integers, a BOLT11 of the real shape (`lnbc…`).
 * - `GET /api/v1/payments/{payment_hash}`: key optional; `details` only for a key of this wallet
 *   (a wrong key is read as no key, as LNbits does). `{paid: true, preimage, details}`, or
 *   `{paid: false, status: "pending"|"failed", …}`, or `404 Payment does not exist.`.
 *
 * Errors are `{"detail": "…"}` (`401 No Api Key provided.`, `404 Wallet not found.`, `403
 * Invalid adminkey.`, `403 Invoice (or Admin) key required.`), validation errors FastAPI's
 * `422 {"detail": [{loc, msg, type}]}`; `failNext` injects any other (e.g. `520`, LNbits'
 * payment error).
 *
 * Webhooks go out the LNbits way: unsigned, once (no retry), the body the Payment's JSON encoded
 * twice (a JSON string; 1.1.0 and later) or, with `webhookEncoding: 'object'`, the Payment object
 * (before 1.1.0). LNbits records the answer's status as `webhook_status`.
 *
 * Uncertain shapes are switches: `createAnswer: 'legacy'` answers create like pre-1.0 servers
 * ({payment_hash, payment_request, checking_id, lnurl_response}); `walletAnswer` replaces the
 * wallet answer; `expiredStatus` is what an invoice that ran out unpaid says (default `failed`);
 * `statusDetails: false` leaves `details` out of every status answer.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { request } from 'undici';
import { createFailureQueue, readBody, stopServer, type InvoiceLookup, type RecordedRequest, type UpstreamEmulator, type WebhookVariant } from './emulator-kit.js';

export type LnbitsStatus = 'pending' | 'success' | 'failed';

export interface LnbitsPayment {
  checking_id: string;
  payment_hash: string;
  wallet_id: string;
  /** msat, positive for incoming. */
  amount: number;
  fee: number;
  bolt11: string;
  payment_request: string;
  status: LnbitsStatus;
  memo: string;
  expiry: string;
  webhook: string | null;
  webhook_status: number | null;
  preimage: string | null;
  tag: string | null;
  extension: string | null;
  time: string;
  created_at: string;
  updated_at: string;
  labels: string[];
  extra: Record<string, unknown>;
  fiat_provider: string | null;
}

export interface LnbitsRequest extends RecordedRequest {
  /** Query string included. */
  url: string;
  /** The exact body text received. */
  rawBody: string;
  body: unknown;
  /** Which of the wallet's keys it carried. */
  keyType: 'invoice' | 'admin' | 'none' | 'wrong';
  /** POST /payments without an `out` field (LNbits would read it as an outgoing payment). */
  outOmitted?: boolean;
  status: number;
}

export type WalletAnswer = (wallet: { id: string; name: string; balanceMsat: number }, keyType: 'invoice' | 'admin') => unknown;

export interface LnbitsEmulatorOptions {
  invoiceKey?: string;
  adminKey?: string;
  walletName?: string;
  balanceMsat?: number;
  /** Fiat per BTC for fiat units (default USD 100000, EUR 90000). */
  fiatRates?: Record<string, string>;
  createAnswer?: 'payment' | 'legacy';
  walletAnswer?: WalletAnswer;
  statusDetails?: boolean;
  expiredStatus?: 'failed' | 'pending' | 'expired';
  webhookEncoding?: 'double' | 'object';
  /** BOLT11 prefix: lnbc (mainnet, default), lntb (testnet), lnbcrt (regtest). */
  network?: 'lnbc' | 'lntb' | 'lnbcrt';
}

export interface LnbitsEmulator extends UpstreamEmulator {
  baseUrl: string;
  invoiceKey: string;
  adminKey: string;
  walletId: string;
  requests: LnbitsRequest[];
  /** By payment hash. */
  payments: Map<string, LnbitsPayment>;
  /** Status answered for unpaid invoices whose time ran out (expire()). */
  expired: Set<string>;
  balanceMsat: number;
  options: Required<Omit<LnbitsEmulatorOptions, 'invoiceKey' | 'adminKey' | 'walletAnswer'>> & { walletAnswer?: WalletAnswer };
  /** The payer pays the invoice: success, a preimage, the wallet credited. No webhook. */
  pay(paymentHash: string): LnbitsPayment;
  /** The invoice runs out unpaid (answered as options.expiredStatus). No webhook. */
  expire(paymentHash: string): LnbitsPayment;
  /** The body LNbits posts for this payment (double-encoded unless options.webhookEncoding is 'object'). */
  webhookBody(paymentHash: string, o?: { encoding?: 'double' | 'object'; claimPaid?: boolean }): Buffer;
  /**
   * POSTs the webhook once, like LNbits (no signature, no retry), and records webhook_status.
   * `claimPaid`: a forgery that says success for a payment LNbits has not seen paid.
   */
  sendWebhook(paymentHash: string, url: string, o?: { encoding?: 'double' | 'object'; claimPaid?: boolean; body?: Buffer }): Promise<{ status: number; body: string }>;
  /** The next call(s) to path (e.g. '/payments', '/wallet', '/payments/<hash>') fail with this status and `{"detail"}` (or a raw body). */
  failNext(path: string, failure: { status: number; detail?: string; raw?: string; times?: number }): void;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
  ) {
    super(typeof detail === 'string' ? detail : 'validation error');
  }
}

const validation = (loc: string[], msg: string) => new ApiError(422, [{ loc: ['body', ...loc], msg, type: 'value_error' }]);

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const bech32Chars = (n: number) => Array.from({ length: n }, () => BECH32[randomInt(BECH32.length)]).join('');

/** The shortest BOLT11 amount for msat: digits and a multiplier (m, u, n, p), or whole BTC. */
export function bolt11Amount(msat: bigint): string {
  if (msat === 0n) return '';
  const units: Array<[bigint, string]> = [
    [100_000_000_000n, ''],
    [100_000_000n, 'm'],
    [100_000n, 'u'],
    [100n, 'n'],
  ];
  for (const [per, suffix] of units) if (msat % per === 0n) return `${msat / per}${suffix}`;
  return `${msat * 10n}p`;
}

/** A BOLT11 of the real shape: hrp with the amount, `1`, timestamp, tagged fields (payment hash first), signature. */
function bolt11(prefix: string, msat: bigint): string {
  return `${prefix}${bolt11Amount(msat)}1p${bech32Chars(6)}pp5${bech32Chars(52)}dq${bech32Chars(20)}sp5${bech32Chars(52)}xq${bech32Chars(6)}${bech32Chars(104)}${bech32Chars(6)}`;
}

export async function startLnbitsEmulator(opts: LnbitsEmulatorOptions = {}): Promise<LnbitsEmulator> {
  const invoiceKey = opts.invoiceKey ?? randomBytes(16).toString('hex');
  const adminKey = opts.adminKey ?? randomBytes(16).toString('hex');
  const walletId = randomBytes(16).toString('hex');
  const options: LnbitsEmulator['options'] = {
    walletName: opts.walletName ?? 'Shop wallet',
    balanceMsat: opts.balanceMsat ?? 1_234_567_890,
    fiatRates: opts.fiatRates ?? { USD: '100000', EUR: '90000' },
    createAnswer: opts.createAnswer ?? 'payment',
    statusDetails: opts.statusDetails ?? true,
    expiredStatus: opts.expiredStatus ?? 'failed',
    webhookEncoding: opts.webhookEncoding ?? 'double',
    network: opts.network ?? 'lnbc',
    ...(opts.walletAnswer ? { walletAnswer: opts.walletAnswer } : {}),
  };
  const requests: LnbitsRequest[] = [];
  const payments = new Map<string, LnbitsPayment>();
  const expired = new Set<string>();
  const failures = createFailureQueue<{ status: number; detail?: string; raw?: string }>();
  const state = { balanceMsat: options.balanceMsat };

  function keyOf(req: http.IncomingMessage, url: URL): string | undefined {
    const h = req.headers['x-api-key'];
    return (Array.isArray(h) ? h[0] : h) ?? url.searchParams.get('api-key') ?? undefined;
  }

  function keyType(key: string | undefined): LnbitsRequest['keyType'] {
    if (key === undefined) return 'none';
    if (safeEqual(key, invoiceKey)) return 'invoice';
    if (safeEqual(key, adminKey)) return 'admin';
    return 'wrong';
  }

  /** Endpoints that need a wallet key. */
  function requireKey(type: LnbitsRequest['keyType']): 'invoice' | 'admin' {
    if (type === 'none') throw new ApiError(401, 'No Api Key provided.');
    if (type === 'wrong') throw new ApiError(404, 'Wallet not found.');
    return type;
  }

  function sats(unit: string, amount: number, rawAmount: string): bigint {
    if (unit === 'sat') {
      if (!Number.isInteger(amount)) throw validation(['amount'], 'amount in sat must be a whole number');
      return /^\d+$/.test(rawAmount) ? BigInt(rawAmount) : BigInt(amount);
    }
    const rate = options.fiatRates[unit.toUpperCase()];
    if (!rate) throw new ApiError(400, `Currency ${unit} not supported.`);
    // Priced from the exact digits sent, as a careful server would (LNbits itself reads a float).
    return BigInt(new Decimal(rawAmount).div(rate).times(1e8).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0));
  }

  /** The `amount` exactly as written in the body text (the connector must write our digits). */
  function rawAmountOf(rawBody: string): string | undefined {
    return /"amount"\s*:\s*(-?[0-9][0-9.eE+-]*)/.exec(rawBody)?.[1];
  }

  function createPayment(body: unknown, rawBody: string, type: 'invoice' | 'admin', entry: LnbitsRequest): unknown {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw validation([], 'body must be an object');
    const b = body as Record<string, unknown>;
    entry.outOmitted = !('out' in b);
    if (b.out !== false) {
      if (type === 'invoice') throw new ApiError(403, 'Invalid adminkey.');
      throw new ApiError(400, 'Missing BOLT11 invoice');
    }
    if (typeof b.amount !== 'number' || !Number.isFinite(b.amount) || b.amount < 0) throw validation(['amount'], 'amount must be a number ≥ 0');
    const unit = b.unit === undefined ? 'sat' : b.unit;
    if (typeof unit !== 'string' || !unit) throw validation(['unit'], 'unit must be a string');
    if (b.memo !== undefined && (typeof b.memo !== 'string' || b.memo.length > 640)) throw validation(['memo'], 'memo must be a string of at most 640 characters');
    if (b.expiry !== undefined && (!Number.isInteger(b.expiry) || (b.expiry as number) < 1)) throw validation(['expiry'], 'expiry must be a positive integer');
    if (b.webhook !== undefined && b.webhook !== null && typeof b.webhook !== 'string') throw validation(['webhook'], 'webhook must be a string');
    if (b.extra !== undefined && (typeof b.extra !== 'object' || b.extra === null)) throw validation(['extra'], 'extra must be an object');
    const msat = sats(unit, b.amount, rawAmountOf(rawBody) ?? String(b.amount)) * 1000n;
    const now = new Date();
    const hash = randomBytes(32).toString('hex');
    const invoice = bolt11(options.network, msat);
    const fiat = unit === 'sat' ? {} : { fiat_currency: unit.toUpperCase(), fiat_amount: b.amount };
    const p: LnbitsPayment = {
      checking_id: hash,
      payment_hash: hash,
      wallet_id: walletId,
      amount: Number(msat),
      fee: 0,
      bolt11: invoice,
      payment_request: invoice,
      status: 'pending',
      memo: (b.memo as string | undefined) ?? '',
      expiry: new Date(now.getTime() + ((b.expiry as number | undefined) ?? 3600) * 1000).toISOString(),
      webhook: (b.webhook as string | undefined) ?? null,
      webhook_status: null,
      preimage: null,
      tag: null,
      extension: null,
      time: now.toISOString(),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      labels: [],
      extra: { ...((b.extra as Record<string, unknown> | undefined) ?? {}), ...fiat },
      fiat_provider: null,
    };
    payments.set(hash, p);
    if (options.createAnswer === 'legacy') return { payment_hash: hash, payment_request: invoice, checking_id: hash, lnurl_response: null };
    return p;
  }

  function paymentStatus(hash: string, type: LnbitsRequest['keyType']): unknown {
    const p = payments.get(hash);
    if (!p) throw new ApiError(404, 'Payment does not exist.');
    const details = options.statusDetails && (type === 'invoice' || type === 'admin') ? { details: p } : {};
    if (p.status === 'success') return { paid: true, preimage: p.preimage, ...details };
    if (p.status === 'failed') return { paid: false, status: 'failed', ...details };
    if (expired.has(hash) && options.expiredStatus === 'expired') return { paid: false, status: 'expired', preimage: null, ...details };
    return { paid: false, status: 'pending', preimage: null, ...details };
  }

  function route(method: string, path: string, type: LnbitsRequest['keyType'], entry: LnbitsRequest): { status: number; body: unknown } {
    if (method === 'GET' && path === '/wallet') {
      const kind = requireKey(type);
      const wallet = { id: walletId, name: options.walletName, balanceMsat: state.balanceMsat };
      if (options.walletAnswer) return { status: 200, body: options.walletAnswer(wallet, kind) };
      return { status: 200, body: { ...(kind === 'admin' ? { id: walletId } : {}), name: wallet.name, balance: wallet.balanceMsat } };
    }
    if (method === 'POST' && path === '/payments') {
      const kind = requireKey(type);
      return { status: 201, body: createPayment(entry.body, entry.rawBody, kind, entry) };
    }
    const byHash = /^\/payments\/([^/]+)$/.exec(path);
    // The key is optional here; LNbits reads a key it does not know as none.
    if (method === 'GET' && byHash) return { status: 200, body: paymentStatus(decodeURIComponent(byHash[1]!), type) };
    throw new ApiError(404, 'Not Found');
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const prefix = '/api/v1';
      const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) || '/' : url.pathname;
      const method = req.method ?? 'GET';
      const type = keyType(keyOf(req, url));
      const entry: LnbitsRequest = {
        method,
        path,
        url: `${path}${url.search}`,
        headers: { ...req.headers },
        rawBody: '',
        body: undefined,
        keyType: type,
        authentic: type === 'invoice' || type === 'admin',
        status: 0,
      };
      requests.push(entry);
      let status: number;
      let text: string;
      let contentType = 'application/json';
      try {
        const raw = await readBody(req, () => new ApiError(413, 'Request body too large'));
        entry.rawBody = raw.toString('utf8');
        if (raw.length) {
          try {
            entry.body = JSON.parse(entry.rawBody);
          } catch {
            throw new ApiError(422, [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }]);
          }
        }
        if (!url.pathname.startsWith(prefix)) throw new ApiError(404, 'Not Found');
        const failure = failures.take(path);
        if (failure) {
          status = failure.status;
          if (failure.raw !== undefined) {
            contentType = 'text/html';
            text = failure.raw;
          } else text = JSON.stringify(status === 520 ? { detail: failure.detail ?? 'Payment error', status: 'failed' } : { detail: failure.detail ?? 'Internal Server Error' });
        } else {
          const answer = route(method, path, type, entry);
          status = answer.status;
          text = JSON.stringify(answer.body);
        }
      } catch (err) {
        const e = err instanceof ApiError ? err : new ApiError(500, (err as Error).message);
        status = e.status;
        text = JSON.stringify({ detail: e.detail });
      }
      entry.status = status;
      res.writeHead(status, { 'content-type': contentType });
      res.end(text);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  function find(hash: string): LnbitsPayment {
    const p = payments.get(hash);
    if (!p) throw new Error(`no LNbits payment ${hash}`);
    return p;
  }

  function pay(hash: string): LnbitsPayment {
    const p = find(hash);
    if (p.status === 'success') return p;
    p.status = 'success';
    p.preimage = randomBytes(32).toString('hex');
    p.updated_at = new Date().toISOString();
    state.balanceMsat += p.amount;
    return p;
  }

  function expire(hash: string): LnbitsPayment {
    const p = find(hash);
    if (p.status !== 'pending') return p;
    expired.add(hash);
    if (options.expiredStatus === 'failed') p.status = 'failed';
    p.updated_at = new Date().toISOString();
    return p;
  }

  function webhookBody(hash: string, o: { encoding?: 'double' | 'object'; claimPaid?: boolean } = {}): Buffer {
    const p = find(hash);
    const shown = o.claimPaid && p.status !== 'success' ? { ...p, status: 'success', preimage: randomBytes(32).toString('hex') } : p;
    const json = JSON.stringify(shown);
    return Buffer.from((o.encoding ?? options.webhookEncoding) === 'double' ? JSON.stringify(json) : json, 'utf8');
  }

  async function sendWebhook(hash: string, url: string, o: { encoding?: 'double' | 'object'; claimPaid?: boolean; body?: Buffer } = {}) {
    const body = o.body ?? webhookBody(hash, o);
    // Once, unsigned, 40 s timeout; the answer's status is recorded, nothing is retried.
    const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, headersTimeout: 40_000, bodyTimeout: 40_000 });
    const text = await res.body.text();
    const p = payments.get(hash);
    if (p && !o.claimPaid) p.webhook_status = res.statusCode;
    return { status: res.statusCode, body: text };
  }

  function failNext(path: string, failure: { status: number; detail?: string; raw?: string; times?: number }): void {
    const { times, ...rest } = failure;
    failures.add(path, rest, times ?? 1);
  }

  function findInvoice(by: InvoiceLookup) {
    const p = 'invoiceId' in by ? [...payments.values()].find((x) => x.extra.switchyard_invoice_id === by.invoiceId) : payments.get(by.upstreamId);
    return p && { upstreamId: p.payment_hash, invoiceId: typeof p.extra.switchyard_invoice_id === 'string' ? p.extra.switchyard_invoice_id : null };
  }

  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    invoiceKey,
    adminKey,
    walletId,
    requests,
    payments,
    expired,
    options,
    get balanceMsat() {
      return state.balanceMsat;
    },
    set balanceMsat(v: number) {
      state.balanceMsat = v;
    },
    pay,
    expire,
    webhookBody,
    sendWebhook,
    failNext,
    account: { credentials: { api_key: invoiceKey }, config: { base_url: baseUrl } },
    refusedCredentials: { api_key: randomBytes(16).toString('hex') },
    findInvoice,
    payInFull: async (upstreamId) => void pay(upstreamId),
    expireUnpaid: async (upstreamId) => void expire(upstreamId),
    webhookVariants: WEBHOOK_VARIANTS,
    async sendInvoiceWebhook(upstreamId, to, variant: WebhookVariant = 'genuine') {
      if (!WEBHOOK_VARIANTS.includes(variant as (typeof WEBHOOK_VARIANTS)[number])) throw new Error(`LNbits signs nothing: it cannot send a ${variant} webhook`);
      return sendWebhook(upstreamId, to.url, variant === 'forged' ? { claimPaid: true } : {});
    },
    stop: () => stopServer(server),
  };
}

/**
 * LNbits signs nothing, so the only forgery is a body that lies: `forged` claims the payment
 * succeeded though LNbits has not seen it paid.
 */
const WEBHOOK_VARIANTS = ['genuine', 'forged'] as const;
