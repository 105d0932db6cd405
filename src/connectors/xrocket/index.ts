import { z } from 'zod';
import {
  apiBase,
  createApiClient,
  defineConnector,
  losslessJson,
  parseWebhookBody,
  tokenDigestScheme,
  tokenDigestSignature,
  verifyHmacWebhook,
  type Account,
  type UpstreamHttp,
} from '../kit/index.js';
import type { Connector } from '../types.js';
import { manifest } from './manifest.js';
import { configSchema, credentialsSchema } from './settings.js';
import { appInfoSchema, fromXRocketCurrency, invoiceSchema, toCreateBody, toUpstreamEvents, toUpstreamInvoice, unwrapAnswer, webhookSchema } from './transformers.js';

type XRocketAccount = Account<z.output<typeof credentialsSchema>, z.output<typeof configSchema>>;

const BASE_URL = 'https://pay.xrocket.tg';

/** rocket-pay-signature: Crypto Pay's construction (the kit's token-digest scheme) with the app API token. */
const webhookScheme = tokenDigestScheme<XRocketAccount>('rocket-pay-signature', (account) => account.credentials.api_key, {
  allowedSources: ({ config: { webhook_ip_allowlist: list } }) => (list && list.length ? list : undefined),
});

/** The header value xRocket sends for this body (tests and the emulator sign with it). */
export const xRocketWebhookSignature = tokenDigestSignature;

const invoicePath = (upstreamId: string) => `/tg-invoices/${encodeURIComponent(upstreamId)}`;

export function createXRocketConnector(deps: { http: UpstreamHttp }): Connector {
  // Amounts are JSON numbers both ways: the lossless codec keeps their digits (no double in between).
  const api = createApiClient<XRocketAccount>(deps.http, {
    name: 'xRocket',
    baseUrl: (account) => apiBase(account.config, BASE_URL),
    headers: (account) => ({ 'Rocket-Pay-Key': account.credentials.api_key }),
    unwrap: unwrapAnswer,
    json: losslessJson,
  });
  const appInfo = (account: XRocketAccount) => api(account, { method: 'GET', path: '/app/info', answer: appInfoSchema });

  return defineConnector({
    manifest,
    credentials: credentialsSchema,
    config: configSchema,
    async checkCredentials(account) {
      await appInfo(account);
    },
    createInvoice: async (account, input) =>
      toUpstreamInvoice(await api(account, { method: 'POST', path: '/tg-invoices', body: toCreateBody(input), answer: invoiceSchema })),
    getInvoice: async (account, upstreamId) => toUpstreamInvoice(await api(account, { method: 'GET', path: invoicePath(upstreamId), answer: invoiceSchema })),
    async cancelInvoice(account, upstreamId) {
      await api(account, { method: 'DELETE', path: invoicePath(upstreamId), answer: z.unknown() });
    },
    getBalance: async (account) =>
      ((await appInfo(account)).balances ?? []).map((b) => ({ currency: fromXRocketCurrency(b.currency), available: b.balance, onhold: '0' })),
    webhooks: {
      verify: (account, request) => verifyHmacWebhook(webhookScheme, account, request),
      parse: (rawBody) => toUpstreamEvents(parseWebhookBody(webhookSchema, rawBody, losslessJson)),
      // The spec documents only a 200 answer.
      acknowledgement: { status: 200, contentType: 'text/plain', body: 'OK' },
      redactHeaders: ['rocket-pay-key'],
    },
  });
}
