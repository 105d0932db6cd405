import { createHash, createHmac } from 'node:crypto';
import type { AccountContext, Connector, UpstreamInvoice } from '../types.js';
import { UpstreamError } from '../types.js';
import type { UpstreamHttp } from '../upstream-http.js';
import { timingSafeEqualStrings } from '../signature-compare.js';
import { headerOf } from '../inbound-headers.js';
import { manifest, STABLECOINS } from './manifest.js';
import { sortMethods, toOrderBody, toUpstreamEvents, toUpstreamInvoice, type PayStablecoinMethod, type PayStablecoinOrder } from './transformers.js';

const DEFAULT_BASE_URL = 'https://api.paystablecoin.global';
/** Payment methods are fetched at run time (the guide: never hard-code pairs) and cached briefly. */
const METHODS_TTL_MS = 60_000;
/** Webhook timestamps further than this from our clock are refused, either direction (guide, Step 4). */
const WEBHOOK_TOLERANCE_MS = 5 * 60_000;

const hmacBase64 = (secret: string, data: string) => createHmac('sha256', secret).update(data, 'utf8').digest('base64');

/** X-Signature of a request: POST signs the SHA-256 of the exact body bytes, GET the path only. */
export function payStablecoinRequestSignature(secret: string, timestamp: string, method: 'GET' | 'POST', path: string, body?: string | Buffer): string {
  if (method === 'GET') return hmacBase64(secret, `${timestamp}\nGET\n${path}`);
  const bodyHash = createHash('sha256').update(body ?? '').digest('base64');
  return hmacBase64(secret, `${timestamp}\nPOST\n${path}\n${bodyHash}`);
}

