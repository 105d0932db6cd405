import { createHash } from 'node:crypto';
import type { z } from 'zod';
import {
  apiBase, createApiClient, defineConnector, parseWebhookBody, signWith, UpstreamError, verifyHmacWebhook,
  type Account, type HmacWebhookScheme, type Unwrapped, type UpstreamHttp, type UpstreamResponse,
} from '../kit/index.js';
import type { Connector } from '../types.js';
import { manifest, STABLECOINS } from './manifest.js';
import { configSchema, credentialsSchema } from './settings.js';
import { envelopeSchema, methodsSchema, orderSchema, SUCCESS_CODE, toOrderBody, toUpstreamEvents, toUpstreamInvoice, webhookSchema, type PayStablecoinMethod } from './transformers.js';

type PayStablecoinAccount = Account<z.output<typeof credentialsSchema>, z.output<typeof configSchema>>;

const DEFAULT_BASE_URL = 'https://api.paystablecoin.global';
/** Payment methods are fetched at run time (the guide: never hard-code pairs) and cached briefly. */
const METHODS_TTL_MS = 60_000;

/** X-Signature of a request (base64 HMAC-SHA256): POST signs the SHA-256 of the exact body bytes, GET the path only. */
export function payStablecoinRequestSignature(secret: string, timestamp: string, method: 'GET' | 'POST', path: string, body?: string | Buffer): string {
  const bodyHash = method === 'POST' ? `\n${createHash('sha256').update(body ?? '').digest('base64')}` : '';
  return signWith({ encoding: 'base64' }, secret, [`${timestamp}\n${method}\n${path}${bodyHash}`]);
}

/** Webhooks: base64 HMAC-SHA256(api_secret, `${X-Timestamp}\n${rawBody}`), sent within 5 minutes of our clock. */
const webhookScheme: HmacWebhookScheme<PayStablecoinAccount> = {
  signatureHeader: 'x-signature',
  key: (account) => account.credentials.api_secret,
  message: (request, timestamp) => [`${timestamp}\n`, request.rawBody],
  encoding: 'base64',
  timestamp: { header: 'x-timestamp', toMs: (v) => (/^\d{1,16}$/.test(v) ? Number(v) : undefined), toleranceMs: () => 5 * 60_000 },
};

/** The X-Signature PayStablecoin sends with this webhook (tests sign with it). */
export function payStablecoinWebhookSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return signWith(webhookScheme, secret, [`${timestamp}\n`, rawBody]);
}

/** `{code, message|msg, data}`: a code other than "00000" is the upstream's error (its shape is an assumption). */
function unwrap(res: UpstreamResponse): Unwrapped {
  const envelope = envelopeSchema.safeParse(res.json);
  if (!envelope.success) return { unreadable: 'answer is not a PayStablecoin envelope' };
  const { code, data, message, msg } = envelope.data;
  if (code !== undefined && code !== SUCCESS_CODE) return { error: { code, detail: message ?? msg } };
  if (data !== undefined && data !== null) return { data };
  return res.status < 300 ? { unreadable: 'answer without data' } : { error: { detail: message ?? msg } };
}

export function createPayStablecoinConnector(deps: { http: UpstreamHttp }): Connector {
  const api = createApiClient<PayStablecoinAccount>(deps.http, {
    name: 'PayStablecoin',
    baseUrl: (account) => apiBase(account.config, DEFAULT_BASE_URL),
    // The signed path is the one under base_url; we never send a query string.
    headers(account, { method, path, body }) {
      const timestamp = String(Date.now());
      return { 'X-Timestamp': timestamp, 'X-Signature': payStablecoinRequestSignature(account.credentials.api_secret, timestamp, method as 'GET' | 'POST', path, body) };
    },
    unwrap,
  });
  const call = <S extends z.ZodType>(account: PayStablecoinAccount, method: 'GET' | 'POST', subPath: string, answer: S, body?: unknown) =>
    api(account, { method, path: `/api/v1/merchants/${encodeURIComponent(account.credentials.merchant_id)}/checkout${subPath}`, answer, body });

  const methodsCache = new Map<string, { at: number; methods: PayStablecoinMethod[] }>();
  async function paymentMethods(account: PayStablecoinAccount): Promise<PayStablecoinMethod[]> {
    const key = `${account.accountId}|${apiBase(account.config, DEFAULT_BASE_URL)}|${account.credentials.merchant_id}`;
    const hit = methodsCache.get(key);
    if (hit && Date.now() - hit.at < METHODS_TTL_MS) return hit.methods;
    const methods = await call(account, 'GET', '/payment-methods', methodsSchema);
    methodsCache.set(key, { at: Date.now(), methods });
    return methods;
  }

  return defineConnector({
    manifest,
    credentials: credentialsSchema,
    config: configSchema,
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
      const order = await call(account, 'POST', '/orders', orderSchema, toOrderBody(input, method, account.webhookUrl));
      // The create answer may omit the id and network name; fill them from what we sent.
      return toUpstreamInvoice(
        { ...order, merchantOrderId: order.merchantOrderId ?? input.invoiceId, network: order.network ?? method.network, networkDisplayName: order.networkDisplayName ?? method.networkDisplayName },
        currency,
      );
    },
    async getInvoice(account, upstreamId) {
      const order = await call(account, 'GET', `/orders/${encodeURIComponent(upstreamId)}`, orderSchema);
      return toUpstreamInvoice({ ...order, merchantOrderId: order.merchantOrderId ?? upstreamId });
    },
    webhooks: {
      verify: (account, request) => verifyHmacWebhook(webhookScheme, account, request),
      parse: (rawBody) => toUpstreamEvents(parseWebhookBody(webhookSchema, rawBody)),
      // The guide is strict: HTTP 200 with exactly {"code":"00000"} within 5 seconds.
      acknowledgement: { status: 200, contentType: 'application/json', body: '{"code":"00000"}' },
    },
  });
}
