import { createHmac } from 'node:crypto';
import type { Connector, AccountContext } from '../types.js';
import { UpstreamError } from '../types.js';
import type { UpstreamHttp } from '../upstream-http.js';
import { timingSafeEqualStrings } from '../signature-compare.js';
import { manifest } from './manifest.js';
import { toAmount, toCreateBody, toQueriedInvoice, toUpstreamEvents, toUpstreamInvoice, type XthonPayInvoice, type XthonPayWebhook } from './transformers.js';

const BASE_URL = 'https://xthonpay.com/api/v1';
const FIELDS = ['api_key', 'api_secret', 'webhook_secret'] as const;
/** A path (and optional query) under base_url; `{external_id}` becomes our invoice id. */
const STATUS_PATH = /^\/[A-Za-z0-9/_.\-{}?=&]{1,200}$/;

/** Request signature: lowercase hex HMAC-SHA256(api_secret, timestamp string). Covers neither body nor path. */
export function xthonPayRequestSignature(apiSecret: string, timestamp: string): string {
  return createHmac('sha256', apiSecret).update(timestamp).digest('hex');
}

/** Webhook signature (X-Xthon-Signature): lowercase hex HMAC-SHA256(webhook_secret, raw body). */
export function xthonPayWebhookSignature(webhookSecret: string, rawBody: Buffer): string {
  return createHmac('sha256', webhookSecret).update(rawBody).digest('hex');
}

function baseUrl(account: AccountContext): string {
  return ((account.config.base_url as string | undefined) ?? BASE_URL).replace(/\/+$/, '');
}

export function createXthonPayConnector(deps: { http: UpstreamHttp }): Connector {
  /** One API call with the three auth headers; answers are `{data: …}` (error envelope: assumption `{error}`/`{message}`). */
  async function call<T>(account: AccountContext, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await deps.http.send({
      method,
      url: `${baseUrl(account)}${path}`,
      headers: {
        'X-API-Key': account.credentials.api_key ?? '',
        'X-Timestamp': ts,
        'X-Signature': xthonPayRequestSignature(account.credentials.api_secret ?? '', ts),
      },
      ...(body !== undefined ? { body } : {}),
    });
    const envelope = res.json as { data?: T; error?: unknown; code?: unknown; message?: unknown } | undefined;
    if (res.status >= 200 && res.status < 300 && envelope && envelope.data !== undefined) return envelope.data;
    const err = envelope?.error;
    const code =
      typeof envelope?.code === 'string' ? envelope.code
      : typeof err === 'string' ? err
      : typeof (err as { code?: unknown } | undefined)?.code === 'string' ? (err as { code: string }).code
      : `HTTP_${res.status}`;
    const msg = `XthonPay ${method} ${path}: ${code}`;
    if (res.status >= 200 && res.status < 300) throw new UpstreamError(`${msg} (no data in the answer)`, 'integration', true, 'BAD_RESPONSE');
    if (res.status === 429 || res.status >= 500) throw new UpstreamError(msg, 'integration', true, code);
    if (res.status === 401 || res.status === 403) throw new UpstreamError(msg, 'integration', false, code);
    throw new UpstreamError(msg, 'decline', false, code);
  }

  return {
    manifest,
    redactHeaders: [],
    validateCredentials(credentials) {
      const c = (credentials ?? {}) as Record<string, unknown>;
      return [
        ...FIELDS.filter((f) => typeof c[f] !== 'string' || (c[f] as string).length === 0).map((f) => ({ field: `/credentials/${f}`, message: 'is required (a non-empty string)' })),
        ...Object.keys(c).filter((k) => !(FIELDS as readonly string[]).includes(k)).map((k) => ({ field: `/credentials/${k}`, message: 'is not an XthonPay credential' })),
      ];
    },
    validateConfig(config) {
      const errors = ['environment', 'webhook_ip_allowlist', 'webhook_timestamp_tolerance_seconds', 'speed_policy']
        .filter((k) => config[k] !== undefined)
        .map((k) => ({ field: `/config/${k}`, message: 'does not apply to XthonPay accounts' }));
      const path = config.status_path;
      if (path !== undefined && (typeof path !== 'string' || !STATUS_PATH.test(path) || !path.includes('{external_id}'))) {
        errors.push({ field: '/config/status_path', message: 'must be a path under base_url containing {external_id}, e.g. /invoices/{external_id}' });
      }
      return errors;
    },
    async checkCredentials(account) {
      // GET /balance is the cheapest signed call the guide documents.
      await call(account, 'GET', '/balance');
    },
    async createInvoice(account, input) {
      const amount = toAmount(input.amount);
      const data = await call<XthonPayInvoice>(account, 'POST', '/invoices', toCreateBody(input, account.webhookUrl));
      if (!data || typeof data.deposit_address !== 'string' || !data.deposit_address) {
        throw new UpstreamError('XthonPay POST /invoices: no deposit_address in the answer', 'integration', false, 'BAD_RESPONSE');
      }
      return toUpstreamInvoice(data, input.invoiceId, amount);
    },
    // The guide documents no status query; an account may name one (config.status_path), else webhooks alone drive status.
    canSync: (account) => typeof account.config.status_path === 'string',
    async getInvoice(account, upstreamId) {
      const template = account.config.status_path;
      if (typeof template !== 'string') throw new UpstreamError('XthonPay has no invoice status query (set config.status_path)', 'integration', false, 'NOT_SUPPORTED');
      const data = await call<XthonPayInvoice>(account, 'GET', template.replaceAll('{external_id}', encodeURIComponent(upstreamId)));
      return toQueriedInvoice(data, upstreamId);
    },
    async getBalance(account) {
      const data = await call<{ balance: string | number }>(account, 'GET', '/balance');
      return [{ currency: 'USDT', available: String(data.balance ?? '0'), onhold: '0' }];
    },
    verifyWebhook(account, request) {
      const received = request.headers['x-xthon-signature'];
      if (!received) return { ok: false, reason: 'missing_signature' };
      const expected = xthonPayWebhookSignature(account.credentials.webhook_secret ?? '', request.rawBody);
      return timingSafeEqualStrings(received.trim().toLowerCase(), expected) ? { ok: true } : { ok: false, reason: 'bad_signature' };
    },
    parseWebhook(rawBody) {
      return toUpstreamEvents(JSON.parse(rawBody.toString('utf8')) as XthonPayWebhook);
    },
    acknowledgement: () => ({ status: 200, contentType: 'text/plain', body: 'OK' }),
  };
}
