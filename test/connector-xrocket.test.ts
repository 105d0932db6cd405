import { Agent } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness } from './helpers/harness.js';
import { connectorConformance } from './helpers/connector-conformance.js';
import { createShop } from './helpers/factories.js';
import { startXRocketEmulator, type XRocketEmulator } from './emulators/xrocket.js';
import { createXRocketConnector, xRocketWebhookSignature } from '../src/connectors/xrocket/index.js';
import { createUpstreamHttp, WebhookBodyError } from '../src/connectors/kit/index.js';
import type { AccountContext, InboundWebhookRequest } from '../src/connectors/types.js';
import { xRocketVector } from './vectors/index.js';

const xRocket = connectorConformance({
  connector: 'xrocket',
  name: 'xRocket Pay',
  emulator: startXRocketEmulator,
  invoice: { amount: '2.5', currency: 'TON' },
  credentialCheck: (r) => r.method === 'GET' && r.path === '/app/info',
  statusQuery: {},
});

let h: Harness;
let emu: XRocketEmulator;
beforeAll(() => void ({ h, emu } = xRocket));

const creates = () => emu.requests.filter((r) => r.route === 'createInvoice');
const upstreamInvoice = (inv: { gateway: { upstream_id: string } }) => emu.invoices.get(Number(inv.gateway.upstream_id))!;

describe('xRocket: connecting an account', () => {
  it('checks the API token with GET /app/info, sent in Rocket-Pay-Key', async () => {
    const before = emu.requests.length;
    await xRocket.connect();
    const check = emu.requests.slice(before).find((r) => r.route === 'appInfo')!;
    expect(check.headers['rocket-pay-key']).toBe(emu.apiKey);
    expect(check.status).toBe(200);
  });

  it('a refused token is 422 upstream_credentials_invalid (xRocket answers 401 without an error code)', async () => {
    const shop = await createShop(h, 'Wrong xRocket token');
    const res = await h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'xrocket', credentials: emu.refusedCredentials, config: { base_url: emu.baseUrl } } });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'upstream_credentials_invalid', upstream_code: 'HTTP_401' });
  });

  it('shows the balances of /app/info in our codes (TONCOIN is TON), digit for digit', async () => {
    emu.balances.set('USDT', '12345678901234567.123456789');
    try {
      const { key, account } = await xRocket.connect();
      const res = await h.client.get(`/v1/gateway-accounts/${account.id}/balance`, { auth: key });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.balances).toEqual(
        expect.arrayContaining([
          { currency: 'USDT', available: '12345678901234567.123456789', onhold: '0' },
          { currency: 'TON', available: expect.any(String), onhold: '0' },
        ]),
      );
    } finally {
      emu.balances.set('USDT', '12.5');
    }
  });
});

