import { createHash, createHmac } from 'node:crypto';
import type { Connector, AccountContext, UpstreamInvoice } from '../types.js';
import { UpstreamError } from '../types.js';
import type { UpstreamHttp } from '../upstream-http.js';
import { timingSafeEqualStrings } from '../signature-compare.js';
import { manifest } from './manifest.js';
import { toCreateParams, toUpstreamEvents, toUpstreamInvoice, type CryptoPayInvoice, type CryptoPayUpdate } from './transformers.js';

const BASE_URLS = { mainnet: 'https://pay.crypt.bot', testnet: 'https://testnet-pay.crypt.bot' } as const;
const TOKEN_PATTERN = /^\d+:[A-Za-z0-9_-]{20,}$/;

/** hex HMAC-SHA256 of the raw body keyed by SHA-256(token) (REFERENCE §1.8). */
export function cryptoPayWebhookSignature(token: string, rawBody: Buffer): string {
  return createHmac('sha256', createHash('sha256').update(token).digest()).update(rawBody).digest('hex');
}

function baseUrl(account: AccountContext): string {
  const configured = account.config.base_url as string | undefined;
  return (configured ?? BASE_URLS[(account.config.environment as 'mainnet' | 'testnet' | undefined) ?? 'mainnet']).replace(/\/+$/, '');
}

export function createCryptoPayConnector(deps: { http: UpstreamHttp }): Connector {
  /** One API method call: `{ok, result}` envelope; errors keep the upstream's name. */
  async function call<T>(account: AccountContext, method: string, params: Record<string, unknown> = {}): Promise<T> {
    const res = await deps.http.send({
      method: 'POST',
      url: `${baseUrl(account)}/api/${method}`,
      headers: { 'Crypto-Pay-API-Token': account.credentials.token ?? '' },
      body: params,
    });
    const envelope = res.json as { ok?: boolean; result?: T; error?: { code?: number; name?: string } } | undefined;
    if (res.status >= 200 && res.status < 300 && envelope?.ok === true) return envelope.result as T;
    const name = envelope?.error?.name ?? `HTTP_${res.status}`;
    if (res.status === 429 || res.status >= 500) throw new UpstreamError(`Crypto Pay ${method}: ${name}`, 'integration', true, name);
    if (res.status === 401 || name === 'UNAUTHORIZED') throw new UpstreamError(`Crypto Pay ${method}: ${name}`, 'integration', false, name);
    throw new UpstreamError(`Crypto Pay ${method}: ${name}`, 'decline', false, name);
  }

  const getInvoices = async (account: AccountContext, ids: string[]): Promise<UpstreamInvoice[]> => {
    const result = await call<{ items?: CryptoPayInvoice[] } | CryptoPayInvoice[]>(account, 'getInvoices', { invoice_ids: ids.join(','), count: Math.min(1000, ids.length) });
    // Some versions answer a bare array; the documented shape is {items}.
    const items = Array.isArray(result) ? result : (result.items ?? []);
    return items.map(toUpstreamInvoice);
  };

  return {
    manifest,
    validateCredentials(credentials) {
      const token = (credentials as { token?: unknown } | undefined)?.token;
      const extra = Object.keys((credentials as object | undefined) ?? {}).filter((k) => k !== 'token');
      return [
        ...(typeof token === 'string' && TOKEN_PATTERN.test(token) ? [] : [{ field: '/credentials/token', message: 'must be a Crypto Pay app token (digits:letters)' }]),
        ...extra.map((k) => ({ field: `/credentials/${k}`, message: 'is not a Crypto Pay credential' })),
      ];
    },
    validateConfig(config) {
      // Wallet Pay's webhook settings mean nothing here: refuse them rather than ignore them.
      return ['webhook_ip_allowlist', 'webhook_timestamp_tolerance_seconds']
        .filter((k) => config[k] !== undefined)
        .map((k) => ({ field: `/config/${k}`, message: 'applies to Wallet Pay accounts only' }));
    },
    async checkCredentials(account) {
      await call(account, 'getMe');
    },
    async createInvoice(account, input) {
      return toUpstreamInvoice(await call<CryptoPayInvoice>(account, 'createInvoice', toCreateParams(input)));
    },
    async getInvoice(account, upstreamId) {
      const [invoice] = await getInvoices(account, [upstreamId]);
      if (!invoice) throw new UpstreamError(`Crypto Pay has no invoice ${upstreamId}`, 'decline', false, 'INVOICE_NOT_FOUND');
      return invoice;
    },
    getInvoices,
    async cancelInvoice(account, upstreamId) {
      await call(account, 'deleteInvoice', { invoice_id: Number(upstreamId) });
    },
    async getBalance(account) {
      const rows = await call<Array<{ currency_code: string; available: string | number; onhold?: string | number }>>(account, 'getBalance');
      return rows.map((r) => ({ currency: r.currency_code, available: String(r.available), onhold: String(r.onhold ?? '0') }));
    },
    verifyWebhook(account, request) {
      const received = request.headers['crypto-pay-api-signature'];
      if (!received) return { ok: false, reason: 'missing_signature' };
      const expected = cryptoPayWebhookSignature(account.credentials.token ?? '', request.rawBody);
      return timingSafeEqualStrings(received.toLowerCase(), expected) ? { ok: true } : { ok: false, reason: 'bad_signature' };
    },
    parseWebhook(rawBody) {
      return toUpstreamEvents(JSON.parse(rawBody.toString('utf8')) as CryptoPayUpdate);
    },
    acknowledgement: () => ({ status: 200, contentType: 'application/json', body: '{"ok":true}' }),
  };
}
