/**
 * Loopback emulator of PayStablecoin API Checkout, after PayStablecoin's API Checkout guide.
 *
 * Every request must carry X-Timestamp (unix ms) and X-Signature = base64 HMAC-SHA256(api secret,
 * `${ts}\nPOST\n${path}\n${base64(sha256(body bytes))}` or `${ts}\nGET\n${path}`), recomputed
 * here over the exact bytes received. Answers are `{code:"00000", message:"success", data:…}`.
 *
 * Assumptions (not in the guide): the error envelope `{code, message, data:null}` and its codes;
 * HTTP 401 for auth failures; timestamps more than 5 minutes off are refused; non-terminal order
 * status `PENDING`; the webhook body (`{merchantOrderId, acquiringOrderId, status, …}`, the same
 * field names as the query); any X-Api-Key header is ignored.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import { request } from 'undici';
import {
  createFailureQueue,
  readBody,
  stopServer,
  variantSwitches,
  type InvoiceLookup,
  type RecordedRequest,
  type UpstreamEmulator,
} from './emulator-kit.js';

export interface PayStablecoinMethod {
  cryptoCurrency: string;
  network: string;
  networkDisplayName: string;
  minAmount: string;
  maxAmount: string;
  estimatedConfirmationTimeSec: number;
  displayOrder: number;
}

export interface PayStablecoinOrder {
  merchantOrderId: string;
  acquiringOrderId: string;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'CLOSED';
  orderAmount: { value: string; currency: string };
  cryptoPaymentAmount: { value: string; currency: string };
  paymentMethodType: 'ON_CHAIN_TRANSFER';
  network: string;
  networkDisplayName: string;
  depositAddress: string;
  expiresAt: string;
  callbackUrl: string;
  createdAt: string;
  paidAt?: string;
}

export interface PayStablecoinRequest extends RecordedRequest {
  body: Buffer;
}

export interface PayStablecoinEmulator extends UpstreamEmulator {
  /** 'http://127.0.0.1:<port>' — stands in for https://api.paystablecoin.global. */
  baseUrl: string;
  merchantId: string;
  apiSecret: string;
  methods: PayStablecoinMethod[];
  orders: Map<string, PayStablecoinOrder>;
  /** Every request received, in order (auth failures included). */
  requests: PayStablecoinRequest[];
  pay(merchantOrderId: string): PayStablecoinOrder;
  /** status → CLOSED (the order window ended unpaid). */
  close(merchantOrderId: string): PayStablecoinOrder;
  fail(merchantOrderId: string): PayStablecoinOrder;
  /** The exact bytes of the webhook for this order's current status (compact JSON). */
  webhookBody(merchantOrderId: string): Buffer;
  /** POSTs the webhook to url with X-Timestamp/X-Signature over the exact bytes sent. */
  sendWebhook(
    merchantOrderId: string,
    url: string,
    opts?: { forge?: boolean; tamper?: boolean; unsigned?: boolean; timestamp?: number },
  ): Promise<{ status: number; body: string; sent: { headers: Record<string, string>; body: Buffer } }>;
  /** The next request(s) whose path ends with `pathSuffix` fail with `status` (error envelope, or `raw` text). */
  failNext(pathSuffix: string, failure: { status: number; code?: string; raw?: string; times?: number }): void;
}

export const STABLECOINS = ['USDC', 'USDT', 'USD1'];
const TOLERANCE_MS = 5 * 60_000; // assumption: same window as the webhook rule

export const DEFAULT_METHODS: PayStablecoinMethod[] = [
  { cryptoCurrency: 'USDT', network: 'tron', networkDisplayName: 'Tron (TRC-20)', minAmount: '1', maxAmount: '100000', estimatedConfirmationTimeSec: 60, displayOrder: 1 },
  { cryptoCurrency: 'USDC', network: 'solana', networkDisplayName: 'Solana (SPL)', minAmount: '1', maxAmount: '100000', estimatedConfirmationTimeSec: 30, displayOrder: 2 },
  { cryptoCurrency: 'USDT', network: 'ethereum', networkDisplayName: 'Ethereum (ERC-20)', minAmount: '10', maxAmount: '500000', estimatedConfirmationTimeSec: 300, displayOrder: 3 },
  { cryptoCurrency: 'USDC', network: 'ethereum', networkDisplayName: 'Ethereum (ERC-20)', minAmount: '10', maxAmount: '500000', estimatedConfirmationTimeSec: 300, displayOrder: 4 },
  { cryptoCurrency: 'USDT', network: 'bsc', networkDisplayName: 'BNB Smart Chain (BEP-20)', minAmount: '1', maxAmount: '100000', estimatedConfirmationTimeSec: 45, displayOrder: 5 },
];

