import { z } from 'zod';
import { apiBase, createApiClient, defineConnector, hmacSha256, parseWebhookBody, signWith, UpstreamError, verifyHmacWebhook, type Account, type HmacWebhookScheme, type UpstreamHttp } from '../kit/index.js';
import type { Connector } from '../types.js';
import { manifest } from './manifest.js';
import { configSchema, credentialsSchema } from './settings.js';
import { balanceSchema, createdSchema, queriedSchema, toAmount, toCreateBody, toQueriedInvoice, toUpstreamEvents, toUpstreamInvoice, unwrapAnswer, webhookSchema } from './transformers.js';

type XthonPayAccount = Account<z.output<typeof credentialsSchema>, z.output<typeof configSchema>>;

const BASE_URL = 'https://xthonpay.com/api/v1';

/** X-Xthon-Signature: hex HMAC-SHA256 of the raw body, keyed with the webhook secret; no timestamp. */
const webhookScheme: HmacWebhookScheme<XthonPayAccount> = {
  signatureHeader: 'X-Xthon-Signature',
  key: (account) => account.credentials.webhook_secret,
  message: (request) => [request.rawBody],
  encoding: 'hex',
};

/** X-Signature of a request: hex HMAC-SHA256(api_secret, timestamp string). Covers neither body nor path. */
export function xthonPayRequestSignature(apiSecret: string, timestamp: string): string {
  return hmacSha256(apiSecret, [timestamp]).toString('hex');
}

/** The header value XthonPay sends for this body (tests sign with it). */
export function xthonPayWebhookSignature(webhookSecret: string, rawBody: Buffer): string {
  return signWith(webhookScheme, webhookSecret, [rawBody]);
}

export function createXthonPayConnector(deps: { http: UpstreamHttp }): Connector {
  const api = createApiClient<XthonPayAccount>(deps.http, {
    name: 'XthonPay',
    baseUrl: (account) => apiBase(account.config, BASE_URL),
    headers(account) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      return { 'X-API-Key': account.credentials.api_key, 'X-Timestamp': timestamp, 'X-Signature': xthonPayRequestSignature(account.credentials.api_secret, timestamp) };
    },
    unwrap: unwrapAnswer,
  });

  return defineConnector({
    manifest,
    credentials: credentialsSchema,
    config: configSchema,
    async checkCredentials(account) {
      // GET /balance is the cheapest signed call the guide documents.
      await api(account, { method: 'GET', path: '/balance', answer: z.unknown() });
    },
    async createInvoice(account, input) {
      const amount = toAmount(input.amount);
      const data = await api(account, { method: 'POST', path: '/invoices', body: toCreateBody(input, account.webhookUrl), answer: createdSchema });
      return toUpstreamInvoice(data, input.invoiceId, amount);
    },
    // The guide documents no status query; an account may name one (config.status_path), else webhooks alone drive status.
    canSync: (account) => account.config.status_path !== undefined,
    async getInvoice(account, upstreamId, invoiceId) {
      const template = account.config.status_path;
      if (template === undefined) throw new UpstreamError('XthonPay has no invoice status query (set config.status_path)', 'integration', false, 'NOT_SUPPORTED');
      // {external_id} is the reference we sent, our invoice id; {invoice_id} is XthonPay's.
      if (invoiceId === undefined && template.includes('{external_id}')) throw new UpstreamError('XthonPay status query needs our invoice id', 'integration', false, 'INVOICE_ID_MISSING');
      const path = template.replaceAll('{external_id}', encodeURIComponent(invoiceId ?? '')).replaceAll('{invoice_id}', encodeURIComponent(upstreamId));
      return toQueriedInvoice(await api(account, { method: 'GET', path, answer: queriedSchema }), upstreamId);
    },
    getBalance: async (account) => [{ currency: 'USDT', available: (await api(account, { method: 'GET', path: '/balance', answer: balanceSchema })).balance, onhold: '0' }],
    webhooks: {
      verify: (account, request) => verifyHmacWebhook(webhookScheme, account, request),
      parse: (rawBody) => toUpstreamEvents(parseWebhookBody(webhookSchema, rawBody)),
      // The guide's example answers a plain OK.
      acknowledgement: { status: 200, contentType: 'text/plain', body: 'OK' },
      redactHeaders: ['x-api-key'],
    },
  });
}
