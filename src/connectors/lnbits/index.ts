import { z } from 'zod';
import { apiBase, createApiClient, defineConnector, exactNumbersOut, UpstreamError, type Account, type UpstreamHttp } from '../kit/index.js';
import type { Connector, UpstreamInvoice } from '../types.js';
import { manifest } from './manifest.js';
import { configSchema, credentialsSchema } from './settings.js';
import { msatToBtc, parseWebhookHint, paymentSchema, paymentStatusSchema, toCreateBody, toCreatedInvoice, toUpstreamInvoice, unwrapAnswer, walletSchema } from './transformers.js';

type LnbitsAccount = Account<z.output<typeof credentialsSchema>, z.output<typeof configSchema>>;

/** Status queries in flight at once during reconciliation: a self-hosted server, not a cloud API. */
const QUERY_CONCURRENCY = 4;

export function createLnbitsConnector(deps: { http: UpstreamHttp }): Connector {
  const api = createApiClient<LnbitsAccount>(deps.http, {
    name: 'LNbits',
    baseUrl: (account) => `${apiBase(account.config, '')}/api/v1`,
    headers: (account) => ({ 'X-Api-Key': account.credentials.api_key }),
    unwrap: unwrapAnswer,
    // Fiat amounts go out as JSON numbers with exactly our digits; answers are plain msat integers.
    json: exactNumbersOut,
    // A key LNbits does not know is a 404 "Wallet not found.": the credentials, not the request.
    codes: { WALLET_NOT_FOUND: 'fatal' },
  });

  async function getInvoice(account: LnbitsAccount, paymentHash: string): Promise<UpstreamInvoice> {
    // The key is optional here, but only a key of the owning wallet gets `details` (the amount).
    const answer = await api(account, { method: 'GET', path: `/payments/${encodeURIComponent(paymentHash)}`, answer: paymentStatusSchema });
    return toUpstreamInvoice(paymentHash, answer);
  }

  return defineConnector({
    manifest,
    credentials: credentialsSchema,
    config: configSchema,
    async checkCredentials(account) {
      // Any wallet key may read its wallet: this proves the key and the server without creating anything.
      await api(account, { method: 'GET', path: '/wallet', answer: z.unknown() });
    },
    async createInvoice(account, input) {
      const payment = await api(account, { method: 'POST', path: '/payments', body: toCreateBody(input, account.webhookUrl), answer: paymentSchema });
      const created = toCreatedInvoice(payment);
      if (!created.payment?.bolt11) throw new UpstreamError('LNbits POST /payments: the answer carries no BOLT11 invoice', 'integration', true, 'bad_response');
      return created;
    },
    getInvoice: (account, upstreamId) => getInvoice(account, upstreamId),
    /** One query per payment (LNbits has no batch); a payment LNbits does not know leaves only its own invoice unanswered. */
    async getInvoices(account, upstreamIds) {
      const answers: UpstreamInvoice[] = [];
      const failures: unknown[] = [];
      const queue = [...upstreamIds];
      const worker = async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
          try {
            answers.push(await getInvoice(account, id));
          } catch (err) {
            failures.push(err);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(QUERY_CONCURRENCY, upstreamIds.length) }, worker));
      // Nothing answered and something other than "no such payment" went wrong: the account or server is at fault.
      const systemic = failures.find((e) => !(e instanceof UpstreamError && e.kind === 'decline'));
      if (!answers.length && systemic) throw systemic;
      return answers;
    },
    getBalance: async (account) => [{ currency: 'BTC', available: msatToBtc((await api(account, { method: 'GET', path: '/wallet', answer: walletSchema })).balance), onhold: '0' }],
    webhooks: {
      // LNbits signs nothing: every webhook is only a hint to ask it (see PROTOCOL.md).
      verify: () => ({ ok: true, unsignedHint: true }),
      parse: parseWebhookHint,
      // LNbits records the status it got back and never retries.
      acknowledgement: { status: 200, contentType: 'application/json', body: '{"received":true}' },
      redactHeaders: ['x-api-key'],
    },
  });
}
