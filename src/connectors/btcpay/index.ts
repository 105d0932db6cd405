import { z } from 'zod';
import { apiBase, createApiClient, defineConnector, parseWebhookBody, signWith, verifyHmacWebhook, type Account, type HmacWebhookScheme, type UpstreamHttp } from '../kit/index.js';
import type { Connector } from '../types.js';
import { manifest } from './manifest.js';
import { configSchema, credentialsSchema } from './settings.js';
import { invoiceSchema, paymentMethodSchema, pullPaymentSchema, toCreateBody, toUpstreamEvents, toUpstreamInvoice, unwrapAnswer, webhookSchema } from './transformers.js';

type BtcPayAccount = Account<z.output<typeof credentialsSchema>, z.output<typeof configSchema>>;

/**
 * BTCPay-Sig: `sha256=` + hex HMAC-SHA256 of the raw body bytes, keyed with the webhook secret.
 * BTCPay sends indented JSON, so only the exact bytes received match. No timestamp: replays are
 * harmless (dedupe on originalDeliveryId, forward-only state).
 */
const webhookScheme: HmacWebhookScheme<BtcPayAccount> = {
  signatureHeader: 'BTCPay-Sig',
  key: (account) => account.credentials.webhook_secret,
  message: (request) => [request.rawBody],
  encoding: 'hex',
  prefix: 'sha256=',
};

/** The header value BTCPay sends for this body (tests and the emulator sign with it). */
export function btcPayWebhookSignature(secret: string, rawBody: Buffer | string): string {
  return signWith(webhookScheme, secret, [rawBody]);
}

export function createBtcPayConnector(deps: { http: UpstreamHttp }): Connector {
  const api = createApiClient<BtcPayAccount>(deps.http, {
    name: 'BTCPay',
    baseUrl: (account) => `${apiBase(account.config, '')}/api/v1`,
    headers: (account) => ({ authorization: `token ${account.credentials.api_key}` }),
    unwrap: unwrapAnswer,
  });
  // Store-nested routes, which both 1.x and 2.x servers serve.
  const invoices = (account: BtcPayAccount, id?: string) =>
    `/stores/${encodeURIComponent(account.credentials.store_id)}/invoices${id === undefined ? '' : `/${encodeURIComponent(id)}`}`;

  /** Payment methods carry the address and BOLT11; best effort, the checkout link works without them. */
  async function paymentMethods(account: BtcPayAccount, id: string) {
    try {
      return await api(account, { method: 'GET', path: `${invoices(account, id)}/payment-methods`, answer: z.array(paymentMethodSchema) });
    } catch {
      return undefined;
    }
  }

  return defineConnector({
    manifest,
    credentials: credentialsSchema,
    config: configSchema,
    async checkCredentials(account) {
      // Reading the store's invoices proves the key, the store and the view permission that sync needs.
      await api(account, { method: 'GET', path: `${invoices(account)}?take=1`, answer: z.unknown() });
    },
    async createInvoice(account, input) {
      const body = toCreateBody(input, account.config.speed_policy);
      const invoice = await api(account, { method: 'POST', path: invoices(account), body, answer: invoiceSchema });
      return toUpstreamInvoice(invoice, await paymentMethods(account, invoice.id));
    },
    async getInvoice(account, upstreamId) {
      // One call: the payment methods ride along (their payment times give paid_at; 1.x ignores the flag).
      const invoice = await api(account, { method: 'GET', path: `${invoices(account, upstreamId)}?includePaymentMethods=true`, answer: invoiceSchema });
      return toUpstreamInvoice(invoice, invoice.paymentMethods);
    },
    /**
     * Greenfield's refund makes a pull payment: the buyer opens its `viewLink` and claims the money
     * to an address of theirs, so the refund is `pending` until then. Needs the key's
     * btcpay.store.cancreatenonapprovedpullpayments permission.
     */
    async refund(account, request) {
      const body = {
        refundVariant: account.config.refund_variant ?? 'RateThen',
        paymentMethod: account.config.refund_payment_method ?? 'BTC-CHAIN',
        name: `Refund of ${request.invoiceId}`,
        ...(request.reason ? { description: request.reason } : {}),
      };
      const pull = await api(account, { method: 'POST', path: `${invoices(account, request.upstreamId)}/refund`, body, answer: pullPaymentSchema });
      return { status: 'pending', reference: pull.id, claimUrl: pull.viewLink ?? null, raw: { pull_payment_id: pull.id, amount: pull.amount, currency: pull.currency } };
    },
    webhooks: {
      verify: (account, request) => verifyHmacWebhook(webhookScheme, account, request),
      parse: (rawBody) => toUpstreamEvents(parseWebhookBody(webhookSchema, rawBody)),
      // Since 2.3.4 BTCPay stops retrying on other 4xx, so only a real failure should be non-2xx.
      acknowledgement: { status: 200, contentType: 'application/json', body: '{"received":true}' },
    },
  });
}