/** X-Signature of a webhook: base64 HMAC-SHA256(secret, `${timestamp}\n${rawBody}`). */
export function payStablecoinWebhookSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n`, 'utf8').update(rawBody).digest('base64');
}

function baseUrl(account: AccountContext): string {
  return ((account.config.base_url as string | undefined) ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
}

export function createPayStablecoinConnector(deps: { http: UpstreamHttp }): Connector {
  const methodsCache = new Map<string, { at: number; methods: PayStablecoinMethod[] }>();

  /**
   * One signed call. Answer envelope `{data: …}` (guide); the error shape is an assumption: a
   * `code` and `message` next to it, either of which we keep as the upstream's reason.
   */
  async function call<T>(account: AccountContext, method: 'GET' | 'POST', subPath: string, body?: Record<string, unknown>): Promise<T> {
    const merchantId = account.credentials.merchant_id ?? '';
    const path = `/api/v1/merchants/${encodeURIComponent(merchantId)}/checkout${subPath}`;
    const timestamp = String(Date.now());
    // UpstreamHttp.send serialises `body` with JSON.stringify: hash exactly those bytes.
    const sentBytes = body === undefined ? undefined : JSON.stringify(body);
    const res = await deps.http.send({
      method,
      url: `${baseUrl(account)}${path}`,
      headers: { 'X-Timestamp': timestamp, 'X-Signature': payStablecoinRequestSignature(account.credentials.api_secret ?? '', timestamp, method, path, sentBytes) },
      ...(body !== undefined ? { body } : {}),
    });
    const envelope = res.json as { code?: string | number; message?: string; msg?: string; data?: T } | undefined;
    if (res.status >= 200 && res.status < 300 && envelope && envelope.data !== undefined && envelope.data !== null) return envelope.data;
    const code = envelope?.code !== undefined && String(envelope.code) !== '00000' ? String(envelope.code) : `HTTP_${res.status}`;
    const detail = envelope?.message ?? envelope?.msg;
    const message = `PayStablecoin ${method} ${subPath}: ${code}${detail ? ` ${detail}` : ''}`;
    if (res.status === 429 || res.status >= 500) throw new UpstreamError(message, 'integration', true, code);
    if (res.status === 401 || res.status === 403) throw new UpstreamError(message, 'integration', false, code);
    if (res.status >= 200 && res.status < 300) throw new UpstreamError(`${message} (answer without data)`, 'integration', false, code);
    throw new UpstreamError(message, 'decline', false, code);
  }

  async function paymentMethods(account: AccountContext): Promise<PayStablecoinMethod[]> {
    const key = `${account.accountId}|${baseUrl(account)}|${account.credentials.merchant_id ?? ''}`;
    const hit = methodsCache.get(key);
    if (hit && Date.now() - hit.at < METHODS_TTL_MS) return hit.methods;
    const data = await call<PayStablecoinMethod[] | { methods?: PayStablecoinMethod[]; items?: PayStablecoinMethod[] }>(account, 'GET', '/payment-methods');
    // The guide shows a list; tolerate a wrapped list too (assumption).
    const list = Array.isArray(data) ? data : (data.methods ?? data.items ?? []);
    const methods = sortMethods(list);
    methodsCache.set(key, { at: Date.now(), methods });
    return methods;
  }

  const getInvoice = async (account: AccountContext, upstreamId: string): Promise<UpstreamInvoice> =>
    toUpstreamInvoice(await call<PayStablecoinOrder>(account, 'GET', `/orders/${encodeURIComponent(upstreamId)}`));

  return {
    manifest,
    redactHeaders: [],
    validateCredentials(credentials) {
      const c = (credentials ?? {}) as Record<string, unknown>;
      const errors: Array<{ field: string; message: string }> = [];
      if (typeof c.merchant_id !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(c.merchant_id)) errors.push({ field: '/credentials/merchant_id', message: 'must be the PayStablecoin Merchant ID (letters, digits, _ and -)' });
      if (typeof c.api_secret !== 'string' || c.api_secret.length === 0) errors.push({ field: '/credentials/api_secret', message: 'must be the API Secret from the merchant portal' });
      for (const k of Object.keys(c)) if (k !== 'merchant_id' && k !== 'api_secret') errors.push({ field: `/credentials/${k}`, message: 'is not a PayStablecoin credential (API Checkout uses no API key)' });
      return errors;
    },
    validateConfig(config) {
      return ['environment', 'webhook_ip_allowlist', 'webhook_timestamp_tolerance_seconds']
        .filter((k) => config[k] !== undefined)
        .map((k) => ({ field: `/config/${k}`, message: 'does not apply to PayStablecoin accounts' }));
    },
    async checkCredentials(account) {
      await paymentMethods(account);
    },
    async createInvoice(account, input) {
      const currency = input.currency.toUpperCase();
      const methods = await paymentMethods(account);
      const pairs = methods.map((m) => `${m.cryptoCurrency}/${m.network}`).join(', ') || 'none';
      if (!STABLECOINS.includes(currency)) {
        throw new UpstreamError(`PayStablecoin takes only stablecoins (${STABLECOINS.join(', ')}); valid currency/network pairs: ${pairs}`, 'unsuitable', false, 'CURRENCY_NOT_SUPPORTED');
      }
      // The invoice carries no network choice: take the first method for the currency by displayOrder.
      const method = methods.find((m) => m.cryptoCurrency.toUpperCase() === currency);
      if (!method) throw new UpstreamError(`PayStablecoin offers no network for ${currency}; valid currency/network pairs: ${pairs}`, 'unsuitable', false, 'NETWORK_NOT_AVAILABLE');
      const order = await call<PayStablecoinOrder>(account, 'POST', '/orders', toOrderBody(input, method, account.webhookUrl));
      // The create answer may omit the id and network name; fill them from what we sent.
      return toUpstreamInvoice({ ...order, merchantOrderId: order.merchantOrderId ?? input.invoiceId, network: order.network ?? method.network, networkDisplayName: order.networkDisplayName ?? method.networkDisplayName }, currency);
    },
    getInvoice,
    verifyWebhook(account, request) {
      const timestamp = headerOf(request, 'x-timestamp');
      const received = headerOf(request, 'x-signature');
      if (!timestamp || !received) return { ok: false, reason: 'missing_signature' };
      if (!/^\d{1,16}$/.test(timestamp)) return { ok: false, reason: 'malformed' };
      const expected = payStablecoinWebhookSignature(account.credentials.api_secret ?? '', timestamp, request.rawBody);
      if (!timingSafeEqualStrings(received, expected)) return { ok: false, reason: 'bad_signature' };
      if (Math.abs(request.receivedAt.getTime() - Number(timestamp)) > WEBHOOK_TOLERANCE_MS) return { ok: false, reason: 'stale' };
      return { ok: true };
    },
    parseWebhook(rawBody) {
      return toUpstreamEvents(JSON.parse(rawBody.toString('utf8')) as unknown);
    },
    // The guide is strict: HTTP 200 with exactly {"code":"00000"} within 5 seconds.
    acknowledgement: () => ({ status: 200, contentType: 'application/json', body: '{"code":"00000"}' }),
  };
}
