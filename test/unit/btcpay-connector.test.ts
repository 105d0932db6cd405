import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { createUpstreamHttp } from '../../src/connectors/kit/http.js';
import { legacyHttp } from '../../src/connectors/upstream-http.js';
import { createBtcPayConnector } from '../../src/connectors/btcpay/index.js';
import { canonicalPaymentMethod, mapStatus, toCreateBody, toPayment, toUpstreamEvents, toUpstreamInvoice } from '../../src/connectors/btcpay/transformers.js';
import type { AccountContext, CreateInvoiceInput, InboundWebhookRequest } from '../../src/connectors/types.js';
import { btcPayVector } from '../vectors/index.js';

const { body: VECTOR_BODY, secret: VECTOR_SECRET, signature: VECTOR_SIG } = btcPayVector;

const connector = createBtcPayConnector({ http: legacyHttp(createUpstreamHttp(new Agent())) });
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
    expect(toUpstreamEvents({ type: 'InvoiceCreated', invoiceId: 'x', deliveryId: 'd' })[0]!.refetch).toBe(false);
    expect(toUpstreamEvents({ type: 'PayoutCreated', payoutId: 'p' })).toEqual([]);
  });
});

describe('BTCPay transformers', () => {
  it('maps the status table; unknown stays unknown', () => {
    expect(['New', 'Processing', 'Settled', 'Expired', 'Invalid', 'Complete', undefined].map(mapStatus)).toEqual(['pending', 'processing', 'paid', 'expired', 'failed', 'unknown', 'unknown']);
  });

  it('reads 2.x and legacy 1.x payment method ids', () => {
    expect(['BTC', 'BTC-CHAIN', 'BTC-LightningNetwork', 'BTC-LightningLike', 'BTC-OffChain', 'BTC-LN', 'BTC-LNURLPAY'].map(canonicalPaymentMethod)).toEqual([
      'BTC-CHAIN', 'BTC-CHAIN', 'BTC-LN', 'BTC-LN', 'BTC-LN', 'BTC-LN', 'BTC-LNURL',
    ]);
    expect(toPayment([{ paymentMethodId: 'BTC', destination: 'bc1qxyz', amount: '0.0002' }, { paymentMethodId: 'BTC-LightningNetwork', destination: 'lnbc1abc', activated: true }])).toEqual({
      address: 'bc1qxyz', network: 'bitcoin', asset: 'BTC', amount: '0.0002', bolt11: 'lnbc1abc',
    });
    // A lazy, not yet activated Lightning method has no BOLT11 to show.
    expect(toPayment([{ paymentMethodId: 'BTC-LN', destination: '', activated: false }])).toBeNull();
  });

  it('expiry rounds down to whole minutes (BTCPay never outlives our invoice); rails come from accepted_assets', () => {
    const input: CreateInvoiceInput = {
      invoiceId: 'inv_1', amount: '1.00', currency: 'USD', acceptedAssets: [], description: null, expiresAt: new Date(), expiresInSeconds: 119,
      customer: null, returnUrl: null, failReturnUrl: null,
    };
    expect(toCreateBody(input, undefined)).toEqual({ amount: '1.00', currency: 'USD', metadata: { orderId: 'inv_1' }, checkout: { expirationMinutes: 1 } });
    expect((toCreateBody({ ...input, acceptedAssets: ['BTC-CHAIN'] }, undefined).checkout as Record<string, unknown>).paymentMethods).toEqual(['BTC-CHAIN']);
    expect((toCreateBody({ ...input, acceptedAssets: ['BTC', 'BTC-LN'] }, undefined).checkout as Record<string, unknown>).paymentMethods).toBeUndefined();
  });

  it('records additionalStatus: PaidOver, PaidPartial on expiry, PaidLate', () => {
    const base = { id: 'i1', amount: '10.00', currency: 'USD', checkoutLink: 'https://b/i/i1' };
    expect(toUpstreamInvoice({ ...base, status: 'Settled', additionalStatus: 'PaidOver', paidAmount: '12.00' }).paid).toMatchObject({ amount: '12.00', currency: 'USD', exception: 'overpaid' });
    expect(toUpstreamInvoice({ ...base, status: 'Expired', additionalStatus: 'PaidPartial', paidAmount: '4.00' })).toMatchObject({ status: 'expired', paid: { amount: '4.00', exception: 'underpaid' } });
    expect(toUpstreamInvoice({ ...base, status: 'Expired', additionalStatus: 'PaidLate', paidAmount: '10.00' }).paid).toMatchObject({ exception: 'late' });
    expect(toUpstreamInvoice({ ...base, status: 'Expired', additionalStatus: 'None', paidAmount: '0' }).paid).toBeNull();
    expect(toUpstreamInvoice({ ...base, status: 'Processing', paidAmount: '10.00' }).paid).toBeNull();
  });
});
