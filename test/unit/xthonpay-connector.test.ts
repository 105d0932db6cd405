import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { createUpstreamHttp } from '../../src/connectors/kit/http.js';
import { createXthonPayConnector, xthonPayRequestSignature, xthonPayWebhookSignature } from '../../src/connectors/xthonpay/index.js';
import { createdSchema, toUpstreamInvoice } from '../../src/connectors/xthonpay/transformers.js';
import { UpstreamError, type AccountContext, type CreateInvoiceInput, type InboundWebhookRequest } from '../../src/connectors/types.js';
import { startXthonPayEmulator, xthonPaySignature, type XthonPayEmulator } from '../emulators/xthonpay.js';

const connector = createXthonPayConnector({ http: createUpstreamHttp(new Agent()) });
let emu: XthonPayEmulator;
let account: AccountContext;

beforeAll(async () => {
  emu = await startXthonPayEmulator();
  account = {
    accountId: 'ga_xthon',
    livemode: false,
    credentials: { api_key: emu.apiKey, api_secret: emu.apiSecret, webhook_secret: emu.webhookSecret },
    config: { base_url: emu.baseUrl },
    webhookUrl: 'https://switchyard.example/hooks/xthonpay/ga_xthon',
  };
});
afterAll(() => emu?.stop());

let seq = 0;
const input = (over: Partial<CreateInvoiceInput> = {}): CreateInvoiceInput => ({
  invoiceId: `inv_xthon_${++seq}`, amount: '50', currency: 'USDT', acceptedAssets: [], description: null, expiresAt: new Date(), expiresInSeconds: 3600,
  customer: null, returnUrl: null, failReturnUrl: null, ...over,
});
const withConfig = (config: Record<string, unknown>): AccountContext => ({ ...account, config: { base_url: emu.baseUrl, ...config } });
const hook = (rawBody: Buffer, headers: Record<string, string>): InboundWebhookRequest => ({
  method: 'POST', publicPath: '/hooks/xthonpay/ga_xthon', headers, rawBody, sourceAddress: '203.0.113.7', receivedAt: new Date(),
});
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const failure = async (p: Promise<unknown>) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UpstreamError);
  return err as UpstreamError;
};

describe('XthonPay: the upstream id is XthonPay’s own invoice id', () => {
  it('create: signed request, amount with two decimals, upstreamId = invoice_id (not our external_id)', async () => {
    const our = input();
    const created = await connector.createInvoice(account, our);
    const upstream = [...emu.invoices.values()].find((i) => i.external_id === our.invoiceId)!;
    expect(created.upstreamId).toBe(upstream.invoice_id);
    expect(created.upstreamId).not.toBe(our.invoiceId);
    expect(created).toMatchObject({ status: 'pending', payUrl: null, payment: { address: upstream.deposit_address, network: 'BSC (BEP-20)', asset: 'USDT', amount: '50.00' } });
    expect(created.raw).toMatchObject({ xthonpay_invoice_id: upstream.invoice_id, external_id: our.invoiceId });
    const call = emu.requests.at(-1)!;
    expect(call.body).toEqual({ amount: '50.00', external_id: our.invoiceId, callback_url: account.webhookUrl });
    expect(call.headers['x-signature']).toBe(xthonPayRequestSignature(emu.apiSecret, call.headers['x-timestamp'] as string));
  });

  it('an answer naming no id of its own falls back to `id`, then to our id', () => {
    expect(toUpstreamInvoice(createdSchema.parse({ deposit_address: '0xabc', id: 77 }), 'inv_1', '1.00').upstreamId).toBe('77');
    expect(toUpstreamInvoice(createdSchema.parse({ deposit_address: '0xabc' }), 'inv_1', '1.00')).toMatchObject({ upstreamId: 'inv_1', raw: { xthonpay_invoice_id: null } });
  });

  it('invoice.paid finds the invoice by our external_id; upstreamId is XthonPay’s id when the body has one', async () => {
    const our = input({ amount: '12.5' });
    const created = await connector.createInvoice(account, our);
    emu.pay(created.upstreamId);
    const [event] = connector.parseWebhook(emu.webhookBody(created.upstreamId));
    expect(event).toMatchObject({ invoiceId: our.invoiceId, upstreamId: created.upstreamId, status: 'paid', dedupeKey: `${our.invoiceId}:invoice.paid`, paid: { amount: '12.50', currency: 'USDT' } });
    const [bare] = connector.parseWebhook(json({ event: 'invoice.paid', data: { external_id: our.invoiceId } }));
    expect(bare).toMatchObject({ invoiceId: our.invoiceId, upstreamId: our.invoiceId, status: 'paid', paid: null });
  });

  it('the status query is keyed by our id ({external_id}) or XthonPay’s ({invoice_id}) and answers for the row’s upstream id', async () => {
    const our = input({ amount: '4' });
    const created = await connector.createInvoice(account, our);
    const byOurs = withConfig({ status_path: '/invoices/{external_id}' });
    expect(connector.canSync!(byOurs)).toBe(true);
    expect(await connector.getInvoice(byOurs, created.upstreamId, our.invoiceId)).toMatchObject({ upstreamId: created.upstreamId, status: 'pending' });
    expect(emu.requests.at(-1)!.path).toBe(`/invoices/${our.invoiceId}`);
    emu.pay(created.upstreamId);
    const byTheirs = withConfig({ status_path: '/invoices/{invoice_id}' });
    expect(await connector.getInvoice(byTheirs, created.upstreamId, our.invoiceId)).toMatchObject({ upstreamId: created.upstreamId, status: 'paid', paid: { amount: '4.00' } });
    expect(emu.requests.at(-1)!.path).toBe(`/invoices/${created.upstreamId}`);
    expect(await failure(connector.getInvoice(byOurs, created.upstreamId))).toMatchObject({ kind: 'integration', retryable: false });
    expect(connector.canSync!(account)).toBe(false);
    expect(await failure(connector.getInvoice(account, created.upstreamId, our.invoiceId))).toMatchObject({ upstreamCode: 'NOT_SUPPORTED' });
  });
});

