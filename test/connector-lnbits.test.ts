import { beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { eventually, type Harness } from './helpers/harness.js';
import { connectorConformance } from './helpers/connector-conformance.js';
import { createShop } from './helpers/factories.js';
import { startLnbitsEmulator, type LnbitsEmulator, type LnbitsRequest } from './emulators/lnbits.js';

const lnbits = connectorConformance({
  connector: 'lnbits',
  name: 'LNbits',
  emulator: startLnbitsEmulator,
  invoice: { amount: '0.00012345', currency: 'BTC' },
  credentialCheck: (r) => r.method === 'GET' && r.path === '/wallet',
  statusQuery: {},
  // LNbits signs nothing: its webhooks are hints, confirmed with GET /api/v1/payments/{hash}.
  unsignedWebhooks: { statusRequest: (r, hash) => r.method === 'GET' && r.path === `/payments/${hash}` },
});

let h: Harness;
let emu: LnbitsEmulator;
beforeAll(() => void ({ h, emu } = lnbits));

const creates = () => emu.requests.filter((r) => r.method === 'POST' && r.path === '/payments');
const statusQueries = (hash: string) => emu.requests.filter((r) => r.method === 'GET' && r.path === `/payments/${hash}`);
/** What we kept of the upstream's answers (not in the public invoice). */
const upstreamDataOf = async (id: string) => ((await h.core.db('invoices').where({ id }).first()) as { upstream_data: unknown }).upstream_data;
const paymentOf = (invoice: { gateway: { upstream_id: string | null } }) => emu.payments.get(invoice.gateway.upstream_id!)!;

/** Flips emulator switches for one test. */
async function withOptions<T>(o: Partial<LnbitsEmulator['options']>, fn: () => Promise<T>): Promise<T> {
  const saved = { ...emu.options };
  Object.assign(emu.options, o);
  try {
    return await fn();
  } finally {
    Object.assign(emu.options, saved);
  }
}

describe('LNbits: connecting a wallet', () => {
  it('checks the Invoice/read key with GET /api/v1/wallet in X-Api-Key', async () => {
    const before = emu.requests.length;
    await lnbits.connect();
    const check = emu.requests.slice(before).find((r) => r.path === '/wallet')!;
    expect(check).toMatchObject({ method: 'GET', status: 200, keyType: 'invoice' });
    expect(check.headers['x-api-key']).toBe(emu.invoiceKey);
  });

  it('a key LNbits does not know (404 Wallet not found.) is 422 upstream_credentials_invalid; base_url is required', async () => {
    const shop = await createShop(h, 'LNbits wrong key');
    const wrong = await h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'lnbits', credentials: emu.refusedCredentials, config: { base_url: emu.baseUrl } } });
    expect(wrong.body).toMatchObject({ code: 'upstream_credentials_invalid', upstream_code: 'WALLET_NOT_FOUND' });
    const noServer = await h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'lnbits', credentials: emu.account.credentials, config: {} } });
    expect(noServer.status).toBe(422);
    expect(noServer.body.errors.map((e: { field: string }) => e.field)).toEqual(['/body/config/base_url']);
  });

  it('shows the wallet balance in BTC, exactly from msat', async () => {
    const { key, account } = await lnbits.connect();
    emu.balanceMsat = 1_234_567_891;
    const res = await h.client.get(`/v1/gateway-accounts/${account.id}/balance`, { auth: key });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.balances).toEqual([expect.objectContaining({ currency: 'BTC', available: '0.01234567891' })]);
  });
});

