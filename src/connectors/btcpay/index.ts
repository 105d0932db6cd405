import { createHmac } from 'node:crypto';
import type { AccountContext, Connector } from '../types.js';
import { UpstreamError } from '../types.js';
import type { UpstreamHttp } from '../upstream-http.js';
import { timingSafeEqualStrings } from '../signature-compare.js';
import { headerOf } from '../inbound-headers.js';
import { manifest, SPEED_POLICIES } from './manifest.js';
import { toCreateBody, toUpstreamEvents, toUpstreamInvoice, type BtcPayInvoiceData, type BtcPayPaymentMethod } from './transformers.js';

const FIELDS = ['api_key', 'store_id', 'webhook_secret'] as const;

/** BTCPay-Sig: `sha256=` + lowercase hex HMAC-SHA256(UTF-8 webhook secret, raw body bytes) (§3.9). */
export function btcPayWebhookSignature(secret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

function apiBase(account: AccountContext): string {
  return `${String(account.config.base_url ?? '').replace(/\/+$/, '')}/api/v1`;
}

export function createBtcPayConnector(deps: { http: UpstreamHttp }): Connector {
  /**
   * One Greenfield call with `Authorization: token …`. Errors (§3.2): 401 unauthenticated, 403
   * missing-permission naming the permission, 404 not found, 422 a list of {path, message},
   * 400 {code, message}.
   */
  async function call<T>(account: AccountContext, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await deps.http.send({
      method,
      url: `${apiBase(account)}${path}`,
      headers: { authorization: `token ${account.credentials.api_key ?? ''}` },
      ...(body !== undefined ? { body } : {}),
    });
    if (res.status >= 200 && res.status < 300) {
      if (res.json === undefined) throw new UpstreamError(`BTCPay ${method} ${path}: answer is not JSON`, 'integration', true, 'bad_response');
      return res.json as T;
    }
    const err = res.json as { code?: string; message?: string; missingPermission?: string } | Array<{ path?: string; message?: string }> | undefined;
    if (Array.isArray(err)) {
      const detail = err.map((e) => `${e.path ?? ''}: ${e.message ?? ''}`).join('; ');
      throw new UpstreamError(`BTCPay refused the request: ${detail}`, 'decline', false, 'validation-error');
    }
    const code = err?.code ?? `HTTP_${res.status}`;
    if (res.status === 403 && err?.missingPermission) {
      throw new UpstreamError(`the API key lacks the permission ${err.missingPermission} (BTCPay missing-permission)`, 'integration', false, code);
    }
    const message = `BTCPay ${method} ${path}: ${code}${err?.message ? ` ${err.message}` : ''}`;
    if (res.status === 429 || res.status === 408 || res.status >= 500) throw new UpstreamError(message, 'integration', true, code);
    if (res.status === 401 || res.status === 403) throw new UpstreamError(message, 'integration', false, code);
    throw new UpstreamError(message, 'decline', false, code);
  }

  const store = (account: AccountContext) => `/stores/${encodeURIComponent(account.credentials.store_id ?? '')}`;

  /** Payment methods carry the address and BOLT11; best effort, the checkout link works without them. */
  async function paymentMethods(account: AccountContext, invoiceId: string): Promise<BtcPayPaymentMethod[] | undefined> {
    try {
      return await call<BtcPayPaymentMethod[]>(account, 'GET', `${store(account)}/invoices/${encodeURIComponent(invoiceId)}/payment-methods`);
    } catch {
      return undefined;
    }
  }

  return {
    manifest,
    redactHeaders: [],
    validateCredentials(credentials) {
      const c = (credentials ?? {}) as Record<string, unknown>;
      const errors = FIELDS.filter((f) => typeof c[f] !== 'string' || (c[f] as string).length === 0).map((f) => ({ field: `/credentials/${f}`, message: 'is required (a non-empty string)' }));
      if (typeof c.store_id === 'string' && c.store_id && !/^[A-Za-z0-9]{8,128}$/.test(c.store_id)) errors.push({ field: '/credentials/store_id', message: 'must be the store id shown in Store → Settings (letters and digits)' });
      for (const k of Object.keys(c)) if (!(FIELDS as readonly string[]).includes(k)) errors.push({ field: `/credentials/${k}`, message: 'is not a BTCPay Server credential' });
      return errors;
    },
    validateConfig(config) {
      const errors: Array<{ field: string; message: string }> = [];
      if (typeof config.base_url !== 'string') errors.push({ field: '/config/base_url', message: 'is required: the address of your BTCPay Server (e.g. https://btcpay.example.com)' });
      if (config.speed_policy !== undefined && !SPEED_POLICIES.includes(config.speed_policy as string)) errors.push({ field: '/config/speed_policy', message: `must be one of ${SPEED_POLICIES.join(', ')}` });
      for (const k of ['environment', 'webhook_ip_allowlist', 'webhook_timestamp_tolerance_seconds']) if (config[k] !== undefined) errors.push({ field: `/config/${k}`, message: 'does not apply to BTCPay Server accounts' });
      return errors;
    },
    async checkCredentials(account) {
      // Reading the store's invoices proves the key, the store and the view permission that sync needs.
      await call<unknown[]>(account, 'GET', `${store(account)}/invoices?take=1`);
    },
    async createInvoice(account, input) {
      const speed = account.config.speed_policy as string | undefined;
      const invoice = await call<BtcPayInvoiceData>(account, 'POST', `${store(account)}/invoices`, toCreateBody(input, speed));
      return toUpstreamInvoice(invoice, await paymentMethods(account, invoice.id));
    },
    async getInvoice(account, upstreamId) {
      // One call: the payment methods ride along (their payment times give paid_at; 1.x ignores the flag).
      const invoice = await call<BtcPayInvoiceData & { paymentMethods?: BtcPayPaymentMethod[] }>(
        account,
        'GET',
        `${store(account)}/invoices/${encodeURIComponent(upstreamId)}?includePaymentMethods=true`,
      );
      return toUpstreamInvoice(invoice, invoice.paymentMethods);
    },
    verifyWebhook(account, request) {
      const received = headerOf(request, 'btcpay-sig');
      if (!received) return { ok: false, reason: 'missing_signature' };
      if (!/^sha256=[0-9a-fA-F]{64}$/.test(received)) return { ok: false, reason: 'malformed' };
      // Over the exact bytes received: BTCPay sends indented JSON, a re-serialisation would not match.
      const expected = btcPayWebhookSignature(account.credentials.webhook_secret ?? '', request.rawBody);
      if (!timingSafeEqualStrings(received.toLowerCase(), expected)) return { ok: false, reason: 'bad_signature' };
      // No timestamp header (§3.9): replays are harmless (dedupe on originalDeliveryId, forward-only state).
      return { ok: true };
    },
    parseWebhook(rawBody) {
      return toUpstreamEvents(JSON.parse(rawBody.toString('utf8')) as unknown);
    },
    // Any 2xx; since 2.3.4 BTCPay stops retrying on other 4xx, so only a real failure should be non-2xx.
    acknowledgement: () => ({ status: 200, contentType: 'application/json', body: '{"received":true}' }),
  };
}
