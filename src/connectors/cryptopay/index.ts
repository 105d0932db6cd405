import { z } from 'zod';
import { apiBase, createApiClient, defineConnector, parseWebhookBody, tokenDigestScheme, tokenDigestSignature, UpstreamError, verifyHmacWebhook, type Account, type UpstreamHttp } from '../kit/index.js';
import type { Connector } from '../types.js';
import { manifest } from './manifest.js';
import { configSchema, credentialsSchema } from './settings.js';
import { balanceSchema, invoiceListSchema, invoiceSchema, toCreateParams, toUpstreamEvents, toUpstreamInvoice, updateSchema } from './transformers.js';

type CryptoPayAccount = Account<z.output<typeof credentialsSchema>, z.output<typeof configSchema>>;

const BASE_URLS = { mainnet: 'https://pay.crypt.bot', testnet: 'https://testnet-pay.crypt.bot' } as const;

/** Webhooks: hex HMAC-SHA-256 of the raw body, keyed with the SHA-256 digest of the app token (the kit's token-digest scheme). */
const webhookScheme = tokenDigestScheme<CryptoPayAccount>('crypto-pay-api-signature', (account) => account.credentials.token);

/** The header value Crypto Pay sends for this body (tests and the emulator sign with it). */
export const cryptoPayWebhookSignature = tokenDigestSignature;

export function createCryptoPayConnector(deps: { http: UpstreamHttp }): Connector {
  // Every method is `POST /api/{method}` answering `{ok, result}` or `{ok: false, error: {code, name}}`.
  const api = createApiClient<CryptoPayAccount>(deps.http, {
    name: 'Crypto Pay',
    baseUrl: (account) => apiBase(account.config, BASE_URLS[account.config.environment ?? 'mainnet']),
    headers: (account) => ({ 'Crypto-Pay-API-Token': account.credentials.token }),
    unwrap: (res) => {
      const envelope = res.json as { ok?: unknown; result?: unknown; error?: { name?: unknown } } | undefined;
      if (envelope?.ok === true) return { data: envelope.result };
      if (envelope?.ok === false) return { error: { code: typeof envelope.error?.name === 'string' ? envelope.error.name : undefined } };
      return { unreadable: 'answer is not a Crypto Pay envelope' };
    },
    // Crypto Pay names a bad token UNAUTHORIZED, whatever the status.
    codes: { UNAUTHORIZED: 'fatal' },
  });
  const call = <S extends z.ZodType>(account: CryptoPayAccount, method: string, answer: S, params: Record<string, unknown> = {}) =>
    api(account, { method: 'POST', path: `/api/${method}`, body: params, answer });

  const getInvoices = async (account: CryptoPayAccount, ids: string[]) =>
    (await call(account, 'getInvoices', invoiceListSchema, { invoice_ids: ids.join(','), count: Math.min(1000, ids.length) })).map(toUpstreamInvoice);

  return defineConnector({
    manifest,
    credentials: credentialsSchema,
    config: configSchema,
    async checkCredentials(account) {
      await call(account, 'getMe', z.unknown());
    },
    createInvoice: async (account, input) => toUpstreamInvoice(await call(account, 'createInvoice', invoiceSchema, toCreateParams(input))),
    async getInvoice(account, upstreamId) {
      const [invoice] = await getInvoices(account, [upstreamId]);
      if (!invoice) throw new UpstreamError(`Crypto Pay has no invoice ${upstreamId}`, 'decline', false, 'INVOICE_NOT_FOUND');
      return invoice;
    },
    getInvoices,
    async cancelInvoice(account, upstreamId) {
      await call(account, 'deleteInvoice', z.unknown(), { invoice_id: Number(upstreamId) });
    },
    getBalance: async (account) =>
      (await call(account, 'getBalance', balanceSchema)).map((r) => ({ currency: r.currency_code, available: r.available, onhold: r.onhold ?? '0' })),
    webhooks: {
      verify: (account, request) => verifyHmacWebhook(webhookScheme, account, request),
      parse: (rawBody) => toUpstreamEvents(parseWebhookBody(updateSchema, rawBody)),
      acknowledgement: { status: 200, contentType: 'application/json', body: '{"ok":true}' },
      redactHeaders: ['crypto-pay-api-token'],
    },
  });
}
