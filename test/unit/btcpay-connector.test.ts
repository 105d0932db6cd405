import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { createUpstreamHttp } from '../../src/connectors/kit/http.js';
import { createBtcPayConnector } from '../../src/connectors/btcpay/index.js';
import { canonicalPaymentMethod, invoiceSchema, mapStatus, paymentMethodSchema, toCreateBody, toPayment, toUpstreamInvoice, unwrapAnswer } from '../../src/connectors/btcpay/transformers.js';
import { UpstreamError, type AccountContext, type CreateInvoiceInput, type InboundWebhookRequest } from '../../src/connectors/types.js';
import { btcPayVector } from '../vectors/index.js';
import { startBtcPayEmulator, type BtcPayEmulator } from '../emulators/btcpay/index.js';

const { body: VECTOR_BODY, secret: VECTOR_SECRET, signature: VECTOR_SIG } = btcPayVector;

const connector = createBtcPayConnector({ http: createUpstreamHttp(new Agent()) });
const account: AccountContext = {
  accountId: 'ga_btcpay',
  livemode: false,
  credentials: { api_key: 'k', store_id: 'BJKmPvug3KHVWyu1ECEiAstAQXFjJD1fX87EcgEhHVLT', webhook_secret: VECTOR_SECRET },
  config: { base_url: 'https://btcpay.example.com' },
  webhookUrl: 'https://switchyard.example/hooks/btcpay/ga_btcpay',
};
const hook = (rawBody: Buffer, headers: Record<string, string>): InboundWebhookRequest => ({
  method: 'POST',
  publicPath: '/hooks/btcpay/ga_btcpay',
  headers,
  rawBody,
  sourceAddress: '203.0.113.7',
  receivedAt: new Date(),
});
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const input = (over: Partial<CreateInvoiceInput> = {}): CreateInvoiceInput => ({
  invoiceId: 'inv_1', amount: '1.00', currency: 'USD', acceptedAssets: [], description: null, expiresAt: new Date(), expiresInSeconds: 119,
  customer: null, returnUrl: null, failReturnUrl: null, ...over,
});