describe('XthonPay: calls and failures', () => {
  it('an amount with more than two decimals is a decline before any call', async () => {
    const before = emu.requests.length;
    expect(await failure(connector.createInvoice(account, input({ amount: '1.005' })))).toMatchObject({ kind: 'decline', upstreamCode: 'AMOUNT_PRECISION' });
    expect(emu.requests.length).toBe(before);
  });

  it('a refused signature is fatal with XthonPay’s code; a 500 is retryable; the balance is read', async () => {
    const wrong = { ...account, credentials: { ...account.credentials, api_secret: 'xps_live_wrong' } };
    expect(await failure(connector.checkCredentials!(wrong))).toMatchObject({ kind: 'integration', retryable: false, upstreamCode: 'INVALID_SIGNATURE' });
    emu.failNext('/invoices', { status: 500 });
    expect(await failure(connector.createInvoice(account, input()))).toMatchObject({ kind: 'integration', retryable: true, upstreamCode: 'INTERNAL_ERROR' });
    expect(await connector.getBalance!(account)).toEqual([{ currency: 'USDT', available: emu.balance.toFixed(2), onhold: '0' }]);
  });
});

describe('XthonPay: webhooks and settings', () => {
  const body = json({ event: 'invoice.paid', data: { external_id: 'order_12345' } });

  it('verifies X-Xthon-Signature over the raw body, in any header case', () => {
    const sig = xthonPayWebhookSignature(emu.webhookSecret, body);
    expect(sig).toBe(xthonPaySignature(emu.webhookSecret, body));
    expect(connector.verifyWebhook(account, hook(body, { 'X-Xthon-Signature': sig.toUpperCase() }))).toEqual({ ok: true });
    expect(connector.verifyWebhook(account, hook(body, { 'x-xthon-signature': xthonPayWebhookSignature('other', body) }))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(connector.verifyWebhook(account, hook(body, {}))).toEqual({ ok: false, reason: 'missing_signature' });
    expect(connector.acknowledgement()).toEqual({ status: 200, contentType: 'text/plain', body: 'OK' });
    expect(connector.redactHeaders).toContain('x-api-key');
  });

  it('ignores other events; an invoice.paid without external_id is refused naming the field', () => {
    expect(connector.parseWebhook(json({ event: 'invoice.created', data: { external_id: 'x' } }))).toEqual([]);
    expect(() => connector.parseWebhook(json({ event: 'invoice.paid', data: { invoice_id: 'xinv_1' } }))).toThrow(/\/data\/external_id/);
  });

  it('status_path must name the invoice; settings of other connectors are refused by name', () => {
    expect(connector.validateConfig({ status_path: '/invoices/latest' }).map((e) => e.field)).toEqual(['/config/status_path']);
    expect(connector.validateConfig({ status_path: '/invoices/{invoice_id}' })).toEqual([]);
    expect(connector.validateConfig({ speed_policy: 'HighSpeed' }).map((e) => e.field)).toEqual(['/config/speed_policy']);
    expect(connector.validateCredentials({ api_key: 'k', extra: 'x' }).map((e) => e.field).sort()).toEqual([
      '/credentials/api_secret', '/credentials/extra', '/credentials/webhook_secret',
    ]);
  });
});
