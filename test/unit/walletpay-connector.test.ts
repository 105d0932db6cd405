import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { createUpstreamHttp } from '../../src/connectors/kit/index.js';
import { createWalletPayConnector, walletPayWebhookSignature } from '../../src/connectors/walletpay/index.js';
import type { AccountContext, CreateInvoiceInput, InboundWebhookRequest } from '../../src/connectors/types.js';
import { walletPayVector } from '../vectors/index.js';

const connector = createWalletPayConnector({ http: createUpstreamHttp(new Agent()) });
const { body, key, path, timestamp, signature } = walletPayVector;
const account = (config: Record<string, unknown> = {}): AccountContext => ({
  accountId: 'ga_wallet',
  livemode: false,
  credentials: { api_key: key },
  config,
  webhookUrl: `https://switchyard.example${path}`,
});
const hook = (headers: Record<string, string>, opts: { rawBody?: Buffer; receivedAt?: Date; sourceAddress?: string } = {}): InboundWebhookRequest => ({
  method: 'POST',
  publicPath: path,
  headers,
  rawBody: opts.rawBody ?? body,
  sourceAddress: opts.sourceAddress ?? '203.0.113.7',
  receivedAt: opts.receivedAt ?? new Date(),
});
const signed = { 'WalletPay-Timestamp': timestamp, 'WalletPay-Signature': signature };

describe('Wallet Pay account settings', () => {
  it('takes the store API key and its own config keys', () => {
    expect(connector.validateCredentials({ api_key: key })).toEqual([]);
    expect(connector.validateConfig({ base_url: 'https://proxy.example', webhook_ip_allowlist: true, webhook_timestamp_tolerance_seconds: 300 })).toEqual([]);
    expect(connector.validateConfig({ webhook_ip_allowlist: ['172.255.248.0/24'] })).toEqual([]);
    expect(connector.validateConfig({ webhook_ip_allowlist: false })).toEqual([]);
  });

  it('refuses another connector’s keys, naming the field', () => {
    expect(connector.validateConfig({ environment: 'testnet', speed_policy: 'HighSpeed' })).toEqual([
      { field: '/config/environment', message: expect.stringMatching(/^is not a Telegram Wallet Pay setting; it takes base_url, webhook_ip_allowlist/) },
      { field: '/config/speed_policy', message: expect.stringMatching(/^is not a Telegram Wallet Pay setting/) },
    ]);
    expect(connector.validateCredentials({ api_key: key, token: 'x' })).toEqual([{ field: '/credentials/token', message: 'is not a Telegram Wallet Pay credential; it takes api_key' }]);
  });

  it('refuses wrong values, naming the field', () => {
    expect(connector.validateCredentials({ api_key: 'short' })).toEqual([{ field: '/credentials/api_key', message: 'must be the Wallet Pay store API key' }]);
    expect(connector.validateCredentials({})).toEqual([{ field: '/credentials/api_key', message: 'must be the Wallet Pay store API key' }]);
    expect(connector.validateConfig({ webhook_ip_allowlist: 'yes' })).toEqual([
      { field: '/config/webhook_ip_allowlist', message: 'must be true, false or a list of addresses or ranges' },
    ]);
    expect(connector.validateConfig({ webhook_timestamp_tolerance_seconds: 1.5 }).map((e) => e.field)).toEqual(['/config/webhook_timestamp_tolerance_seconds']);
  });

  it('keeps the store API key header out of stored webhooks', () => {
    expect(connector.redactHeaders).toContain('wpay-store-api-key');
  });
});