describe('BTCPay webhook verification (BTCPay-Sig over the raw indented bytes)', () => {
  it('accepts the real captured delivery (test/vectors)', () => {
    expect(connector.verifyWebhook(account, hook(VECTOR_BODY, { 'btcpay-sig': VECTOR_SIG }))).toEqual({ ok: true });
    // Header names are case-insensitive; so is the hex.
    expect(connector.verifyWebhook(account, hook(VECTOR_BODY, { 'BTCPay-Sig': VECTOR_SIG.toUpperCase().replace('SHA256=', 'sha256=') }))).toEqual({ ok: true });
  });

  it('refuses a forged, missing, malformed or tampered signature, and a compact re-serialisation', () => {
    const forged = `sha256=${createHmac('sha256', 'another secret').update(VECTOR_BODY).digest('hex')}`;
    expect(connector.verifyWebhook(account, hook(VECTOR_BODY, { 'btcpay-sig': forged }))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(connector.verifyWebhook(account, hook(VECTOR_BODY, {}))).toEqual({ ok: false, reason: 'missing_signature' });
    expect(connector.verifyWebhook(account, hook(VECTOR_BODY, { 'btcpay-sig': VECTOR_SIG.slice('sha256='.length) }))).toEqual({ ok: false, reason: 'malformed' });
    const tampered = Buffer.from(VECTOR_BODY);
    tampered[tampered.indexOf('23')] = '4'.charCodeAt(0);
    expect(connector.verifyWebhook(account, hook(tampered, { 'btcpay-sig': VECTOR_SIG }))).toEqual({ ok: false, reason: 'bad_signature' });
    const compact = Buffer.from(JSON.stringify(JSON.parse(VECTOR_BODY.toString())));
    expect(connector.verifyWebhook(account, hook(compact, { 'btcpay-sig': VECTOR_SIG }))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('parses the vector into a trigger keyed by originalDeliveryId', () => {
    expect(connector.parseWebhook(VECTOR_BODY)).toEqual([
      expect.objectContaining({ upstreamId: '6wmoR7p5UFVzCYuwyiViKX', dedupeKey: 'WZbyGsmWGZvYjRsYCH7Vmt', status: 'unknown', refetch: true }),
    ]);
    expect(connector.parseWebhook(json({ type: 'InvoiceCreated', invoiceId: 'x', deliveryId: 'd' }))[0]).toMatchObject({ dedupeKey: 'd', refetch: false });
    expect(connector.parseWebhook(json({ type: 'PayoutCreated', payoutId: 'p' }))).toEqual([]);
  });

  it('an Invoice event of the wrong shape is refused naming the field', () => {
    expect(() => connector.parseWebhook(json({ type: 'InvoiceSettled', deliveryId: 'd' }))).toThrow(/\/invoiceId/);
    expect(() => connector.parseWebhook(json({ type: 'InvoiceSettled', invoiceId: 'x', timestamp: 'yesterday' }))).toThrow(/\/timestamp/);
  });
});

describe('BTCPay settings', () => {
  it('base_url is required; speed_policy is one of the four; other connectors’ settings are refused by name', () => {
    expect(connector.validateConfig({})).toEqual([{ field: '/config/base_url', message: expect.stringContaining('is required') }]);
    expect(connector.validateConfig({ base_url: 'https://b.example', speed_policy: 'Warp' })).toEqual([
      { field: '/config/speed_policy', message: 'must be one of HighSpeed, MediumSpeed, LowMediumSpeed, LowSpeed' },
    ]);
    expect(connector.validateConfig({ base_url: 'https://b.example', environment: 'testnet' }).map((e) => e.field)).toEqual(['/config/environment']);
  });

  it('credentials: each is required, the store id has its shape', () => {
    expect(connector.validateCredentials({ api_key: '', store_id: 'no-dashes!' })).toEqual([
      { field: '/credentials/api_key', message: 'is required (a non-empty string)' },
      { field: '/credentials/store_id', message: expect.stringContaining('store id') },
      { field: '/credentials/webhook_secret', message: 'is required (a non-empty string)' },
    ]);
  });
});

describe('BTCPay transformers', () => {
  const invoice = (over: Record<string, unknown>) => invoiceSchema.parse({ id: 'i1', amount: '10.00', currency: 'USD', checkoutLink: 'https://b/i/i1', ...over });

  it('maps the status table; unknown stays unknown', () => {
    expect(['New', 'Processing', 'Settled', 'Expired', 'Invalid', 'Complete', undefined].map(mapStatus)).toEqual(['pending', 'processing', 'paid', 'expired', 'failed', 'unknown', 'unknown']);
  });

  it('reads 2.x and legacy 1.x payment method ids', () => {
    expect(['BTC', 'BTC-CHAIN', 'BTC-LightningNetwork', 'BTC-LightningLike', 'BTC-OffChain', 'BTC-LN', 'BTC-LNURLPAY'].map(canonicalPaymentMethod)).toEqual([
      'BTC-CHAIN', 'BTC-CHAIN', 'BTC-LN', 'BTC-LN', 'BTC-LN', 'BTC-LN', 'BTC-LNURL',
    ]);
    const methods = paymentMethodSchema.array().parse([
      { paymentMethodId: 'BTC', destination: 'bc1qxyz', amount: 0.0002 },
      { paymentMethodId: 'BTC-LightningNetwork', destination: 'lnbc1abc', activated: true },
    ]);
    expect(toPayment(methods)).toEqual({ address: 'bc1qxyz', network: 'bitcoin', asset: 'BTC', amount: '0.0002', bolt11: 'lnbc1abc' });
    // A lazy, not yet activated Lightning method has no BOLT11 to show.
    expect(toPayment(paymentMethodSchema.array().parse([{ paymentMethodId: 'BTC-LN', destination: '', activated: false }]))).toBeNull();
  });

  it('expiry rounds down to whole minutes (BTCPay never outlives our invoice); rails come from accepted_assets', () => {
    expect(toCreateBody(input(), undefined)).toEqual({ amount: '1.00', currency: 'USD', metadata: { orderId: 'inv_1' }, checkout: { expirationMinutes: 1 } });
    expect((toCreateBody(input({ acceptedAssets: ['BTC-CHAIN'] }), undefined).checkout as Record<string, unknown>).paymentMethods).toEqual(['BTC-CHAIN']);
    expect((toCreateBody(input({ acceptedAssets: ['BTC', 'BTC-LN'] }), undefined).checkout as Record<string, unknown>).paymentMethods).toBeUndefined();
  });

  it('records additionalStatus: PaidOver, PaidPartial on expiry, PaidLate', () => {
    expect(toUpstreamInvoice(invoice({ status: 'Settled', additionalStatus: 'PaidOver', paidAmount: '12.00' })).paid).toMatchObject({ amount: '12.00', currency: 'USD', exception: 'overpaid' });
    expect(toUpstreamInvoice(invoice({ status: 'Expired', additionalStatus: 'PaidPartial', paidAmount: '4.00' }))).toMatchObject({ status: 'expired', paid: { amount: '4.00', exception: 'underpaid' } });
    expect(toUpstreamInvoice(invoice({ status: 'Expired', additionalStatus: 'PaidLate', paidAmount: '10.00' })).paid).toMatchObject({ exception: 'late' });
    expect(toUpstreamInvoice(invoice({ status: 'Expired', additionalStatus: 'None', paidAmount: '0' })).paid).toBeNull();
    expect(toUpstreamInvoice(invoice({ status: 'Processing', paidAmount: '10.00' })).paid).toBeNull();
    expect(toUpstreamInvoice(invoice({ status: 'Settled', paidAmount: null })).paid).toMatchObject({ amount: '10.00' });
  });

  it('reads both Greenfield error shapes', () => {
    const res = (status: number, body: unknown) => ({ status, json: body, text: JSON.stringify(body) });
    expect(unwrapAnswer(res(422, [{ path: 'amount', message: 'too low' }, { path: 'currency', message: 'unknown' }]))).toEqual({
      error: { code: 'validation-error', detail: 'amount: too low; currency: unknown' },
    });
    expect(unwrapAnswer(res(400, { code: 'invalid-json', message: 'nope' }))).toEqual({ error: { code: 'invalid-json', detail: 'nope' } });
    expect(unwrapAnswer(res(403, { code: 'missing-permission', message: 'x', missingPermission: 'btcpay.store.canviewinvoices' }))).toEqual({
      error: { code: 'missing-permission', detail: 'the API key lacks the permission btcpay.store.canviewinvoices' },
    });
    expect(unwrapAnswer({ status: 200, json: undefined, text: '<html>' })).toEqual({ unreadable: 'answer is not JSON' });
  });
});

describe('BTCPay calls (against the emulator)', () => {
  let emu: BtcPayEmulator;
  let live: AccountContext;
  beforeAll(async () => {
    emu = await startBtcPayEmulator();
    live = { ...account, credentials: { api_key: emu.apiKey, store_id: emu.storeId, webhook_secret: emu.webhookSecret }, config: { base_url: `${emu.serverUrl}/` } };
  });
  afterAll(() => emu?.stop());

  const failure = async (p: Promise<unknown>) => {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    return err as UpstreamError;
  };

  it('creates with `Authorization: token …` and reads the invoice back with its payment methods', async () => {
    const created = await connector.createInvoice(live, input({ expiresInSeconds: 900 }));
    expect(emu.requests.at(-2)!.headers.authorization).toBe(`token ${emu.apiKey}`);
    expect(created).toMatchObject({ status: 'pending', payUrl: expect.stringContaining(created.upstreamId), payment: { network: 'bitcoin', asset: 'BTC' } });
    const got = await connector.getInvoice(live, created.upstreamId, 'inv_1');
    expect(got).toMatchObject({ upstreamId: created.upstreamId, status: 'pending' });
  });

  it('a key without a permission is a fatal failure naming it; a 422 list is a decline with the paths', async () => {
    const weak = { ...live, credentials: { ...live.credentials, api_key: emu.addApiKey(['btcpay.store.cancreateinvoice']) } };
    const denied = await failure(connector.checkCredentials!(weak));
    expect(denied).toMatchObject({ kind: 'integration', retryable: false, upstreamCode: 'missing-permission' });
    expect(denied.message).toContain('btcpay.store.canviewinvoices');
    const refused = await failure(connector.createInvoice(live, input({ amount: 'lots' })));
    expect(refused).toMatchObject({ kind: 'decline', upstreamCode: 'validation-error' });
    expect(refused.message).toContain('amount:');
  });

  it('a 503 is retryable', async () => {
    emu.failNext(`/stores/${emu.storeId}/invoices`, { status: 503 });
    expect(await failure(connector.createInvoice(live, input()))).toMatchObject({ kind: 'integration', retryable: true, upstreamCode: expect.any(String) });
  });
});