describe('LNbits: invoices', () => {
  it('a BTC invoice is POST /api/v1/payments with out:false, whole sats, memo, expiry, our webhook URL and id; payment shows the BOLT11', async () => {
    const { key, account } = await lnbits.connect();
    const inv = await lnbits.createInvoice(key, { amount: '0.00012345', currency: 'BTC', description: 'Coffee', expires_in: 900 });
    const call = creates().at(-1)!;
    expect(call.keyType).toBe('invoice');
    expect(call.outOmitted).toBe(false);
    expect(call.body).toMatchObject({
      out: false,
      amount: 12345,
      unit: 'sat',
      memo: 'Coffee',
      webhook: account.webhook_url,
      extra: { switchyard_invoice_id: inv.id, switchyard_currency: 'BTC' },
    });
    expect((call.body as { expiry: number }).expiry).toBeGreaterThan(880);
    expect((call.body as { expiry: number }).expiry).toBeLessThanOrEqual(900);
    const payment = paymentOf(inv);
    expect(inv.gateway.upstream_id).toBe(payment.payment_hash);
    // No page of its own: the buyer gets the hosted checkout with the Lightning QR.
    expect(inv.pay_url).toBe(inv.checkout_url);
    expect(inv.payment).toEqual({ network: 'lightning', asset: 'BTC', amount: '0.00012345', bolt11: payment.bolt11 });
    expect(payment.bolt11).toMatch(/^lnbc123450n1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]+$/);
  });

  it('msat become BTC exactly: one satoshi is 0.00000001, paid included', async () => {
    const { key } = await lnbits.connect();
    const inv = await lnbits.createInvoice(key, { amount: '0.00000001', currency: 'BTC' });
    expect(paymentOf(inv).amount).toBe(1000);
    expect(inv.payment).toMatchObject({ amount: '0.00000001' });
    emu.pay(inv.gateway.upstream_id!);
    const synced = await h.client.post(`/v1/invoices/${inv.id}/sync`, { auth: key });
    expect(synced.body).toMatchObject({ status: 'paid', paid: { amount: '0.00000001', currency: 'BTC', exception: null } });
  });

  it('a fiat invoice sends unit = the code and the amount as a JSON number with exactly our digits; paid is the invoice amount in that currency, the msat kept', async () => {
    const { key } = await lnbits.connect();
    const inv = await lnbits.createInvoice(key, { amount: '12.50', currency: 'USD' });
    const call = creates().at(-1)!;
    expect(call.rawBody).toContain('"amount":12.50,');
    expect(call.body).toMatchObject({ out: false, unit: 'USD' });
    // 12.50 USD at 100000 USD/BTC is 12500 sat.
    expect(paymentOf(inv).amount).toBe(12_500_000);
    expect(inv.payment).toMatchObject({ network: 'lightning', asset: 'BTC', amount: '0.000125' });
    emu.pay(inv.gateway.upstream_id!);
    const synced = await h.client.post(`/v1/invoices/${inv.id}/sync`, { auth: key });
    expect(synced.body).toMatchObject({ status: 'paid', paid: { amount: '12.50', currency: 'USD', exception: null } });
    expect((await upstreamDataOf(inv.id))).toMatchObject({ lnbits_amount_msat: '12500000', lnbits_paid: true });
  });

  it('never omits out: every create this file made said out:false (LNbits would read a missing out as a payment)', async () => {
    const { key } = await lnbits.connect();
    await lnbits.createInvoice(key, { amount: '1', currency: 'EUR' });
    expect(creates().length).toBeGreaterThan(0);
    expect(creates().filter((r: LnbitsRequest) => r.outOmitted !== false || (r.body as { out?: unknown }).out !== false)).toEqual([]);
  });

  it('an answer in the pre-1.0 shape ({payment_hash, payment_request, checking_id}) is understood: the BOLT11 and its amount come from payment_request', async () => {
    const { key } = await lnbits.connect();
    const inv = await withOptions({ createAnswer: 'legacy' }, () => lnbits.createInvoice(key, { amount: '10', currency: 'EUR' }));
    const payment = paymentOf(inv);
    // 10 EUR at 90000 EUR/BTC: 11111 sat.
    expect(inv.payment).toEqual({ network: 'lightning', asset: 'BTC', amount: '0.00011111', bolt11: payment.payment_request });
  });

  it('LNbits 520 (its payment error) on create is retryable: 502 upstream_error, nothing kept', async () => {
    const { key } = await lnbits.connect();
    emu.failNext('/payments', { status: 520, detail: 'Could not create invoice' });
    const res = await h.client.post('/v1/invoices', { auth: key, body: { gateway: 'lnbits', amount: '0.0001', currency: 'BTC' } });
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('upstream_error');
    expect(res.body.attempts[0]).toMatchObject({ connector: 'lnbits', outcome: 'failed', code: 'HTTP_520' });
    expect((await h.client.get('/v1/invoices', { auth: key })).body.data).toEqual([]);
  });

  it('refuses on-chain-only invoices and amounts below one satoshi without asking LNbits', async () => {
    const { key } = await lnbits.connect();
    const before = creates().length;
    const chain = await h.client.post('/v1/invoices', { auth: key, body: { gateway: 'lnbits', amount: '0.001', currency: 'BTC', accepted_assets: ['BTC-CHAIN'] } });
    expect(chain.status).toBeGreaterThanOrEqual(400);
    const dust = await h.client.post('/v1/invoices', { auth: key, body: { gateway: 'lnbits', amount: '0.000000001', currency: 'BTC' } });
    expect(dust.status).toBeGreaterThanOrEqual(400);
    expect(creates().length).toBe(before);
  });
});

describe('LNbits: status', () => {
  it('a failed payment fails the invoice; an expired one is failed, expired or still pending as the server says', async () => {
    const { key } = await lnbits.connect();
    const cases = [
      ['failed', 'failed'],
      ['expired', 'expired'],
      ['pending', 'pending'],
    ] as const;
    for (const [says, ours] of cases) {
      const inv = await lnbits.createInvoice(key);
      await lnbits.holdReconciliation(inv.id);
      await withOptions({ expiredStatus: says }, async () => {
        emu.expire(inv.gateway.upstream_id!);
        const synced = await h.client.post(`/v1/invoices/${inv.id}/sync`, { auth: key });
        expect(synced.body.status, `LNbits says ${says}`).toBe(ours);
      });
    }
  });

  it('a paid answer without details (a key that does not own the payment) is paid in full: the invoice amount', async () => {
    const { key } = await lnbits.connect();
    const inv = await lnbits.createInvoice(key, { amount: '0.0005', currency: 'BTC' });
    await lnbits.holdReconciliation(inv.id);
    emu.pay(inv.gateway.upstream_id!);
    const synced = await withOptions({ statusDetails: false }, () => h.client.post(`/v1/invoices/${inv.id}/sync`, { auth: key }));
    expect(synced.body).toMatchObject({ status: 'paid', paid: { amount: '0.0005', currency: 'BTC', exception: null } });
  });
});