describe('Wallet Pay webhook verification', () => {
  it('accepts the official vector (tolerance off by default), whatever the header case', () => {
    expect(walletPayWebhookSignature(key, 'POST', path, timestamp, body)).toBe(signature);
    expect(connector.verifyWebhook(account(), hook(signed))).toEqual({ ok: true });
    expect(connector.verifyWebhook(account(), hook({ 'walletpay-timestamp': timestamp, 'walletpay-signature': signature }))).toEqual({ ok: true });
  });

  it('refuses a missing, malformed, forged or tampered signature', () => {
    expect(connector.verifyWebhook(account(), hook({ 'WalletPay-Timestamp': timestamp }))).toEqual({ ok: false, reason: 'missing_signature' });
    expect(connector.verifyWebhook(account(), hook({ 'WalletPay-Signature': signature }))).toEqual({ ok: false, reason: 'missing_signature' });
    expect(connector.verifyWebhook(account(), hook({ ...signed, 'WalletPay-Signature': 'not base64!' }))).toEqual({ ok: false, reason: 'malformed' });
    const forged = walletPayWebhookSignature('another key entirely', 'POST', path, timestamp, body);
    expect(connector.verifyWebhook(account(), hook({ ...signed, 'WalletPay-Signature': forged }))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(connector.verifyWebhook(account(), hook(signed, { rawBody: Buffer.concat([body, Buffer.from(' ')]) }))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('with a tolerance, refuses a stale timestamp and an unreadable one', () => {
    const now = Date.now();
    const at = (ms: number) => {
      const ts = `${BigInt(ms) * 1_000_000n}`;
      return hook({ 'WalletPay-Timestamp': ts, 'WalletPay-Signature': walletPayWebhookSignature(key, 'POST', path, ts, body) }, { receivedAt: new Date(now) });
    };
    const tolerant = account({ webhook_timestamp_tolerance_seconds: 300 });
    expect(connector.verifyWebhook(tolerant, at(now - 60_000))).toEqual({ ok: true });
    expect(connector.verifyWebhook(tolerant, at(now - 301_000))).toEqual({ ok: false, reason: 'stale' });
    const unreadable = hook({ 'WalletPay-Timestamp': 'soon', 'WalletPay-Signature': walletPayWebhookSignature(key, 'POST', path, 'soon', body) });
    expect(connector.verifyWebhook(tolerant, unreadable)).toEqual({ ok: false, reason: 'malformed' });
    expect(connector.verifyWebhook(account(), unreadable)).toEqual({ ok: true });
  });

  it('with an allow-list, refuses other source addresses before anything else', () => {
    expect(connector.verifyWebhook(account({ webhook_ip_allowlist: true }), hook(signed))).toEqual({ ok: false, reason: 'source_not_allowed' });
    expect(connector.verifyWebhook(account({ webhook_ip_allowlist: true }), hook({}, { sourceAddress: '172.255.248.12' }))).toEqual({ ok: false, reason: 'missing_signature' });
    expect(connector.verifyWebhook(account({ webhook_ip_allowlist: ['203.0.113.0/24'] }), hook(signed))).toEqual({ ok: true });
    expect(connector.verifyWebhook(account({ webhook_ip_allowlist: false }), hook(signed))).toEqual({ ok: true });
  });
});

describe('Wallet Pay answers and failures', () => {
  let answer: { status: number; body: string } = { status: 200, body: '{}' };
  const seen: Array<{ url: string; key: string | undefined }> = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', key: req.headers['wpay-store-api-key'] as string | undefined });
    req.resume();
    req.on('end', () => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body));
  });
  let upstream: AccountContext;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    upstream = account({ base_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const order = { id: 42, status: 'ACTIVE', number: 'XYZ', amount: { currencyCode: 'USDT', amount: '2' }, payLink: 'https://t.me/wallet?startattach=x' };
  const input: CreateInvoiceInput = {
    invoiceId: 'inv_1',
    amount: '2',
    currency: 'USDT',
    acceptedAssets: [],
    description: null,
    expiresAt: new Date(),
    expiresInSeconds: 600,
    customer: { telegram_user_id: 424242 },
    returnUrl: null,
    failReturnUrl: null,
  };
  const reply = (status: number, envelope: unknown) => (answer = { status, body: typeof envelope === 'string' ? envelope : JSON.stringify(envelope) });
  const failure = (status: number, envelope: unknown) => {
    reply(status, envelope);
    return connector.createInvoice(upstream, input);
  };

  it('SUCCESS and ALREADY carry the order; the key travels in its header', async () => {
    reply(200, { status: 'SUCCESS', data: order });
    expect(await connector.createInvoice(upstream, input)).toMatchObject({ upstreamId: '42', status: 'pending', payUrl: order.payLink });
    expect(seen.at(-1)).toEqual({ url: '/wpay/store-api/v1/order', key });
    reply(200, { status: 'ALREADY', data: order });
    expect((await connector.getInvoice(upstream, '42')).upstreamId).toBe('42');
    expect(seen.at(-1)!.url).toBe('/wpay/store-api/v1/order/preview?id=42');
  });

  it('classifies failures by the one table plus ACCESS_DENIED and INTERNAL_ERROR', async () => {
    await expect(failure(200, { status: 'ACCESS_DENIED', message: 'Invalid API key' })).rejects.toMatchObject({ kind: 'integration', retryable: false, upstreamCode: 'ACCESS_DENIED' });
    await expect(failure(400, { status: 'INTERNAL_ERROR' })).rejects.toMatchObject({ kind: 'integration', retryable: true, upstreamCode: 'INTERNAL_ERROR' });
    await expect(failure(403, '<html>Forbidden</html>')).rejects.toMatchObject({ kind: 'integration', retryable: false });
    await expect(failure(408, { status: 'TIMEOUT' })).rejects.toMatchObject({ kind: 'integration', retryable: true });
    await expect(failure(429, 'Too Many Requests')).rejects.toMatchObject({ kind: 'integration', retryable: true });
    await expect(failure(200, { status: 'CONFLICT', message: 'other params' })).rejects.toMatchObject({ kind: 'decline', upstreamCode: 'CONFLICT' });
    await expect(failure(404, { status: 'INVALID_REQUEST' })).rejects.toMatchObject({ kind: 'decline', upstreamCode: 'INVALID_REQUEST' });
  });

  it('an order of the wrong shape is a retryable failure naming the field', async () => {
    await expect(failure(200, { status: 'SUCCESS', data: { ...order, amount: undefined } })).rejects.toMatchObject({
      kind: 'integration',
      retryable: true,
      message: expect.stringMatching(/\/amount/),
    });
  });

  it('declines an invoice without customer.telegram_user_id before calling', async () => {
    const calls = seen.length;
    await expect(connector.createInvoice(upstream, { ...input, customer: null })).rejects.toMatchObject({ kind: 'decline', upstreamCode: 'CUSTOMER_REQUIRED' });
    expect(seen).toHaveLength(calls);
  });
});
