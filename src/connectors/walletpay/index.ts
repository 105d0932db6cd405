import type { z } from 'zod';
import { apiBase, createApiClient, defineConnector, parseWebhookBody, signWith, UpstreamError, verifyHmacWebhook, type Account, type HmacWebhookScheme, type UpstreamHttp } from '../kit/index.js';
import type { Connector } from '../types.js';
import { DOCUMENTED_WEBHOOK_IPS, manifest } from './manifest.js';
import { configSchema, credentialsSchema } from './settings.js';
import { orderSchema, toCreateBody, toUpstreamEvents, toUpstreamInvoice, webhookBodySchema } from './transformers.js';

type WalletPayAccount = Account<z.output<typeof credentialsSchema>, z.output<typeof configSchema>>;

const BASE_URL = 'https://pay.wallet.tg';
const API = '/wpay/store-api/v1';

/**
 * WalletPay-Timestamp as milliseconds. Documented as "nano time", shown with 15 digits in the docs'
 * own example: the unit is read from the magnitude rather than assumed.
 */
export function walletPayTimestampMs(value: string): number | undefined {
  if (!/^\d{9,20}$/.test(value)) return undefined;
  const n = Number(value);
  if (n >= 1e17) return n / 1e6; // nanoseconds
  if (n >= 1e14) return n / 1e3; // microseconds
  if (n >= 1e11) return n; // milliseconds
  return n * 1000; // seconds
}

const signedText = (method: string, path: string, timestamp: string, rawBody: Buffer) => `${method}.${path}.${timestamp}.${rawBody.toString('base64')}`;

/** base64 HMAC-SHA256 with the store API key over `METHOD.PATH.TIMESTAMP.base64(body)`, PATH being the public one. */
const webhookScheme: HmacWebhookScheme<WalletPayAccount> = {
  signatureHeader: 'WalletPay-Signature',
  key: (account) => account.credentials.api_key,
  message: (request, timestamp) => [signedText(request.method, request.publicPath, timestamp ?? '', request.rawBody)],
  encoding: 'base64',
  timestamp: {
    header: 'WalletPay-Timestamp',
    toMs: walletPayTimestampMs,
    // Off unless configured: the timestamp's unit is undocumented.
    toleranceMs: ({ config: { webhook_timestamp_tolerance_seconds: seconds } }) => (seconds === undefined ? undefined : seconds * 1000),
  },
  allowedSources: ({ config: { webhook_ip_allowlist: list } }) => (list === true ? DOCUMENTED_WEBHOOK_IPS : list && list.length ? list : undefined),
};

/** The header value Wallet Pay sends (tests and the emulator sign with it). */
export function walletPayWebhookSignature(apiKey: string, method: string, path: string, timestamp: string, rawBody: Buffer): string {
  return signWith(webhookScheme, apiKey, [signedText(method, path, timestamp, rawBody)]);
}

export function createWalletPayConnector(deps: { http: UpstreamHttp }): Connector {
  // Every answer is `{status, message?, data?}`; the order comes only with an HTTP 200.
  const api = createApiClient<WalletPayAccount>(deps.http, {
    name: 'Wallet Pay',
    baseUrl: (account) => `${apiBase(account.config, BASE_URL)}${API}`,
    headers: (account) => ({ 'Wpay-Store-Api-Key': account.credentials.api_key }),
    unwrap: (res) => {
      const envelope = res.json as { status?: unknown; message?: unknown; data?: unknown } | undefined;
      if (typeof envelope?.status !== 'string') return { unreadable: 'answer is not a Wallet Pay envelope' };
      // ALREADY: the same order was created before (an idempotent retry of ours).
      if (res.status === 200 && (envelope.status === 'SUCCESS' || envelope.status === 'ALREADY')) return { data: envelope.data };
      return { error: { code: envelope.status, detail: typeof envelope.message === 'string' ? envelope.message : undefined } };
    },
    // Wallet Pay names a bad key and its own failures, whatever the HTTP status.
    codes: { ACCESS_DENIED: 'fatal', INTERNAL_ERROR: 'retryable' },
  });

  return defineConnector({
    manifest,
    credentials: credentialsSchema,
    config: configSchema,
    async createInvoice(account, input) {
      if (!input.customer?.telegram_user_id) throw new UpstreamError('Wallet Pay needs customer.telegram_user_id', 'decline', false, 'CUSTOMER_REQUIRED');
      return toUpstreamInvoice(await api(account, { method: 'POST', path: '/order', body: toCreateBody(input), answer: orderSchema }));
    },
    getInvoice: async (account, upstreamId) =>
      toUpstreamInvoice(await api(account, { method: 'GET', path: `/order/preview?id=${encodeURIComponent(upstreamId)}`, answer: orderSchema })),
    webhooks: {
      verify: (account, request) => verifyHmacWebhook(webhookScheme, account, request),
      parse: (rawBody) => toUpstreamEvents(parseWebhookBody(webhookBodySchema, rawBody)),
      acknowledgement: { status: 200, contentType: 'application/json', body: '{"ok":true}' },
      redactHeaders: ['wpay-store-api-key'],
    },
  });
}
