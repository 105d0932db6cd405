/**
 * Loopback emulator of the XthonPay API, after XthonPay's quick-start guide.
 *
 * The API lives at `${baseUrl}` exactly like https://xthonpay.com/api/v1 (so `POST ${baseUrl}/invoices`).
 * Every request must carry `X-API-Key`, `X-Timestamp` (unix seconds) and `X-Signature` = lowercase
 * hex HMAC-SHA256(api secret, timestamp string) — the signature covers neither body nor path.
 * Answers are `{"data": …}`.
 *
 * Assumptions (not in the guide), all marked "assumption" below:
 * - error envelope `{"success":false,"error":{"code","message"}}` with 401 for a wrong key, signature
 *   or a timestamp older (or further ahead) than `timestampToleranceSeconds` (default 300);
 * - the invoice id field is `invoice_id` (the connector also accepts `id`);
 * - webhook `data` carries, besides the documented `external_id`: invoice_id, amount,
 *   deposit_address, tx_hash, paid_at; the body is compact JSON.
 *
 * Webhooks (`invoice.paid`) are signed with `X-Xthon-Signature` = lowercase hex
 * HMAC-SHA256(webhook secret, raw body) over exactly the bytes put on the wire.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
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

export interface XthonPayInvoice {
  invoice_id: string;
  external_id: string | null;
  amount: string;
  currency: 'USDT';
  network: 'BSC';
  deposit_address: string;
  callback_url: string | null;
  status: 'pending' | 'paid';
  created_at: string;
  paid_at?: string;
  tx_hash?: string;
}

export interface XthonPayRequest extends RecordedRequest {
  body: unknown;
  /** The answer's HTTP status. */
  status: number;
}

export interface XthonPayEmulator extends UpstreamEmulator {
  /** 'http://127.0.0.1:<port>/api/v1' — stands in for https://xthonpay.com/api/v1. */
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  webhookSecret: string;
  /** Every API request received, in order (auth failures included). */
  requests: XthonPayRequest[];
  /** By XthonPay's invoice_id. */
  invoices: Map<string, XthonPayInvoice>;
  balance: Decimal;
  /** Marks an invoice paid (id = XthonPay's invoice_id or the merchant's external_id) and credits the balance. */
  pay(id: string, opts?: { txHash?: string }): XthonPayInvoice;
  /** The exact bytes of the invoice.paid webhook for a paid invoice. */
  webhookBody(id: string): Buffer;
  /** POSTs invoice.paid to url signed over the exact bytes sent; forge = other secret, tamper = one byte changed after signing, unsigned = no header. */
  sendWebhook(id: string, url: string, opts?: { forge?: boolean; tamper?: boolean; unsigned?: boolean; body?: Buffer }): Promise<{ status: number; body: string }>;
  /** The next call(s) to path (e.g. '/invoices') fail with this HTTP status and an error envelope (or a raw non-JSON body). */
  failNext(path: string, failure: { status: number; code?: string; raw?: string; times?: number }): void;
}

export function xthonPaySignature(secret: string, data: string | Buffer): string {
  return createHmac('sha256', secret).update(data).digest('hex');
}


class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}


function bscAddress(): string {
  return `0x${randomBytes(20).toString('hex')}`;
}

