import { createHmac } from 'node:crypto';
import type { AccountContext, Connector } from '../types.js';
import { UpstreamError } from '../types.js';
import type { UpstreamHttp } from '../upstream-http.js';
import { timingSafeEqualStrings } from '../signature-compare.js';
import { addressInList } from '../../security/address-list.js';
import { DOCUMENTED_WEBHOOK_IPS, manifest } from './manifest.js';
import { toCreateBody, toUpstreamEvents, toUpstreamInvoice, type WalletPayOrder, type WalletPayWebhookMessage } from './transformers.js';

const BASE_URL = 'https://pay.wallet.tg';
const API = '/wpay/store-api/v1';

/** base64 HMAC-SHA256 with the store API key over `METHOD.PATH.TIMESTAMP.base64(body)` (REFERENCE §2.6). */
export function walletPayWebhookSignature(apiKey: string, method: string, path: string, timestamp: string, rawBody: Buffer): string {
  return createHmac('sha256', apiKey).update(`${method}.${path}.${timestamp}.${rawBody.toString('base64')}`).digest('base64');
}

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

/** `webhook_ip_allowlist: true` means the documented addresses; a list means that list; absent means off. */
function allowedSources(account: AccountContext): string[] | undefined {
  const v = account.config.webhook_ip_allowlist;
  if (v === true) return DOCUMENTED_WEBHOOK_IPS;
  return Array.isArray(v) && v.length ? (v as string[]) : undefined;
}

export function createWalletPayConnector(deps: { http: UpstreamHttp }): Connector {
  async function call(account: AccountContext, method: 'GET' | 'POST', path: string, body?: unknown): Promise<WalletPayOrder> {
    const base = ((account.config.base_url as string | undefined) ?? BASE_URL).replace(/\/+$/, '');
    const res = await deps.http.send({ method, url: `${base}${API}${path}`, headers: { 'Wpay-Store-Api-Key': account.credentials.api_key ?? '' }, body });
    const envelope = res.json as { status?: string; message?: string; data?: WalletPayOrder } | undefined;
    const status = envelope?.status ?? `HTTP_${res.status}`;
    // SUCCESS, and ALREADY (the same order was created before: an idempotent retry), carry the order.
    if (res.status === 200 && (status === 'SUCCESS' || status === 'ALREADY') && envelope?.data) return envelope.data;
    const reason = `Wallet Pay ${path}: ${status}${envelope?.message ? ` (${envelope.message})` : ''}`;
    if (res.status === 429 || res.status >= 500 || status === 'INTERNAL_ERROR') throw new UpstreamError(reason, 'integration', true, status);
    if (res.status === 401 || status === 'ACCESS_DENIED') throw new UpstreamError(reason, 'integration', false, status);
    throw new UpstreamError(reason, 'decline', false, status);
  }

  return {
    manifest,
    redactHeaders: [],
    validateCredentials(credentials) {
      const key = (credentials as { api_key?: unknown } | undefined)?.api_key;
      const extra = Object.keys((credentials as object | undefined) ?? {}).filter((k) => k !== 'api_key');
      return [
        ...(typeof key === 'string' && key.length >= 8 ? [] : [{ field: '/credentials/api_key', message: 'must be the Wallet Pay store API key' }]),
        ...extra.map((k) => ({ field: `/credentials/${k}`, message: 'is not a Wallet Pay credential' })),
      ];
    },
    validateConfig(config) {
      const list = config.webhook_ip_allowlist;
      if (config.environment !== undefined) return [{ field: '/config/environment', message: 'Wallet Pay has no environments' }];
      if (list === false) return [];
      return list === undefined || list === true || (Array.isArray(list) && list.every((x) => typeof x === 'string'))
        ? []
        : [{ field: '/config/webhook_ip_allowlist', message: 'must be a list of addresses or ranges' }];
    },
    async createInvoice(account, input) {
      if (!input.customer?.telegram_user_id) throw new UpstreamError('Wallet Pay needs customer.telegram_user_id', 'decline', false, 'CUSTOMER_REQUIRED');
      return toUpstreamInvoice(await call(account, 'POST', '/order', toCreateBody(input)));
    },
    async getInvoice(account, upstreamId) {
      return toUpstreamInvoice(await call(account, 'GET', `/order/preview?id=${encodeURIComponent(upstreamId)}`));
    },
    verifyWebhook(account, request) {
      const sources = allowedSources(account);
      if (sources && !addressInList(request.sourceAddress, sources)) return { ok: false, reason: 'source_not_allowed' };
      const timestamp = request.headers['walletpay-timestamp'];
      const received = request.headers['walletpay-signature'];
      if (!timestamp || !received) return { ok: false, reason: 'missing_signature' };
      const expected = walletPayWebhookSignature(account.credentials.api_key ?? '', request.method, request.publicPath, timestamp, request.rawBody);
      if (!timingSafeEqualStrings(received, expected)) return { ok: false, reason: 'bad_signature' };
      const tolerance = account.config.webhook_timestamp_tolerance_seconds as number | undefined;
      if (tolerance) {
        const sentAt = walletPayTimestampMs(timestamp);
        if (sentAt === undefined || Math.abs(request.receivedAt.getTime() - sentAt) > tolerance * 1000) return { ok: false, reason: 'stale' };
      }
      return { ok: true };
    },
    parseWebhook(rawBody) {
      const parsed = JSON.parse(rawBody.toString('utf8')) as WalletPayWebhookMessage[] | WalletPayWebhookMessage;
      return toUpstreamEvents(Array.isArray(parsed) ? parsed : [parsed]);
    },
    acknowledgement: () => ({ status: 200, contentType: 'application/json', body: '{"ok":true}' }),
  };
}