describe('xRocket: creating invoices', () => {
  it('POST /tg-invoices: TON as TONCOIN, one payment, our id as payload, the lifetime, description and return button; pay_url is the bot link', async () => {
    const { key } = await xRocket.connect();
    const inv = await xRocket.createInvoice(key, { amount: '12.5', currency: 'TON', description: 'Premium', expires_in: 900, return_url: 'https://shop.example/thanks' });
    const sent = creates().at(-1)!;
    expect(sent.authentic).toBe(true);
    expect(JSON.parse(sent.bodyText)).toEqual({ amount: 12.5, numPayments: 1, currency: 'TONCOIN', description: 'Premium', callbackUrl: 'https://shop.example/thanks', payload: inv.id, expiredIn: expect.any(Number) });
    expect((JSON.parse(sent.bodyText) as { expiredIn: number }).expiredIn).toBeGreaterThan(890);
    expect(inv.pay_url).toBe(upstreamInvoice(inv).link);
    expect(inv.pay_url).toMatch(/^https:\/\/t\.me\/xrocket\?start=inv_/);
  });

  it('the amount travels as a JSON number literal written from our decimal string, 9 decimals exactly, and comes back the same', async () => {
    const { key, account } = await xRocket.connect();
    const inv = await xRocket.createInvoice(key, { amount: '123456.123456789', currency: 'TON' });
    expect(creates().at(-1)!.bodyText).toContain('{"amount":123456.123456789,');
    expect(upstreamInvoice(inv).amount).toBe('123456.123456789');
    await xRocket.holdReconciliation(inv.id);
    emu.pay(upstreamInvoice(inv).id);
    expect((await emu.sendInvoiceWebhook(String(upstreamInvoice(inv).id), xRocket.webhookTarget(account))).status).toBe(200);
    await eventually(async () => expect((await xRocket.invoiceOf(key, inv.id)).paid).toMatchObject({ amount: '123456.123456789', currency: 'TON', exception: null }));

    const tiny = await xRocket.createInvoice(key, { amount: '0.000000001', currency: 'TON' });
    expect(creates().at(-1)!.bodyText).toContain('{"amount":0.000000001,');
    const synced = await h.client.post(`/v1/invoices/${tiny.id}/sync`, { auth: key });
    expect(synced.body.amount).toBe('0.000000001');
  });

  it('more than 9 significant decimals is refused before any call: 422 no_gateway_available naming the limit (never rounded)', async () => {
    const { key } = await xRocket.connect();
    const before = creates().length;
    const res = await h.client.post('/v1/invoices', { auth: key, body: { gateway: 'xrocket', amount: '0.1234567891', currency: 'ETH' } });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.code).toBe('no_gateway_available');
    expect(res.body.rejected).toEqual([expect.objectContaining({ reason: expect.stringContaining('at most 9 decimal places') })]);
    expect(creates().length).toBe(before);
    // Trailing zeros past the 9th decimal are the same amount: sent without them.
    await xRocket.createInvoice(key, { amount: '1.5000000000', currency: 'ETH' });
    expect(creates().at(-1)!.bodyText).toContain('{"amount":1.5,');
  });

  it('amounts above 1,000,000 are refused before any call', async () => {
    const { key } = await xRocket.connect();
    const before = creates().length;
    const res = await h.client.post('/v1/invoices', { auth: key, body: { gateway: 'xrocket', amount: '1000000.01', currency: 'USDT' } });
    expect(res.status).toBe(422);
    expect(res.body.rejected).toEqual([expect.objectContaining({ reason: expect.stringContaining('up to 1000000') })]);
    expect(creates().length).toBe(before);
  });

  it('an expires_in over 86400 s is refused before any call: 422 naming the limit', async () => {
    const { key } = await xRocket.connect();
    const before = creates().length;
    const res = await h.client.post('/v1/invoices', { auth: key, body: { gateway: 'xrocket', amount: '1', currency: 'TON', expires_in: 86401 } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('no_gateway_available');
    expect(res.body.rejected).toEqual([expect.objectContaining({ reason: 'xrocket accepts expires_in between 60 and 86400' })]);
    expect(creates().length).toBe(before);
    await xRocket.createInvoice(key, { expires_in: 86400 });
    expect((JSON.parse(creates().at(-1)!.bodyText) as { expiredIn: number }).expiredIn).toBeLessThanOrEqual(86400);
  });

  it('an upstream 400 is a decline naming the property; a 500 fails over as retryable', async () => {
    const { key } = await xRocket.connect();
    emu.failNext('createInvoice', { status: 400, message: 'amount must not be less than 0.01' });
    const declined = await h.client.post('/v1/invoices', { auth: key, body: { gateway: 'xrocket', amount: '1', currency: 'USDT' } });
    expect(declined.status).toBe(502);
    expect(declined.body.attempts[0]).toMatchObject({ connector: 'xrocket', outcome: 'declined', code: 'HTTP_400' });
    emu.failNext('createInvoice', { status: 500 });
    const failed = await h.client.post('/v1/invoices', { auth: key, body: { gateway: 'xrocket', amount: '1', currency: 'USDT' } });
    expect(failed.status).toBe(502);
    expect(failed.body.attempts[0]).toMatchObject({ outcome: 'failed', code: 'HTTP_500' });
  });
});

describe('xRocket: payments, fees and status', () => {
  it('paid.amount is the gross paymentAmount and paid.fee what xRocket kept (paymentAmount − paymentAmountReceived, in decimals)', async () => {
    const { key, account } = await xRocket.connect();
    const inv = await xRocket.createInvoice(key, { amount: '10', currency: 'USDT' });
    await xRocket.holdReconciliation(inv.id);
    emu.pay(upstreamInvoice(inv).id);
    expect(upstreamInvoice(inv).payments[0]).toMatchObject({ paymentAmount: '10', paymentAmountReceived: '9.85' });
    await emu.sendInvoiceWebhook(String(upstreamInvoice(inv).id), xRocket.webhookTarget(account));
    await eventually(async () => expect((await xRocket.invoiceOf(key, inv.id)).paid).toMatchObject({ amount: '10', currency: 'USDT', fee: '0.15', exception: null }));
    // The status query (payments[] of GET /tg-invoices/{id}) says the same.
    const before = emu.requests.length;
    const synced = await h.client.post(`/v1/invoices/${inv.id}/sync`, { auth: key });
    expect(synced.body.paid).toMatchObject({ amount: '10', fee: '0.15' });
    // (Reconciliation may be asking about other invoices meanwhile.)
    expect(emu.requests.slice(before).filter((r) => r.route === 'getInvoice').map((r) => r.path)).toContain(`/tg-invoices/${upstreamInvoice(inv).id}`);
  });

  it('webhook ids are accepted as strings (the real deliveries) and as numbers (the spec)', async () => {
    const { key, account } = await xRocket.connect();
    for (const ids of ['string', 'number'] as const) {
      emu.options.webhookIds = ids;
      try {
        const inv = await xRocket.createInvoice(key);
        await xRocket.holdReconciliation(inv.id);
        const id = upstreamInvoice(inv).id;
        emu.pay(id);
        expect(emu.webhookBody(id).toString()).toContain(ids === 'string' ? `"id":"${id}"` : `"id":${id},`);
        expect((await emu.sendInvoiceWebhook(String(id), xRocket.webhookTarget(account))).status).toBe(200);
        await eventually(async () => expect((await xRocket.invoiceOf(key, inv.id)).status).toBe('paid'));
      } finally {
        emu.options.webhookIds = 'string';
      }
    }
  });

  it('an expiry webhook, should xRocket send one, expires the invoice; sync reads an expiry too', async () => {
    const { key, account } = await xRocket.connect();
    const inv = await xRocket.createInvoice(key);
    await xRocket.holdReconciliation(inv.id);
    emu.options.expiryWebhooks = true;
    try {
      emu.expire(upstreamInvoice(inv).id);
      expect((await emu.sendInvoiceWebhook(String(upstreamInvoice(inv).id), xRocket.webhookTarget(account))).status).toBe(200);
    } finally {
      emu.options.expiryWebhooks = false;
    }
    await eventually(async () => expect((await xRocket.invoiceOf(key, inv.id)).status).toBe('expired'));
    const other = await xRocket.createInvoice(key);
    emu.expire(upstreamInvoice(other).id);
    expect((await h.client.post(`/v1/invoices/${other.id}/sync`, { auth: key })).body.status).toBe('expired');
  });

  it('cancel deletes the upstream invoice with DELETE /tg-invoices/{id}', async () => {
    const { key } = await xRocket.connect();
    const inv = await xRocket.createInvoice(key);
    const id = upstreamInvoice(inv).id;
    const res = await h.client.post(`/v1/invoices/${inv.id}/cancel`, { auth: key });
    expect(res.body.status).toBe('cancelled');
    expect(emu.requests.filter((r) => r.route === 'deleteInvoice').at(-1)).toMatchObject({ method: 'DELETE', path: `/tg-invoices/${id}`, status: 200, authentic: true });
    expect(emu.invoices.has(id)).toBe(false);
  });

  it('config.webhook_ip_allowlist refuses webhooks from other addresses', async () => {
    const { key, account } = await xRocket.connect({ config: { webhook_ip_allowlist: ['198.51.100.0/24'] } });
    const inv = await xRocket.createInvoice(key);
    await xRocket.holdReconciliation(inv.id);
    emu.pay(upstreamInvoice(inv).id);
    expect((await emu.sendInvoiceWebhook(String(upstreamInvoice(inv).id), xRocket.webhookTarget(account))).status).toBe(401);
    const stored = await h.client.get(`/admin/v1/upstream-webhooks?gateway_account_id=${account.id}`, { auth: h.operatorToken });
    expect(stored.body.data[0]).toMatchObject({ verified: false, verification_error: 'source_not_allowed' });
  });
});

describe('xRocket: the webhook verifier and reader', () => {
  const connector = createXRocketConnector({ http: createUpstreamHttp(new Agent()) });
  const account = (apiKey: string): AccountContext => ({ accountId: 'ga_x', livemode: false, credentials: { api_key: apiKey }, config: {}, webhookUrl: 'https://sy.example/hooks/xrocket/ga_x' });
  const request = (rawBody: Buffer, headers: Record<string, string>): InboundWebhookRequest => ({ method: 'POST', publicPath: '/hooks/xrocket/ga_x', headers, rawBody, sourceAddress: '203.0.113.7', receivedAt: new Date() });
  const { body, token, signature } = xRocketVector;

  it('accepts the vector’s rocket-pay-signature and refuses it after a one-byte change, with another token or without it', () => {
    expect(xRocketWebhookSignature(token, body)).toBe(signature);
    expect(connector.verifyWebhook(account(token), request(body, { 'rocket-pay-signature': signature }))).toEqual({ ok: true });
    const changed = Buffer.from(body);
    changed[200] = changed[200]! ^ 1;
    expect(connector.verifyWebhook(account(token), request(changed, { 'rocket-pay-signature': signature }))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(connector.verifyWebhook(account(`${token}-other`), request(body, { 'rocket-pay-signature': signature }))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(connector.verifyWebhook(account(token), request(body, {}))).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it('reads the real delivery: string id, paid 0.3 USDT of which xRocket kept 0.0045', () => {
    expect(connector.parseWebhook(body)).toEqual([
      {
        dedupeKey: '3690770:paid',
        upstreamId: '3690770',
        status: 'paid',
        paid: { amount: '0.3', currency: 'USDT', paidAt: new Date('2026-01-11T08:15:24.396Z'), fee: '0.0045' },
        raw: expect.objectContaining({ xrocket_invoice_id: '3690770', xrocket_status: 'paid', link: 'https://t.me/xrocket?start=inv_wW61TIMMRZ2IR2m' }),
      },
    ]);
  });

  it('other webhook types are read as nothing; an invoicePay without the invoice’s fields is refused as malformed', () => {
    expect(connector.parseWebhook(Buffer.from('{"type":"subscriptionPay","timestamp":"2026-01-11T08:15:24.396Z","data":{"subscriptionId":1}}'))).toEqual([]);
    expect(() => connector.parseWebhook(Buffer.from('{"type":"invoicePay","timestamp":"2026-01-11T08:15:24.396Z","data":{"id":"1"}}'))).toThrow(WebhookBodyError);
    expect(() => connector.parseWebhook(Buffer.from('{"type":"invoicePay","timestamp":"2026-01-11T08:15:24.396Z","data":{"id":"1"}}'))).toThrow(/\/data\/amount/);
  });
});