export async function startXthonPayEmulator(
  opts: { apiKey?: string; apiSecret?: string; webhookSecret?: string; timestampToleranceSeconds?: number; balance?: string } = {},
): Promise<XthonPayEmulator> {
  const apiKey = opts.apiKey ?? `xpk_live_${randomBytes(12).toString('hex')}`;
  const apiSecret = opts.apiSecret ?? `xps_live_${randomBytes(24).toString('hex')}`;
  const webhookSecret = opts.webhookSecret ?? `xwh_${randomBytes(24).toString('hex')}`;
  const tolerance = opts.timestampToleranceSeconds ?? 300; // assumption: 5 minutes
  const requests: XthonPayRequest[] = [];
  const invoices = new Map<string, XthonPayInvoice>();
  const failures = createFailureQueue<{ status: number; code?: string; raw?: string }>();
  let nextId = 100_000 + Math.floor(Math.random() * 100_000);
  const state = { balance: new Decimal(opts.balance ?? '125.50') };

  /** Why the upstream refuses this request's authentication, if it does. */
  function authFailure(req: http.IncomingMessage): ApiError | undefined {
    const key = header(req, 'x-api-key');
    const ts = header(req, 'x-timestamp');
    const sig = header(req, 'x-signature');
    if (!key || !ts || !sig) return new ApiError(401, 'UNAUTHORIZED', 'missing authentication headers');
    if (!safeEqual(key, apiKey)) return new ApiError(401, 'INVALID_API_KEY', 'invalid API key');
    if (!/^\d+$/.test(ts) || Math.abs(Math.floor(Date.now() / 1000) - Number(ts)) > tolerance) {
      return new ApiError(401, 'TIMESTAMP_EXPIRED', 'timestamp outside the allowed window'); // assumption
    }
    if (!safeEqual(sig, xthonPaySignature(apiSecret, ts))) return new ApiError(401, 'INVALID_SIGNATURE', 'invalid signature');
    return undefined;
  }

  function createInvoice(body: unknown): XthonPayInvoice {
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof b.amount !== 'string' || !/^\d+(\.\d{1,2})?$/.test(b.amount) || new Decimal(b.amount).lte(0)) {
      throw new ApiError(400, 'INVALID_AMOUNT', 'amount must be a positive decimal string with at most 2 decimals'); // assumption
    }
    if (b.external_id !== undefined && typeof b.external_id !== 'string') throw new ApiError(400, 'INVALID_EXTERNAL_ID', 'external_id must be a string');
    if (b.callback_url !== undefined && (typeof b.callback_url !== 'string' || !/^https?:\/\//.test(b.callback_url))) {
      throw new ApiError(400, 'INVALID_CALLBACK_URL', 'callback_url must be an http(s) URL');
    }
    const inv: XthonPayInvoice = {
      invoice_id: `xinv_${nextId++}`,
      external_id: (b.external_id as string | undefined) ?? null,
      amount: new Decimal(b.amount).toFixed(2),
      currency: 'USDT',
      network: 'BSC',
      deposit_address: bscAddress(),
      callback_url: (b.callback_url as string | undefined) ?? null,
      status: 'pending',
      created_at: new Date().toISOString(),
    };
    invoices.set(inv.invoice_id, inv);
    return inv;
  }

  function route(method: string, path: string, body: unknown): unknown {
    if (method === 'POST' && path === '/invoices') return createInvoice(body);
    if (method === 'GET' && path === '/balance') return { balance: state.balance.toFixed(2), currency: 'USDT' };
    // assumption: the guide documents no status query; this one (by XthonPay id or external_id) backs config.status_path.
    const byId = /^\/invoices\/([^/]+)$/.exec(path);
    if (method === 'GET' && byId) {
      const id = decodeURIComponent(byId[1]!);
      const inv = invoices.get(id) ?? [...invoices.values()].find((i) => i.external_id === id);
      if (!inv) throw new ApiError(404, 'INVOICE_NOT_FOUND', 'invoice not found');
      return inv;
    }
    throw new ApiError(404, 'NOT_FOUND', `no route ${method} ${path}`);
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const prefix = '/api/v1';
      const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) || '/' : url.pathname;
      const method = req.method ?? 'GET';
      const refusal = authFailure(req);
      const entry: XthonPayRequest = { method, path, headers: { ...req.headers }, body: undefined, status: 0, authentic: !refusal };
      requests.push(entry);
      let status = 200;
      let text: string;
      let contentType = 'application/json';
      try {
        const raw = await readBody(req, () => new ApiError(413, 'REQUEST_TOO_LARGE', 'request body too large'));
        if (raw.length) {
          try {
            entry.body = JSON.parse(raw.toString('utf8'));
          } catch {
            throw new ApiError(400, 'INVALID_JSON', 'body is not JSON');
          }
        }
        if (!url.pathname.startsWith(prefix)) throw new ApiError(404, 'NOT_FOUND', 'not found');
        if (refusal) throw refusal;
        const failure = failures.take(path);
        if (failure) {
          status = failure.status;
          if (failure.raw !== undefined) {
            contentType = 'text/html';
            text = failure.raw;
          } else {
            text = JSON.stringify({ success: false, error: { code: failure.code ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST'), message: 'injected failure' } });
          }
        } else {
          text = JSON.stringify({ success: true, data: route(method, path, entry.body) });
        }
      } catch (err) {
        const e = err instanceof ApiError ? err : new ApiError(500, 'INTERNAL_ERROR', (err as Error).message);
        status = e.status;
        text = JSON.stringify({ success: false, error: { code: e.code, message: e.message } });
      }
      entry.status = status;
      res.writeHead(status, { 'content-type': contentType });
      res.end(text);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  function find(id: string): XthonPayInvoice {
    const inv = invoices.get(id) ?? [...invoices.values()].find((i) => i.external_id === id);
    if (!inv) throw new Error(`no XthonPay invoice ${id}`);
    return inv;
  }

  function pay(id: string, o: { txHash?: string } = {}): XthonPayInvoice {
    const inv = find(id);
    if (inv.status === 'paid') return inv;
    inv.status = 'paid';
    inv.paid_at = new Date().toISOString();
    inv.tx_hash = o.txHash ?? `0x${randomBytes(32).toString('hex')}`;
    state.balance = state.balance.add(inv.amount);
    return inv;
  }

  function webhookBody(id: string): Buffer {
    const inv = find(id);
    if (inv.status !== 'paid') throw new Error(`XthonPay invoice ${id} is not paid: call pay() first`);
    const event = {
      event: 'invoice.paid',
      data: { external_id: inv.external_id, invoice_id: inv.invoice_id, amount: inv.amount, currency: inv.currency, deposit_address: inv.deposit_address, tx_hash: inv.tx_hash, paid_at: inv.paid_at },
    };
    return Buffer.from(JSON.stringify(event), 'utf8');
  }

  async function sendWebhook(id: string, url: string, o: { forge?: boolean; tamper?: boolean; unsigned?: boolean; body?: Buffer } = {}) {
    const body = o.body ?? webhookBody(id);
    const secret = o.forge ? `xwh_${randomBytes(24).toString('hex')}` : webhookSecret;
    return postSignedWebhook(url, body, { 'x-xthon-signature': xthonPaySignature(secret, body) }, o);
  }

  function failNext(path: string, failure: { status: number; code?: string; raw?: string; times?: number }): void {
    const { times, ...rest } = failure;
    failures.add(path, rest, times ?? 1);
  }

  function findInvoice(by: InvoiceLookup) {
    // By upstream id, both ids are accepted, like the status query (and pay) are.
    const id = 'invoiceId' in by ? by.invoiceId : by.upstreamId;
    const inv = 'invoiceId' in by ? [...invoices.values()].find((i) => i.external_id === id) : (invoices.get(id) ?? [...invoices.values()].find((i) => i.external_id === id));
    return inv && { upstreamId: inv.invoice_id, invoiceId: inv.external_id };
  }

  const baseUrl = `http://127.0.0.1:${port}/api/v1`;
  return {
    baseUrl,
    apiKey,
    apiSecret,
    webhookSecret,
    requests,
    invoices,
    get balance() {
      return state.balance;
    },
    set balance(v: Decimal) {
      state.balance = v;
    },
    pay,
    webhookBody,
    sendWebhook,
    failNext,
    account: { credentials: { api_key: apiKey, api_secret: apiSecret, webhook_secret: webhookSecret }, config: { base_url: baseUrl } },
    refusedCredentials: { api_key: apiKey, api_secret: `xps_live_${randomBytes(24).toString('hex')}`, webhook_secret: webhookSecret },
    findInvoice,
    payInFull: async (upstreamId) => void pay(upstreamId),
    webhookVariants: WEBHOOK_VARIANTS,
    sendInvoiceWebhook: (upstreamId, to, variant = 'genuine') => sendWebhook(upstreamId, to.url, variantSwitches(variant, WEBHOOK_VARIANTS)),
    stop: () => stopServer(server),
  };
}

/** XthonPay signs the body only: no timestamp, so no stale variant. */
const WEBHOOK_VARIANTS = ['genuine', 'forged', 'unsigned', 'tampered'] as const;
