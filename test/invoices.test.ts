import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { startHarness, type Harness } from './helpers/harness.js';

let h: Harness;
let shop: { id: string; testKey: string; liveKey: string };

beforeAll(async () => {
  h = await startHarness();
  shop = await h.createTenant('Invoice shop');
});
afterAll(() => h?.close());

const createInvoice = (body: Record<string, unknown>, key = shop.testKey, headers?: Record<string, string>) =>
  h.client.post('/v1/invoices', { auth: key, body, ...(headers ? { headers } : {}) });

const eventsOf = async (invoiceId: string) =>
  (await h.core.db('events').where({ invoice_id: invoiceId }).orderBy('id')).map((e: { type: string }) => e.type);

describe('POST /v1/invoices', () => {
  it('creates a pending sandbox invoice with a pay_url and echoes what was sent', async () => {
    const res = await createInvoice({
      amount: '9.99',
      currency: 'USD',
      accepted_assets: ['USDT', 'TON'],
      description: 'Premium plan, 1 month',
      external_id: 'order-1',
      expires_in: 900,
      metadata: { order: 1, plan: 'premium' },
      customer: { telegram_user_id: 123456789, email: 'buyer@example.com' },
      return_url: 'https://shop.example/thanks',
    });
    expect(res.status).toBe(201);
    const inv = res.body;
    expect(inv).toMatchObject({
      object: 'invoice',
      livemode: false,
      status: 'pending',
      amount: '9.99',
      currency: 'USD',
      accepted_assets: ['USDT', 'TON'],
      description: 'Premium plan, 1 month',
      external_id: 'order-1',
      metadata: { order: 1, plan: 'premium' },
      customer: { telegram_user_id: 123456789, email: 'buyer@example.com' },
      return_url: 'https://shop.example/thanks',
      fail_return_url: null,
      paid: null,
      gateway: { connector: 'sandbox' },
    });
    expect(inv.id).toMatch(/^inv_[0-9A-Z]{26}$/);
    // The sandbox has no page of its own: the buyer pays (with test buttons) on the hosted checkout.
    expect(inv.checkout_url).toMatch(/^http:\/\/switchyard\.test\/checkout\/[A-Za-z0-9_-]{32}$/);
    expect(inv.pay_url).toBe(inv.checkout_url);
    expect(inv.gateway_selection).toBe('auto');
    expect(inv.gateway.attempts).toEqual([
      {
        account_id: inv.gateway.account_id,
        connector: 'sandbox',
        outcome: 'succeeded',
        code: null,
        duration_ms: expect.any(Number),
        selected_by: 'routing',
        attempted_at: expect.any(String),
      },
    ]);
    const lifetime = Date.parse(inv.expires_at) - Date.parse(inv.created_at);
    expect(lifetime).toBeGreaterThan(899_000);
    expect(lifetime).toBeLessThan(901_000);
  });

  it('writes the invoice.created event in the outbox with the invoice snapshot', async () => {
    const res = await createInvoice({ amount: '5', currency: 'TON' });
    const events = await h.core.db('events').where({ invoice_id: res.body.id });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'invoice.created', tenant_id: shop.id, livemode: false });
    expect(events[0].data).toMatchObject({ id: res.body.id, status: 'pending', amount: '5' });
  });

  it('defaults expires_in to one hour and keeps crypto amounts exact', async () => {
    const res = await createInvoice({ amount: '0.000000001', currency: 'TON' });
    expect(res.status).toBe(201);
    expect(res.body.amount).toBe('0.000000001');
    const lifetime = Date.parse(res.body.expires_at) - Date.parse(res.body.created_at);
    expect(Math.round(lifetime / 1000)).toBe(3600);
  });

  it('answers 409 duplicate_external_id with the existing invoice id, and creates nothing', async () => {
    const first = await createInvoice({ amount: '1', currency: 'USD', external_id: 'dup-1' });
    const again = await createInvoice({ amount: '2', currency: 'USD', external_id: 'dup-1' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'duplicate_external_id', invoice_id: first.body.id });
    expect(await h.core.db('invoices').where({ external_id: 'dup-1' }).count('* as n')).toEqual([{ n: '1' }]);
  });

  it('keeps external_id unique under concurrent creates', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => createInvoice({ amount: '1', currency: 'USD', external_id: 'race-1' })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(4);
    const winner = results.find((r) => r.status === 201)!.body.id;
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.invoice_id).toBe(winner);
  });

  it('external_id is scoped to the tenant: another tenant may reuse it', async () => {
    const other = await h.createTenant('Other');
    await createInvoice({ amount: '1', currency: 'USD', external_id: 'shared-ext' });
    const res = await createInvoice({ amount: '1', currency: 'USD', external_id: 'shared-ext' }, other.testKey);
    expect(res.status).toBe(201);
  });

  it('a live key has no gateway yet: 422 no_gateway_available, nothing created', async () => {
    const before = await h.core.db('invoices').count('* as n');
    const res = await createInvoice({ amount: '1', currency: 'USD' }, shop.liveKey);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('no_gateway_available');
    expect(res.body.rejected).toEqual([]);
    expect(res.body.detail).toContain('no gateway account is connected in live mode yet (connect one with POST /v1/gateway-accounts');
    expect(await h.core.db('invoices').count('* as n')).toEqual(before);
  });

  it('forcing a connector the tenant has not connected is 422 no_gateway_available', async () => {
    const res = await createInvoice({ amount: '1', currency: 'USD', gateway_account_id: 'ga_01ARZ3NDEKTSV4RRFFQ69G5FAV' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('no_gateway_available');
    expect(res.body.rejected).toEqual([]);
    expect(res.body.detail).toContain('gateway account ga_01ARZ3NDEKTSV4RRFFQ69G5FAV is not an enabled test-mode account of yours');
  });

  it('with nothing in rejected, no_gateway_available says why: a connector that takes live keys only, one not connected', async () => {
    const live = await createInvoice({ amount: '10', currency: 'USDT', gateway: 'paystablecoin' });
    expect(live.status).toBe(422);
    expect(live.body).toMatchObject({ code: 'no_gateway_available', rejected: [] });
    expect(live.body.detail).toBe('No gateway account can take this invoice: paystablecoin takes live keys only, and this is a test key');
    const absent = await createInvoice({ amount: '10', currency: 'USD', gateway: 'cryptopay' });
    expect(absent.body).toMatchObject({ code: 'no_gateway_available', rejected: [] });
    expect(absent.body.detail).toContain('no enabled cryptopay account is connected in test mode');
  });

  describe('bad input gets 4xx problem+json and changes nothing', () => {
    const cases: Array<[string, unknown, string]> = [
      ['missing amount', { currency: 'USD' }, '/body/amount'],
      ['missing currency', { amount: '1' }, '/body/currency'],
      ['amount as a JSON number', { amount: 9.99, currency: 'USD' }, '/body/amount'],
      ['negative amount', { amount: '-1', currency: 'USD' }, '/body/amount'],
      ['zero amount', { amount: '0', currency: 'USD' }, '/body/amount'],
      ['exponent amount', { amount: '1e3', currency: 'USD' }, '/body/amount'],
      ['too many decimals for USD', { amount: '1.001', currency: 'USD' }, '/body/amount'],
      ['decimals for JPY', { amount: '100.5', currency: 'JPY' }, '/body/amount'],
      ['too many decimals for BTC', { amount: '0.000000001', currency: 'BTC' }, '/body/amount'],
      ['unknown currency', { amount: '1', currency: 'ZZZ' }, '/body/currency'],
      ['lower-case currency', { amount: '1', currency: 'usd' }, '/body/currency'],
      ['accepted_assets on a crypto invoice', { amount: '1', currency: 'TON', accepted_assets: ['USDT'] }, '/body/accepted_assets'],
      ['a fiat accepted asset', { amount: '1', currency: 'USD', accepted_assets: ['EUR'] }, '/body/accepted_assets/0'],
      ['expires_in too short', { amount: '1', currency: 'USD', expires_in: 59 }, '/body/expires_in'],
      ['expires_in too long', { amount: '1', currency: 'USD', expires_in: 2678401 }, '/body/expires_in'],
      ['description too long', { amount: '1', currency: 'USD', description: 'x'.repeat(1025) }, '/body/description'],
      ['external_id too long', { amount: '1', currency: 'USD', external_id: 'x'.repeat(256) }, '/body/external_id'],
      ['metadata over 4 KiB', { amount: '1', currency: 'USD', metadata: { blob: 'x'.repeat(4100) } }, '/body/metadata'],
      ['metadata not an object', { amount: '1', currency: 'USD', metadata: 'x' }, '/body/metadata'],
      ['relative return_url', { amount: '1', currency: 'USD', return_url: '/thanks' }, '/body/return_url'],
      ['non-http return_url', { amount: '1', currency: 'USD', return_url: 'javascript:alert(1)' }, '/body/return_url'],
      ['a return_url WHATWG URL cannot parse', { amount: '1', currency: 'USD', return_url: 'http://256.256.256.256/thanks' }, '/body/return_url'],
      ['a fail_return_url WHATWG URL cannot parse', { amount: '1', currency: 'USD', fail_return_url: 'http://999999999999/failed' }, '/body/fail_return_url'],
      ['unknown field', { amount: '1', currency: 'USD', colour: 'red' }, '/body/colour'],
      ['unknown connector', { amount: '1', currency: 'USD', gateway: 'paypal' }, '/body/gateway'],
      ['bad customer email', { amount: '1', currency: 'USD', customer: { email: 'not-an-email' } }, '/body/customer/email'],
      ['telegram id as a string', { amount: '1', currency: 'USD', customer: { telegram_user_id: 'abc' } }, '/body/customer/telegram_user_id'],
    ];
    it.each(cases)('%s → 422 validation_failed naming the field', async (_name, body, field) => {
      const before = await h.core.db('invoices').count('* as n');
      const res = await createInvoice(body as Record<string, unknown>);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await h.core.db('invoices').count('* as n')).toEqual(before);
    });

    it.each([
      ['a string', { amount: '1', currency: 'USD', description: 'bad\u0000byte' }, '/body/description'],
      ['a nested value', { amount: '1', currency: 'USD', metadata: { list: ['ok', 'x\u0000'] } }, '/body/metadata/list/1'],
      ['an object key', { amount: '1', currency: 'USD', metadata: { 'k\u0000': 1 } }, '/body/metadata/k'],
    ])('a NUL character in %s → 422 naming where, never a 500', async (_what, body, field) => {
      const res = await createInvoice(body);
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field, code: 'nul_character' })]);
    });

    it.each([
      ['a metadata value', '{"amount":"1","currency":"USD","metadata":{"note":"a\\ud800b"}}', '/body/metadata/note'],
      ['a metadata key', '{"amount":"1","currency":"USD","metadata":{"\\udc00":"x"}}', '/body/metadata/\ufffd'],
      ['a nested customer field', '{"amount":"1","currency":"USD","customer":{"email":"a@b.co","name":"\\udbff"}}', '/body/customer/name'],
      ['a text field', '{"amount":"1","currency":"USD","description":"x\\udfffy"}', '/body/description'],
    ])('an unpaired surrogate in %s → 422 naming where (PostgreSQL cannot store it), nothing stored', async (_what, raw, field) => {
      const before = await h.core.db('invoices').count('* as n');
      const res = await h.client.post('/v1/invoices', { auth: shop.testKey, raw });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field, code: 'unpaired_surrogate' })]);
      expect(await h.core.db('invoices').count('* as n')).toEqual(before);
    });

    it('a well-formed surrogate pair (an emoji) is stored as sent', async () => {
      const res = await h.client.post('/v1/invoices', { auth: shop.testKey, raw: '{"amount":"1","currency":"USD","metadata":{"\\ud83d\\ude00":"\\ud83d\\ude00"}}' });
      expect(res.status).toBe(201);
      expect(res.body.metadata).toEqual({ '😀': '😀' });
    });

    it('metadata nested past the depth limit → 422 naming the limit; nested within it is fine', async () => {
      const nested = (depth: number) => `{"amount":"1","currency":"USD","metadata":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
      const deep = await h.client.post('/v1/invoices', { auth: shop.testKey, raw: nested(5000) });
      expect(deep.status).toBe(422);
      expect(deep.body.errors).toEqual([{ field: '/body', message: 'must not nest objects and arrays deeper than 64 levels', code: 'too_deep' }]);
      expect((await h.client.post('/v1/invoices', { auth: shop.testKey, raw: nested(60) })).status).toBe(201);
    });

    it('a NUL character in the query → 422', async () => {
      const res = await h.client.get('/v1/invoices?external_id=a%00b', { auth: shop.testKey });
      expect(res.status).toBe(422);
      expect(res.body.errors[0].field).toBe('/query/external_id');
    });

    it('malformed JSON → 400 malformed_json', async () => {
      const res = await h.client.post('/v1/invoices', { auth: shop.testKey, raw: '{"amount": "1",' });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('malformed_json');
    });

    it('a JSON array body → 422', async () => {
      const res = await h.client.post('/v1/invoices', { auth: shop.testKey, raw: '[1,2]' });
      expect(res.status).toBe(422);
    });

    it('no body at all → 422 naming the body', async () => {
      const res = await h.client.post('/v1/invoices', { auth: shop.testKey });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('validation_failed');
    });

    it('form-encoded body → 415 unsupported_media_type', async () => {
      const res = await h.client.post('/v1/invoices', { auth: shop.testKey, raw: 'amount=1&currency=USD', contentType: 'application/x-www-form-urlencoded' });
      expect(res.status).toBe(415);
      expect(res.body.code).toBe('unsupported_media_type');
    });

    it('a body over the limit → 413 payload_too_large', async () => {
      const res = await h.client.post('/v1/invoices', { auth: shop.testKey, raw: JSON.stringify({ amount: '1', currency: 'USD', description: 'x'.repeat(300_000) }) });
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('payload_too_large');
    });

    it('invalid UTF-8 / binary garbage → 4xx, never 5xx', async () => {
      const res = await h.client.post('/v1/invoices', { auth: shop.testKey, raw: Buffer.from([0xff, 0xfe, 0x00, 0x7b]) });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    });
  });
});

describe('GET /v1/invoices and /v1/invoices/{id}', () => {
  it('gets one invoice by id', async () => {
    const created = await createInvoice({ amount: '3.50', currency: 'EUR' });
    const res = await h.client.get(`/v1/invoices/${created.body.id}`, { auth: shop.testKey });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created.body);
  });

  it('an unknown id is 404, and so is an id of the wrong shape (saying what an invoice id looks like)', async () => {
    expect((await h.client.get('/v1/invoices/inv_01ARZ3NDEKTSV4RRFFQ69G5FAV', { auth: shop.testKey })).status).toBe(404);
    for (const id of ['not-an-id', 'inv_short', 'ga_01JWRF867835BD1EWQACN7ENYP']) {
      const bad = await h.client.get(`/v1/invoices/${id}`, { auth: shop.testKey });
      expect(bad.status).toBe(404);
      expect(bad.body.code).toBe('not_found');
      expect(bad.body.detail).toBe(`Nothing found for id "${id}" (expected: an invoice id, inv_ followed by 26 characters)`);
    }
    // Still authentication first: without a key it is 401 whatever the id.
    expect((await h.client.get('/v1/invoices/not-an-id')).status).toBe(401);
  });

  it('lists newest first with cursor pagination and no gaps or repeats', async () => {
    const tenant = await h.createTenant('Pager');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await createInvoice({ amount: `${i + 1}`, currency: 'USD' }, tenant.testKey)).body.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const res = await h.client.get(`/v1/invoices?limit=3${cursor ? `&starting_after=${cursor}` : ''}`, { auth: tenant.testKey });
      expect(res.status).toBe(200);
      expect(res.body.object).toBe('list');
      seen.push(...res.body.data.map((i: { id: string }) => i.id));
      if (!res.body.has_more) break;
      cursor = res.body.data.at(-1).id;
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it('filters by status and external_id', async () => {
    const tenant = await h.createTenant('Filters');
    const a = await createInvoice({ amount: '1', currency: 'USD', external_id: 'f-a' }, tenant.testKey);
    await createInvoice({ amount: '1', currency: 'USD', external_id: 'f-b' }, tenant.testKey);
    await h.client.post(`/v1/invoices/${a.body.id}/cancel`, { auth: tenant.testKey });
    const cancelled = await h.client.get('/v1/invoices?status=cancelled', { auth: tenant.testKey });
    expect(cancelled.body.data.map((i: { id: string }) => i.id)).toEqual([a.body.id]);
    const byExt = await h.client.get('/v1/invoices?external_id=f-b', { auth: tenant.testKey });
    expect(byExt.body.data.map((i: { external_id: string }) => i.external_id)).toEqual(['f-b']);
  });

  it.each([['limit=0'], ['limit=101'], ['limit=abc'], ['status=unpaid']])('rejects ?%s with 422', async (q) => {
    const res = await h.client.get(`/v1/invoices?${q}`, { auth: shop.testKey });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('validation_failed');
  });
});

describe('cancel, sync and simulate', () => {
  it('cancels a pending invoice once; a second cancel is 409 invoice_not_cancellable', async () => {
    const inv = await createInvoice({ amount: '1', currency: 'USD' });
    const res = await h.client.post(`/v1/invoices/${inv.body.id}/cancel`, { auth: shop.testKey });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    const again = await h.client.post(`/v1/invoices/${inv.body.id}/cancel`, { auth: shop.testKey });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('invoice_not_cancellable');
    expect(await eventsOf(inv.body.id)).toEqual(['invoice.created', 'invoice.cancelled']);
    // The sandbox upstream was told too.
    const upstream = await h.core.db('sandbox_invoices').where({ upstream_id: inv.body.gateway.upstream_id }).first();
    expect(upstream.status).toBe('cancelled');
  });

  it('simulate paid records the payment and the invoice.paid event', async () => {
    const inv = await createInvoice({ amount: '12.34', currency: 'USD' });
    const res = await h.client.post(`/v1/invoices/${inv.body.id}/simulate`, { auth: shop.testKey, body: { status: 'paid' } });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('paid');
    expect(res.body.paid).toMatchObject({ amount: '12.34', currency: 'USD', paid_at: expect.any(String) });
    expect(await eventsOf(inv.body.id)).toEqual(['invoice.created', 'invoice.paid']);
  });

  it('an underpayment is recorded as paid with the amount actually paid, not hidden', async () => {
    const inv = await createInvoice({ amount: '10.00', currency: 'USD' });
    const res = await h.client.post(`/v1/invoices/${inv.body.id}/simulate`, { auth: shop.testKey, body: { status: 'paid', paid_amount: '9.50' } });
    expect(res.body.paid).toMatchObject({ amount: '9.50', exception: 'underpaid' });
    const event = await h.core.db('events').where({ invoice_id: inv.body.id, type: 'invoice.paid' }).first();
    expect(event.data.paid).toMatchObject({ amount: '9.50', exception: 'underpaid' });
  });

  it('paid.exception compares amounts as decimals: equal is null, more is overpaid', async () => {
    const exact = await createInvoice({ amount: '10.00', currency: 'USD' });
    const same = await h.client.post(`/v1/invoices/${exact.body.id}/simulate`, { auth: shop.testKey, body: { status: 'paid', paid_amount: '10' } });
    expect(same.body.paid).toMatchObject({ amount: '10', exception: null });
    const over = await createInvoice({ amount: '10.00', currency: 'USD' });
    const more = await h.client.post(`/v1/invoices/${over.body.id}/simulate`, { auth: shop.testKey, body: { status: 'paid', paid_amount: '10.01' } });
    expect(more.body.paid).toMatchObject({ amount: '10.01', exception: 'overpaid' });
  });

  it('processing then paid; a paid invoice never moves back', async () => {
    const inv = await createInvoice({ amount: '1', currency: 'BTC' });
    const path = `/v1/invoices/${inv.body.id}/simulate`;
    expect((await h.client.post(path, { auth: shop.testKey, body: { status: 'processing' } })).body.status).toBe('processing');
    expect((await h.client.post(path, { auth: shop.testKey, body: { status: 'paid' } })).body.status).toBe('paid');
    for (const status of ['expired', 'failed', 'processing', 'paid']) {
      const res = await h.client.post(path, { auth: shop.testKey, body: { status } });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('invalid_transition');
    }
    const cancel = await h.client.post(`/v1/invoices/${inv.body.id}/cancel`, { auth: shop.testKey });
    expect(cancel.status).toBe(409);
    expect(await eventsOf(inv.body.id)).toEqual(['invoice.created', 'invoice.processing', 'invoice.paid']);
  });

  it('simulate rejects bad bodies', async () => {
    const inv = await createInvoice({ amount: '1', currency: 'USD' });
    const path = `/v1/invoices/${inv.body.id}/simulate`;
    expect((await h.client.post(path, { auth: shop.testKey, body: { status: 'cancelled' } })).status).toBe(422);
    expect((await h.client.post(path, { auth: shop.testKey, body: {} })).status).toBe(422);
    const badAmount = await h.client.post(path, { auth: shop.testKey, body: { status: 'paid', paid_amount: '1.001' } });
    expect(badAmount.status).toBe(422);
    expect(badAmount.body.errors[0].field).toBe('/body/paid_amount');
    const amountWithoutPaid = await h.client.post(path, { auth: shop.testKey, body: { status: 'failed', paid_amount: '1' } });
    expect(amountWithoutPaid.status).toBe(422);
    expect((await h.client.get(`/v1/invoices/${inv.body.id}`, { auth: shop.testKey })).body.status).toBe('pending');
  });

  it('simulate with a live key is 403 forbidden', async () => {
    const res = await h.client.post('/v1/invoices/inv_01ARZ3NDEKTSV4RRFFQ69G5FAV/simulate', { auth: shop.liveKey, body: { status: 'paid' } });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
  });

  it('sync asks the upstream and applies what it says, only forward', async () => {
    const inv = await createInvoice({ amount: '1', currency: 'USD' });
    // The sandbox upstream sees a payment that our webhook never told us about.
    await h.core.db('sandbox_invoices').where({ upstream_id: inv.body.gateway.upstream_id }).update({ status: 'paid', paid_amount: '1', paid_at: new Date() });
    const res = await h.client.post(`/v1/invoices/${inv.body.id}/sync`, { auth: shop.testKey });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('paid');
    expect(res.body.paid.amount).toBe('1');
    const again = await h.client.post(`/v1/invoices/${inv.body.id}/sync`, { auth: shop.testKey });
    expect(again.body.status).toBe('paid');
    expect(await eventsOf(inv.body.id)).toEqual(['invoice.created', 'invoice.paid']);
  });
});

describe('upstream answers that say nothing new', () => {
  it('leave the invoice row and its updated_at alone (a reconciliation pass, a redelivered webhook)', async () => {
    const inv = (await createInvoice({ amount: '2.00', currency: 'USD' })).body as { id: string };
    const rowOf = async () => (await h.core.db('invoices').where({ id: inv.id }).first()) as { updated_at: Date; upstream_data: Record<string, unknown> | null };
    const before = await rowOf();
    const same = { status: 'pending' as const, paid: null, raw: { ...(before.upstream_data ?? {}) } };
    await h.core.invoices.applyUpstreamUpdate(inv.id, same);
    await h.core.invoices.applyUpstreamUpdate(inv.id, { ...same, status: 'unknown' });
    await h.core.invoices.applyUpstreamUpdate(inv.id, { ...same, raw: {} });
    const after = await rowOf();
    expect(after.updated_at).toEqual(before.updated_at);
    expect(after.upstream_data).toEqual(before.upstream_data);
    expect(await eventsOf(inv.id)).toEqual(['invoice.created']);

    // Something new is kept, and then updated_at moves.
    await h.core.invoices.applyUpstreamUpdate(inv.id, { ...same, raw: { note: 'seen' } });
    const changed = await rowOf();
    expect(changed.upstream_data).toMatchObject({ note: 'seen' });
    expect(changed.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
  });
});

describe('isolation', () => {
  it('tenant B gets 404 for tenant A’s invoice on every invoice endpoint', async () => {
    const b = await h.createTenant('Tenant B');
    const inv = await createInvoice({ amount: '1', currency: 'USD' });
    const id = inv.body.id;
    const answers = [
      await h.client.get(`/v1/invoices/${id}`, { auth: b.testKey }),
      await h.client.post(`/v1/invoices/${id}/cancel`, { auth: b.testKey }),
      await h.client.post(`/v1/invoices/${id}/sync`, { auth: b.testKey }),
      await h.client.post(`/v1/invoices/${id}/simulate`, { auth: b.testKey, body: { status: 'paid' } }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
    const list = await h.client.get('/v1/invoices', { auth: b.testKey });
    expect(list.body.data.map((i: { id: string }) => i.id)).not.toContain(id);
    expect((await h.client.get(`/v1/invoices/${id}`, { auth: shop.testKey })).body.status).toBe('pending');
  });

  it('live keys never see test objects', async () => {
    const inv = await createInvoice({ amount: '1', currency: 'USD' });
    expect((await h.client.get(`/v1/invoices/${inv.body.id}`, { auth: shop.liveKey })).status).toBe(404);
    expect((await h.client.post(`/v1/invoices/${inv.body.id}/cancel`, { auth: shop.liveKey })).status).toBe(404);
    const list = await h.client.get('/v1/invoices', { auth: shop.liveKey });
    expect(list.body.data).toEqual([]);
  });
});

describe('metrics', () => {
  it('counts created invoices by connector and status', async () => {
    await createInvoice({ amount: '1', currency: 'USD' });
    const res = await supertest(h.app).get('/metrics');
    expect(res.text).toMatch(/switchyard_invoices_created_total\{connector="sandbox",status="pending"\} \d+/);
    expect(res.text).toMatch(/route="\/v1\/invoices",status="201"/);
  });
});

describe('sandbox checkout page (old address)', () => {
  it('redirects to the hosted checkout page of its invoice', async () => {
    const inv = await createInvoice({ amount: '4.20', currency: 'USD' });
    const row = await h.core.db('invoices').where({ id: inv.body.id }).first();
    const res = await h.client.get(`/sandbox/pay/${row.upstream_id}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(new URL(inv.body.checkout_url).pathname);
  });

  it('an unknown sandbox id is 404, and so is a malformed one', async () => {
    expect((await h.client.get(`/sandbox/pay/sbx_${'0'.repeat(24)}`)).status).toBe(404);
    expect((await h.client.get('/sandbox/pay/nope')).status).toBe(404);
  });

  it.each(['%ff', '%zz', '%C0%AE', '%E0%A4%A', 'sbx_%ED%A0%80'])('a sandbox id with broken percent-encoding (%s) is 404 problem+json, never a 500', async (id) => {
    const res = await h.client.get(`/sandbox/pay/${id}`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });
});