const hmacBase64 = (secret: string, data: Buffer) => createHmac('sha256', secret).update(data).digest('base64');

export function requestSignature(secret: string, timestamp: string, method: string, path: string, body: Buffer): string {
  if (method === 'GET') return hmacBase64(secret, Buffer.from(`${timestamp}\nGET\n${path}`, 'utf8'));
  const bodyHash = createHash('sha256').update(body).digest('base64');
  return hmacBase64(secret, Buffer.from(`${timestamp}\n${method}\n${path}\n${bodyHash}`, 'utf8'));
}

export function webhookSignature(secret: string, timestamp: string, body: Buffer): string {
  return hmacBase64(secret, Buffer.concat([Buffer.from(`${timestamp}\n`, 'utf8'), body]));
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


const isAmount = (v: unknown): v is string => typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) && Number(v) > 0;

export async function startPayStablecoinEmulator(opts: { merchantId?: string; apiSecret?: string; methods?: PayStablecoinMethod[] } = {}): Promise<PayStablecoinEmulator> {
  const merchantId = opts.merchantId ?? `MCH_20240101_${randomBytes(3).toString('hex').toUpperCase()}`;
  const apiSecret = opts.apiSecret ?? randomBytes(24).toString('base64url');
  const methods = (opts.methods ?? DEFAULT_METHODS).map((m) => ({ ...m }));
  const orders = new Map<string, PayStablecoinOrder>();
  const requests: PayStablecoinRequest[] = [];
  const failures = createFailureQueue<{ status: number; code?: string; raw?: string }>();
  const prefix = `/api/v1/merchants/`;

  function mustGet(id: string): PayStablecoinOrder {
    const o = orders.get(id);
    if (!o) throw new Error(`no PayStablecoin order ${id}`);
    if (o.status === 'PENDING' && Date.parse(o.expiresAt) <= Date.now()) o.status = 'CLOSED';
    return o;
  }

  function authenticate(req: http.IncomingMessage, path: string, body: Buffer): void {
    const ts = req.headers['x-timestamp'];
    const sig = req.headers['x-signature'];
    if (typeof ts !== 'string' || typeof sig !== 'string' || !ts || !sig) throw new ApiError(401, 'SIGNATURE_MISSING', 'X-Timestamp and X-Signature are required');
    if (!/^\d{13}$/.test(ts)) throw new ApiError(401, 'TIMESTAMP_INVALID', 'X-Timestamp must be unix time in milliseconds');
    if (Math.abs(Date.now() - Number(ts)) > TOLERANCE_MS) throw new ApiError(401, 'TIMESTAMP_EXPIRED', 'X-Timestamp is more than 5 minutes off');
    if (sig !== requestSignature(apiSecret, ts, req.method ?? 'GET', path, body)) throw new ApiError(401, 'SIGNATURE_INVALID', 'signature verification failed');
  }

  function createOrder(body: Buffer): PayStablecoinOrder {
    let p: Record<string, unknown>;
    try {
      p = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new ApiError(400, 'INVALID_JSON', 'body must be JSON');
    }
    if (!p || typeof p !== 'object' || Array.isArray(p)) throw new ApiError(400, 'INVALID_JSON', 'body must be a JSON object');
    const id = p.merchantOrderId;
    if (typeof id !== 'string' || !id || id.length > 64) throw new ApiError(400, 'PARAM_INVALID', 'merchantOrderId is required (1-64 characters)');
    if (orders.has(id)) throw new ApiError(409, 'DUPLICATE_ORDER', `merchantOrderId ${id} already exists`);
    const amount = p.orderAmount as { value?: unknown; currency?: unknown } | undefined;
    if (!amount || !isAmount(amount.value)) throw new ApiError(400, 'PARAM_INVALID', 'orderAmount.value must be a positive decimal string');
    if (typeof amount.currency !== 'string' || !STABLECOINS.includes(amount.currency)) throw new ApiError(422, 'CURRENCY_NOT_SUPPORTED', `orderAmount.currency must be a stablecoin: ${STABLECOINS.join(', ')}`);
    if (p.paymentMethodType !== 'ON_CHAIN_TRANSFER') throw new ApiError(400, 'PARAM_INVALID', 'paymentMethodType must be ON_CHAIN_TRANSFER');
    const method = methods.find((m) => m.cryptoCurrency === amount.currency && m.network === p.network);
    if (!method) {
      const valid = methods.map((m) => `${m.cryptoCurrency}/${m.network}`).join(', ');
      throw new ApiError(422, 'NETWORK_NOT_AVAILABLE', `${String(amount.currency)}/${String(p.network)} is not an available payment method; valid: ${valid}`);
    }
    const value = Number(amount.value);
    if (value < Number(method.minAmount) || value > Number(method.maxAmount)) throw new ApiError(422, 'AMOUNT_OUT_OF_RANGE', `amount must be between ${method.minAmount} and ${method.maxAmount}`);
    if (typeof p.expiresAt !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(p.expiresAt) || Date.parse(p.expiresAt) <= Date.now()) throw new ApiError(400, 'PARAM_INVALID', 'expiresAt must be a future RFC 3339 time');
    if (typeof p.callbackUrl !== 'string' || !/^https?:\/\//.test(p.callbackUrl)) throw new ApiError(400, 'PARAM_INVALID', 'callbackUrl must be an http(s) URL');
    const order: PayStablecoinOrder = {
      merchantOrderId: id,
      acquiringOrderId: `ACQ${Date.now()}${randomInt(1000, 9999)}`,
      status: 'PENDING',
      orderAmount: { value: amount.value, currency: amount.currency },
      // A made-up unique tail so the buyer's transfer can be matched (why the guide says show THIS amount).
      cryptoPaymentAmount: { value: (value + randomInt(1, 99) / 10_000).toFixed(4), currency: amount.currency },
      paymentMethodType: 'ON_CHAIN_TRANSFER',
      network: method.network,
      networkDisplayName: method.networkDisplayName,
      depositAddress: method.network === 'tron' ? `T${randomBytes(16).toString('hex').slice(0, 33)}` : `0x${randomBytes(20).toString('hex')}`,
      expiresAt: p.expiresAt,
      callbackUrl: p.callbackUrl,
      createdAt: new Date().toISOString(),
    };
    orders.set(id, order);
    return order;
  }

  function route(method: string, path: string, body: Buffer): unknown {
    if (!path.startsWith(prefix)) throw new ApiError(404, 'NOT_FOUND', 'no such endpoint');
    const [mid, checkout, resource, orderId, ...rest] = path.slice(prefix.length).split('/');
    if (checkout !== 'checkout' || rest.length) throw new ApiError(404, 'NOT_FOUND', 'no such endpoint');
    if (decodeURIComponent(mid ?? '') !== merchantId) throw new ApiError(403, 'MERCHANT_MISMATCH', 'merchant id does not match the credentials');
    if (resource === 'payment-methods' && orderId === undefined && method === 'GET') return [...methods].sort((a, b) => a.displayOrder - b.displayOrder);
    if (resource === 'orders' && orderId === undefined && method === 'POST') return createOrder(body);
    if (resource === 'orders' && orderId && method === 'GET') {
      const o = orders.get(decodeURIComponent(orderId));
      if (!o) throw new ApiError(404, 'ORDER_NOT_FOUND', `order ${decodeURIComponent(orderId)} not found`);
      return mustGet(o.merchantOrderId);
    }
    throw new ApiError(405, 'METHOD_NOT_ALLOWED', 'method not allowed');
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    const url = new URL(req.url ?? '/', 'http://emulator');
    let body: Buffer = Buffer.alloc(0);
    const record: PayStablecoinRequest = { method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body, authentic: false };
    requests.push(record);
    try {
      body = await readBody(req, () => new ApiError(413, 'REQUEST_TOO_LARGE', 'request too large'));
      record.body = body;
      // The signature covers the path only (the guide signs GETs "with no query string").
      authenticate(req, url.pathname, body);
      record.authentic = true;
      const key = failures.keys().find((k) => url.pathname.endsWith(k));
      const f = key ? failures.take(key) : undefined;
      if (f) {
        if (f.raw !== undefined) {
          res.writeHead(f.status, { 'content-type': 'text/plain' });
          res.end(f.raw);
          return;
        }
        throw new ApiError(f.status, f.code ?? (f.status >= 500 ? 'SYSTEM_ERROR' : 'REQUEST_FAILED'), 'injected failure');
      }
      send(200, { code: '00000', message: 'success', data: route(record.method, url.pathname, body) });
    } catch (err) {
      if (err instanceof ApiError) send(err.status, { code: err.code, message: err.message, data: null });
      else send(500, { code: 'SYSTEM_ERROR', message: (err as Error).message, data: null });
    }
  }

  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  function transition(id: string, to: PayStablecoinOrder['status']): PayStablecoinOrder {
    const o = mustGet(id);
    if (o.status !== 'PENDING') throw new Error(`order ${id} is ${o.status}, not PENDING`);
    o.status = to;
    if (to === 'SUCCEEDED') o.paidAt = new Date().toISOString();
    return o;
  }

  function webhookBody(id: string): Buffer {
    const o = mustGet(id);
    // assumption: field names as in the query answer.
    const payload: Record<string, unknown> = {
      merchantOrderId: o.merchantOrderId,
      acquiringOrderId: o.acquiringOrderId,
      status: o.status,
      orderAmount: o.orderAmount,
      cryptoPaymentAmount: o.cryptoPaymentAmount,
      network: o.network,
      depositAddress: o.depositAddress,
      ...(o.paidAt ? { paidAt: o.paidAt } : {}),
    };
    return Buffer.from(JSON.stringify(payload), 'utf8');
  }

  function findInvoice(by: InvoiceLookup) {
    const order = 'invoiceId' in by ? orders.get(by.invoiceId) : (orders.get(by.upstreamId) ?? [...orders.values()].find((o) => o.acquiringOrderId === by.upstreamId));
    return order && { upstreamId: order.merchantOrderId, invoiceId: order.merchantOrderId };
  }

  async function sendWebhook(id: string, url: string, o: { forge?: boolean; tamper?: boolean; unsigned?: boolean; timestamp?: number } = {}) {
    const original = webhookBody(id);
    const timestamp = String(o.timestamp ?? Date.now());
    const signature = webhookSignature(o.forge ? `${apiSecret}-forged` : apiSecret, timestamp, original);
    let body = original;
    if (o.tamper) {
      body = Buffer.from(original);
      const i = body.indexOf('"status":"') + '"status":"'.length;
      body[i] = body[i] === 0x58 ? 0x59 : 0x58; // one byte changed, JSON stays valid
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (!o.unsigned) {
      headers['x-timestamp'] = timestamp;
      headers['x-signature'] = signature;
    }
    const res = await request(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(5000) });
    return { status: res.statusCode, body: await res.body.text(), sent: { headers, body } };
  }

  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    merchantId,
    apiSecret,
    methods,
    orders,
    requests,
    pay: (id) => transition(id, 'SUCCEEDED'),
    close: (id) => transition(id, 'CLOSED'),
    fail: (id) => transition(id, 'FAILED'),
    webhookBody,
    sendWebhook,
    failNext(pathSuffix, failure) {
      const { times, ...rest } = failure;
      failures.add(pathSuffix, rest, times ?? 1);
    },
    account: { credentials: { merchant_id: merchantId, api_secret: apiSecret }, config: { base_url: baseUrl } },
    refusedCredentials: { merchant_id: merchantId, api_secret: randomBytes(24).toString('base64url') },
    findInvoice,
    payInFull: async (upstreamId) => void transition(upstreamId, 'SUCCEEDED'),
    expireUnpaid: async (upstreamId) => void transition(upstreamId, 'CLOSED'),
    webhookVariants: WEBHOOK_VARIANTS,
    sendInvoiceWebhook(upstreamId, to, variant = 'genuine') {
      if (variant === 'stale') return sendWebhook(upstreamId, to.url, { timestamp: Date.now() - 3600_000 });
      return sendWebhook(upstreamId, to.url, variantSwitches(variant, WEBHOOK_VARIANTS));
    },
    stop: () => stopServer(server),
  };
}

/** PayStablecoin signs a timestamp (ms) with every webhook, so a stale one can be sent. */
const WEBHOOK_VARIANTS = ['genuine', 'forged', 'unsigned', 'tampered', 'stale'] as const;