describe('LNbits: webhooks are hints', () => {
  it.for(['double', 'object'] as const)('a %s-encoded paid webhook leads to one status query with the key, which marks the invoice paid', async (encoding) => {
    const { key, account } = await lnbits.connect();
    const inv = await lnbits.createInvoice(key, { amount: '0.0002', currency: 'BTC' });
    await lnbits.holdReconciliation(inv.id);
    const hash = inv.gateway.upstream_id!;
    emu.pay(hash);
    const body = emu.webhookBody(hash, { encoding });
    expect(body.toString().startsWith(encoding === 'double' ? '"{' : '{')).toBe(true);
    const before = statusQueries(hash).length;
    expect(await emu.sendWebhook(hash, lnbits.webhookTarget(account).url, { body })).toEqual({ status: 200, body: '{"received":true}' });
    await eventually(async () => expect((await lnbits.invoiceOf(key, inv.id)).status).toBe('paid'));
    expect((await lnbits.invoiceOf(key, inv.id)).paid).toMatchObject({ amount: '0.0002', currency: 'BTC' });
    // The hint's query (a reconcile pass that read the invoice before the hold may have asked too).
    const asked = statusQueries(hash).slice(before);
    expect(asked.length).toBeGreaterThanOrEqual(1);
    expect(asked.map((r) => [r.keyType, r.status])).toEqual(asked.map(() => ['invoice', 200]));
    expect(emu.payments.get(hash)!.webhook_status).toBe(200);
  });

  it('the hint’s body is never believed: a paid-looking body for an unpaid payment leaves it pending and writes nothing of the body', async () => {
    const { key, account } = await lnbits.connect();
    const inv = await lnbits.createInvoice(key);
    await lnbits.holdReconciliation(inv.id);
    const hash = inv.gateway.upstream_id!;
    const forged = Buffer.from(JSON.stringify({ payment_hash: hash, status: 'success', amount: 999_999_000, preimage: 'ff'.repeat(32) }));
    expect((await emu.sendWebhook(hash, lnbits.webhookTarget(account).url, { body: forged })).status).toBe(200);
    await lnbits.webhooksProcessed(account.id);
    const now = await lnbits.invoiceOf(key, inv.id);
    expect(now.status).toBe('pending');
    expect(JSON.stringify(await upstreamDataOf(inv.id))).not.toContain('ff'.repeat(32));
  });

  it('a hint naming a payment we do not know asks nothing; a body that is not JSON is kept, noted and changes nothing', async () => {
    const { account } = await lnbits.connect();
    const url = lnbits.webhookTarget(account).url;
    const before = emu.requests.length;
    const unknown = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(JSON.stringify({ payment_hash: 'ab'.repeat(32) })) });
    expect(unknown.statusCode).toBe(200);
    const garbage = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'not json' });
    expect(garbage.statusCode).toBe(200);
    await Promise.all([unknown.body.text(), garbage.body.text()]);
    await lnbits.webhooksProcessed(account.id);
    const rows = await h.core.db('upstream_webhooks').where({ gateway_account_id: account.id }).orderBy('received_at');
    expect(rows.map((r: { verified: boolean; verification_error: string }) => [r.verified, r.verification_error])).toEqual([
      [false, 'unsigned_hint'],
      [false, 'unsigned_hint'],
    ]);
    expect(rows.map((r: { process_error: string }) => r.process_error)).toEqual([expect.stringContaining('unknown upstream invoice'), expect.stringContaining('unparseable')]);
    // Nothing asked about the unknown payment (reconciliation of other tests' invoices may ask about theirs meanwhile).
    expect(emu.requests.slice(before).filter((r) => r.path.startsWith(`/payments/${'ab'.repeat(32)}`))).toEqual([]);
  });

  it('a paid invoice whose webhook never comes (LNbits does not retry) is settled by reconciliation', async () => {
    const { key } = await lnbits.connect();
    const inv = await lnbits.createInvoice(key, { amount: '0.0003', currency: 'BTC' });
    emu.pay(inv.gateway.upstream_id!);
    await eventually(async () => expect((await lnbits.invoiceOf(key, inv.id)).status).toBe('paid'), { timeoutMs: 15_000 });
    expect((await lnbits.invoiceOf(key, inv.id)).paid).toMatchObject({ amount: '0.0003', currency: 'BTC' });
    expect(statusQueries(inv.gateway.upstream_id!).every((r) => r.keyType === 'invoice')).toBe(true);
  });
});
