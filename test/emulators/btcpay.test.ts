import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { btcPaySignature, startBtcPayEmulator, type BtcPayEmulator, type BtcPayEventType } from './btcpay/index.js';
import { btcPayVector } from '../vectors/index.js';

/** Independent of the emulator: BTCPay's signing written out with node:crypto. */
const sig = (secret: string, body: Buffer | string) => `sha256=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('hex')}`;

const { secret: VECTOR_SECRET, signature: VECTOR_SIG, body: VECTOR_BODY } = btcPayVector;

const COMMON_KEYS = ['deliveryId', 'webhookId', 'originalDeliveryId', 'isRedelivery', 'type', 'timestamp', 'storeId', 'invoiceId', 'metadata'];
const EXTRA_KEYS: Record<BtcPayEventType, string[]> = {
  InvoiceCreated: [],
  InvoiceReceivedPayment: ['afterExpiration', 'paymentMethodId', 'payment'],
  InvoicePaymentSettled: ['afterExpiration', 'paymentMethodId', 'payment'],
  InvoiceProcessing: ['overPaid'],
  InvoiceExpired: ['partiallyPaid'],
  InvoiceSettled: ['manuallyMarked', 'overPaid'],
  InvoiceInvalid: ['manuallyMarked'],
  InvoicePaidAfterExpiration: [],
  InvoiceExpiredPaidPartial: [],
};

let emu: BtcPayEmulator;

/** A webhook receiver keeping every request's exact bytes and headers; answers `status` (default 200). */
interface Hit {
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json: Record<string, unknown>;
}
const receiver = { url: '', hits: [] as Hit[], status: 200, close: (): void => undefined };

beforeAll(async () => {
  emu = await startBtcPayEmulator();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        // tampered or raw bodies may not be JSON
      }
      receiver.hits.push({ headers: req.headers, body, json });
      res.writeHead(receiver.status, { 'content-type': 'text/plain' }).end('OK');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/btcpay-hook`;
  receiver.close = () => server.close();
});
afterAll(async () => {
  await emu?.stop();
  receiver.close();
});
beforeEach(() => {
  receiver.hits = [];
  receiver.status = 200;
  emu.webhookUrl = receiver.url;
  emu.options.legacyPaymentMethodIds = false;
  emu.options.enabledPaymentMethods = ['BTC-CHAIN', 'BTC-LN'];
});

type Json = Record<string, unknown> & Array<Record<string, unknown>>;

async function api(
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  opts: { body?: unknown; raw?: string; key?: string | null; authorization?: string } = {},
): Promise<{ status: number; text: string; json: Json }> {
  const headers: Record<string, string> = {};
  if (opts.authorization !== undefined) headers.authorization = opts.authorization;
  else if (opts.key !== null) headers.authorization = `token ${opts.key ?? emu.apiKey}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${emu.serverUrl}/api/v1${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    // empty or non-JSON answers
  }
  return { status: res.status, text, json: json as Json };
}

const invoicesPath = () => `/stores/${emu.storeId}/invoices`;

async function create(body: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const res = await api('POST', invoicesPath(), { body: { amount: '5.00', currency: 'USD', ...body } });
  expect(res.status).toBe(200);
  return res.json;
}

/** Every delivery the receiver got must be signed over its exact bytes and indented Newtonsoft-style. */
function checkWire(hit: Hit): void {
  expect(hit.headers['content-type']).toBe('application/json');
  expect(hit.headers['btcpay-sig']).toBe(sig(emu.webhookSecret, hit.body));
  expect(hit.body.toString('utf8')).toBe(JSON.stringify(JSON.parse(hit.body.toString('utf8')), null, 2));
  expect(hit.body.at(-1)).toBe('}'.charCodeAt(0)); // no trailing newline
}

function checkKeys(hit: Hit): void {
  const type = hit.json.type as BtcPayEventType;
  expect(Object.keys(hit.json)).toEqual([...EXTRA_KEYS[type], ...COMMON_KEYS]);
}

const types = () => receiver.hits.map((h) => h.json.type);

describe('BTCPay emulator: authentication and permissions', () => {
  it('accepts `token <apiKey>` and records the request relative to /api/v1', async () => {
    const before = emu.requests.length;
    const res = await api('GET', invoicesPath());
    expect(res.status).toBe(200);
    expect(Array.isArray(res.json)).toBe(true);
    const rec = emu.requests.slice(before)[0]!;
    expect(rec).toMatchObject({ method: 'GET', path: invoicesPath(), status: 200 });
    expect(rec.headers.authorization).toBe(`token ${emu.apiKey}`);
  });

  it.each([
    ['no Authorization header', { key: null }],
    ['an unknown key', { key: 'ffffffffffffffffffffffffffffffffffffffff' }],
    ['a Bearer scheme', { authorization: `Bearer ${'x'.repeat(40)}` }],
  ])('refuses %s with 401 unauthenticated', async (_name, opts) => {
    const before = emu.requests.length;
    const res = await api('GET', invoicesPath(), opts);
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ code: 'unauthenticated', message: 'Authentication is required for accessing this endpoint' });
    expect(emu.requests.slice(before)[0]!.status).toBe(401);
  });

  it('a view-only key may read but gets 403 missing-permission when creating', async () => {
    const key = emu.addApiKey(['btcpay.store.canviewinvoices']);
    expect((await api('GET', invoicesPath(), { key })).status).toBe(200);
    const res = await api('POST', invoicesPath(), { key, body: { amount: '1.00' } });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({
      code: 'missing-permission',
      message:
        'Insufficient API Permissions. Please use an API key with permission "btcpay.store.cancreateinvoice". You can create an API key in your account\'s settings / Api Keys.',
      missingPermission: 'btcpay.store.cancreateinvoice',
    });
  });

  it('a create-only key cannot view', async () => {
    const key = emu.addApiKey(['btcpay.store.cancreateinvoice']);
    const created = await api('POST', invoicesPath(), { key, body: { amount: '1.00' } });
    expect(created.status).toBe(200);
    const res = await api('GET', `/invoices/${created.json.id as string}`, { key });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ code: 'missing-permission', missingPermission: 'btcpay.store.canviewinvoices' });
  });

  it('a key scoped to another store gets 403; scoped to this store it works', async () => {
    const other = emu.addApiKey(['btcpay.store.canviewinvoices:SomeOtherStore111111111111111111111111111111']);
    const res = await api('GET', invoicesPath(), { key: other });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ code: 'missing-permission', missingPermission: 'btcpay.store.canviewinvoices' });
    const mine = emu.addApiKey([`btcpay.store.canviewinvoices:${emu.storeId}`, `btcpay.store.cancreateinvoice:${emu.storeId}`]);
    expect((await api('GET', invoicesPath(), { key: mine })).status).toBe(200);
    expect((await api('POST', invoicesPath(), { key: mine, body: { amount: 1 } })).status).toBe(200);
  });

  it('canmodifyinvoices covers view and create (BTCPay permission hierarchy)', async () => {
    const key = emu.addApiKey(['btcpay.store.canmodifyinvoices']);
    const created = await api('POST', invoicesPath(), { key, body: { amount: '2' } });
    expect(created.status).toBe(200);
    expect((await api('GET', `${invoicesPath()}/${created.json.id as string}`, { key })).status).toBe(200);
  });

  it('an unknown store answers 403 even to the full key', async () => {
    const res = await api('GET', '/stores/NoSuchStore/invoices');
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ code: 'missing-permission', missingPermission: 'btcpay.store.canviewinvoices' });
  });
});

describe('BTCPay emulator: creating invoices', () => {
  it('keeps a string amount as sent and fills the InvoiceData fields', async () => {
    const before = Math.floor(Date.now() / 1000);
    const inv = await create({ amount: '5.00', metadata: { orderId: 'ord-1', itemDesc: 'Widget' }, checkout: { redirectURL: 'https://shop.example/thanks' } });
    expect(inv).toMatchObject({
      id: expect.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{22}$/),
      storeId: emu.storeId,
      amount: '5.00',
      paidAmount: '0',
      currency: 'USD',
      type: 'Standard',
      status: 'New',
      additionalStatus: 'None',
      availableStatusesForManualMarking: ['Settled', 'Invalid'],
      archived: false,
      metadata: { orderId: 'ord-1', itemDesc: 'Widget' },
      checkout: { expirationMinutes: 15, monitoringMinutes: 1440, paymentMethods: ['BTC-CHAIN', 'BTC-LN'], redirectURL: 'https://shop.example/thanks' },
      receipt: expect.any(Object),
    });
    expect(inv.checkoutLink).toBe(`${emu.serverUrl}/i/${inv.id as string}`);
    expect(inv.createdTime).toBeGreaterThanOrEqual(before);
    expect(inv.expirationTime).toBe((inv.createdTime as number) + 15 * 60);
    expect(inv.monitoringExpiration).toBe((inv.expirationTime as number) + 1440 * 60);
    expect(inv).not.toHaveProperty('paymentMethods');
    expect(emu.invoices.get(inv.id as string)).toMatchObject({ amount: '5.00', status: 'New' });
    // the checkout link is served
    expect((await fetch(inv.checkoutLink as string)).status).toBe(200);
  });

  it('takes a JSON number amount and integer expiration/monitoring minutes', async () => {
    const inv = await create({ amount: 5, currency: 'eur', checkout: { expirationMinutes: 30, monitoringMinutes: 60 } });
    expect(inv).toMatchObject({ amount: '5', currency: 'EUR', checkout: { expirationMinutes: 30, monitoringMinutes: 60 } });
    expect(inv.expirationTime).toBe((inv.createdTime as number) + 1800);
    expect((await create({ amount: 12.5 })).amount).toBe('12.5');
  });

  it.each([
    ['a negative amount', { amount: '-1.00' }, 'amount'],
    ['a negative number amount', { amount: -3 }, 'amount'],
    ['a non-numeric amount', { amount: 'five' }, 'amount'],
    ['no amount (TopUp is not emulated)', { amount: null }, 'amount'],
    ['a float expirationMinutes', { checkout: { expirationMinutes: 1.5 } }, 'checkout.expirationMinutes'],
    ['a float monitoringMinutes', { checkout: { monitoringMinutes: 0.25 } }, 'checkout.monitoringMinutes'],
    ['an expiration under 30 seconds', { checkout: { expirationMinutes: 0 } }, 'checkout.expirationMinutes'],
    ['an unknown payment method', { checkout: { paymentMethods: ['BTC-CHAIN', 'DOGE-CHAIN'] } }, 'checkout.paymentMethods[1]'],
    ['a paymentTolerance over 100', { checkout: { paymentTolerance: 101 } }, 'checkout.paymentTolerance'],
  ])('refuses %s with 422 and a validation array', async (_name, body, path) => {
    const res = await api('POST', invoicesPath(), { body: { amount: '5.00', ...body } });
    expect(res.status).toBe(422);
    expect(Array.isArray(res.json)).toBe(true);
    expect(res.json).toContainEqual({ path, message: expect.any(String) });
  });

  it('the bad payment method message is "Invalid PaymentMethodId"', async () => {
    const res = await api('POST', invoicesPath(), { body: { amount: '1', checkout: { paymentMethods: ['XMR'] } } });
    expect(res.json).toEqual([{ path: 'checkout.paymentMethods[0]', message: 'Invalid PaymentMethodId' }]);
  });

  it('accepts the legacy 1.x payment method names and echoes canonical ids', async () => {
    for (const [asked, offered] of [
      [['BTC', 'BTC-LightningNetwork'], ['BTC-CHAIN', 'BTC-LN']],
      [['BTC-LightningLike'], ['BTC-LN']],
      [['BTC-OffChain', 'BTC-CHAIN'], ['BTC-LN', 'BTC-CHAIN']],
      [['BTC-LNURLPAY', 'BTC'], ['BTC-CHAIN']], // LNURL is not enabled in the store: not offered
    ] as const) {
      const inv = await create({ checkout: { paymentMethods: asked } });
      expect((inv.checkout as { paymentMethods: string[] }).paymentMethods).toEqual(offered);
    }
  });

  it('offers only the store-enabled methods; none left still creates the invoice', async () => {
    emu.options.enabledPaymentMethods = ['BTC-CHAIN'];
    expect(((await create()).checkout as { paymentMethods: string[] }).paymentMethods).toEqual(['BTC-CHAIN']);
    const inv = await create({ checkout: { paymentMethods: ['BTC-LN'] } });
    expect((inv.checkout as { paymentMethods: string[] }).paymentMethods).toEqual([]);
    expect((await api('GET', `/invoices/${inv.id as string}/payment-methods`)).json).toEqual([]);
  });

  it('answers 400 invalid-json to a body that is not JSON, 413 over 1 MiB', async () => {
    const bad = await api('POST', invoicesPath(), { raw: '{"amount": ' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 'invalid-json' });
    const before = emu.requests.length;
    const big = await api('POST', invoicesPath(), { raw: JSON.stringify({ amount: '1', metadata: { pad: 'x'.repeat(1024 * 1024) } }) }).catch(() => null);
    if (big) expect(big.status).toBe(413); // the emulator may answer before the upload ends
    expect(emu.requests[before]!.status).toBe(413);
  });
});

describe('BTCPay emulator: reading invoices', () => {
  it('gets an invoice by both route forms; includePaymentMethods adds paymentMethods', async () => {
    const inv = await create({ amount: '7.00' });
    const id = inv.id as string;
    const nested = await api('GET', `${invoicesPath()}/${id}`);
    const flat = await api('GET', `/invoices/${id}`);
    expect(nested.status).toBe(200);
    expect(flat.status).toBe(200);
    expect(flat.json).toEqual(nested.json);
    expect(nested.json).not.toHaveProperty('paymentMethods');
    const withPms = await api('GET', `/invoices/${id}?includePaymentMethods=true`);
    expect(withPms.json.paymentMethods).toHaveLength(2);
  });

  it('answers 404 invoice-not-found for an unknown invoice and a bare 404 for an unknown route', async () => {
    for (const path of [`${invoicesPath()}/NoSuchInvoice`, '/invoices/NoSuchInvoice', '/invoices/NoSuchInvoice/payment-methods']) {
      const res = await api('GET', path);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ code: 'invoice-not-found', message: 'The invoice was not found' });
    }
    const unknown = await api('GET', '/no/such/route');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe('');
  });

  it('serves payment methods with a BOLT11, a lowercase lightning: link and BIP21', async () => {
    const inv = await create({ amount: '5.00' });
    const res = await api('GET', `${invoicesPath()}/${inv.id as string}/payment-methods`);
    expect(res.status).toBe(200);
    const [chain, ln] = res.json;
    expect(chain).toMatchObject({
      paymentMethodId: 'BTC-CHAIN',
      currency: 'BTC',
      destination: expect.stringMatching(/^bc1q[02-9ac-hj-np-z]{38}$/),
      rate: '50000',
      amount: '0.00010000',
      due: '0.00010000',
      totalPaid: '0.00000000',
      paymentMethodPaid: '0.00000000',
      paymentMethodFee: '0',
      payments: [],
      activated: true,
    });
    expect(chain!.paymentLink).toBe(`bitcoin:${chain!.destination as string}?amount=0.0001`);
    expect(ln).toMatchObject({ paymentMethodId: 'BTC-LN', destination: expect.stringMatching(/^lnbc\d+n1p[02-9ac-hj-np-z]{100,}$/), amount: '0.00010000' });
    expect(ln!.paymentLink).toBe(`lightning:${(ln!.destination as string).toLowerCase()}`);
    expect(ln!.additionalData).toMatchObject({ paymentHash: expect.stringMatching(/^[0-9a-f]{64}$/), preimage: null, invoiceId: expect.any(String), nodeInfo: expect.any(String) });
    // the flat form answers the same
    expect((await api('GET', `/invoices/${inv.id as string}/payment-methods`)).json).toEqual(res.json);
  });

  it('answers like a 1.x server with legacyPaymentMethodIds', async () => {
    emu.options.legacyPaymentMethodIds = true;
    const inv = await create({ checkout: { paymentMethods: ['BTC-CHAIN', 'BTC-LN'] } });
    expect((inv.checkout as { paymentMethods: string[] }).paymentMethods).toEqual(['BTC', 'BTC-LightningNetwork']);
    const pms = (await api('GET', `/invoices/${inv.id as string}/payment-methods`)).json;
    expect(pms.map((p) => p.paymentMethodId)).toEqual(['BTC', 'BTC-LightningNetwork']);
    await emu.pay(inv.id as string, { method: 'BTC-LN' });
    expect(receiver.hits[0]!.json.paymentMethodId).toBe('BTC-LightningNetwork');
  });

  it('lists newest first with orderId filters (repeatable), take and skip', async () => {
    const a = await create({ metadata: { orderId: 'list-A' } });
    const b = await create({ metadata: { orderId: 'list-B' } });
    const c = await create({ metadata: { orderId: 'list-C' } });
    const ids = (res: { json: Json }) => res.json.map((i) => i.id);
    expect(ids(await api('GET', `${invoicesPath()}?orderId=list-B`))).toEqual([b.id]);
    expect(ids(await api('GET', `${invoicesPath()}?orderId=list-A&orderId=list-C`))).toEqual([c.id, a.id]);
    const all = ids(await api('GET', invoicesPath()));
    expect(all.slice(0, 3)).toEqual([c.id, b.id, a.id]);
    expect(ids(await api('GET', `${invoicesPath()}?take=1&skip=1`))).toEqual([b.id]);
    expect((await api('GET', `${invoicesPath()}?orderId=nope`)).json).toEqual([]);
  });
});

describe('BTCPay emulator: driving invoices delivers the webhooks BTCPay sends', () => {
  it('on-chain paid in full → Processing, then confirmed → Settled', async () => {
    const id = (await create({ amount: '5.00', metadata: { orderId: 'chain-1' } })).id as string;
    const paid = await emu.pay(id);
    expect(emu.invoices.get(id)).toMatchObject({ status: 'Processing', additionalStatus: 'None', paidAmount: '5.00' });
    expect(types()).toEqual(['InvoiceReceivedPayment', 'InvoiceProcessing']);
    expect(paid.map((d) => d.status)).toEqual([200, 200]);
    const received = receiver.hits[0]!.json;
    expect(received).toMatchObject({
      afterExpiration: false,
      paymentMethodId: 'BTC-CHAIN',
      payment: { value: '0.00010000', status: 'Processing', id: expect.stringMatching(/^[0-9a-f]{64}-\d+$/) },
      webhookId: emu.webhookId,
      isRedelivery: false,
      storeId: emu.storeId,
      invoiceId: id,
      metadata: { orderId: 'chain-1' },
    });
    expect(received.originalDeliveryId).toBe(received.deliveryId);
    expect(receiver.hits[1]!.json.overPaid).toBe(false);

    await emu.confirm(id);
    expect(emu.invoices.get(id)).toMatchObject({ status: 'Settled', additionalStatus: 'None' });
    expect(types()).toEqual(['InvoiceReceivedPayment', 'InvoiceProcessing', 'InvoicePaymentSettled', 'InvoiceSettled']);
    expect(receiver.hits[2]!.json.payment).toMatchObject({ status: 'Settled' });
    expect(receiver.hits[3]!.json).toMatchObject({ manuallyMarked: false, overPaid: false });
    for (const hit of receiver.hits) {
      checkWire(hit);
      checkKeys(hit);
    }
    // every delivery is recorded with the bytes sent
    expect(emu.deliveries.slice(-4).map((d) => d.body.toString())).toEqual(receiver.hits.map((h) => h.body.toString()));
    const got = (await api('GET', `/invoices/${id}`)).json;
    expect(got).toMatchObject({ status: 'Settled', paidAmount: '5.00', availableStatusesForManualMarking: [] });
  });

  it('overpaid on-chain → PaidOver with overPaid true', async () => {
    const id = (await create({ amount: '5.00' })).id as string;
    await emu.pay(id, { amount: '6.00' });
    expect(emu.invoices.get(id)).toMatchObject({ status: 'Processing', additionalStatus: 'PaidOver', paidAmount: '6.00' });
    expect(receiver.hits[1]!.json).toMatchObject({ type: 'InvoiceProcessing', overPaid: true });
    await emu.confirm(id);
    expect(receiver.hits.at(-1)!.json).toMatchObject({ type: 'InvoiceSettled', overPaid: true, manuallyMarked: false });
    const [chain] = (await api('GET', `/invoices/${id}/payment-methods`)).json;
    expect(chain).toMatchObject({ totalPaid: '0.00012000', due: '-0.00002000' });
  });

  it('partial payment → PaidPartial; expiry → Expired (partiallyPaid) + InvoiceExpiredPaidPartial; the rest late → PaidLate', async () => {
    const id = (await create({ amount: '5.00' })).id as string;
    const lnBefore = (await api('GET', `/invoices/${id}/payment-methods`)).json[1]!.destination;
    await emu.pay(id, { amount: '2.00' });
    expect(emu.invoices.get(id)).toMatchObject({ status: 'New', additionalStatus: 'PaidPartial', paidAmount: '2.00' });
    expect(types()).toEqual(['InvoiceReceivedPayment']);
    const pms = (await api('GET', `/invoices/${id}/payment-methods`)).json;
    expect(pms[0]).toMatchObject({ due: '0.00006000', totalPaid: '0.00004000', paymentMethodPaid: '0.00004000' });
    expect(pms[0]!.payments).toHaveLength(1);
    expect(pms[1]!.destination).not.toBe(lnBefore); // a new BOLT11 for what is still due

    await emu.expire(id);
    expect(emu.invoices.get(id)).toMatchObject({ status: 'Expired', additionalStatus: 'PaidPartial' });
    expect(types().slice(1)).toEqual(['InvoiceExpired', 'InvoiceExpiredPaidPartial']);
    expect(receiver.hits[1]!.json.partiallyPaid).toBe(true);

    await emu.pay(id);
    expect(emu.invoices.get(id)).toMatchObject({ status: 'Expired', additionalStatus: 'PaidLate', paidAmount: '5.00' });
    expect(types().slice(3)).toEqual(['InvoiceReceivedPayment', 'InvoicePaidAfterExpiration']);
    expect(receiver.hits[3]!.json.afterExpiration).toBe(true);
    for (const hit of receiver.hits) {
      checkWire(hit);
      checkKeys(hit);
    }
  });

  it('unpaid expiry → InvoiceExpired with partiallyPaid false', async () => {
    const id = (await create()).id as string;
    await emu.expire(id);
    expect(emu.invoices.get(id)).toMatchObject({ status: 'Expired', additionalStatus: 'None' });
    expect(types()).toEqual(['InvoiceExpired']);
    expect(receiver.hits[0]!.json.partiallyPaid).toBe(false);
    await expect(emu.expire(id)).rejects.toThrow();
  });

  it('Lightning settles at once', async () => {
    const id = (await create({ amount: '5.00' })).id as string;
    await emu.pay(id, { method: 'BTC-LN' });
    expect(emu.invoices.get(id)).toMatchObject({ status: 'Settled', additionalStatus: 'None' });
    expect(types()).toEqual(['InvoiceReceivedPayment', 'InvoicePaymentSettled', 'InvoiceSettled']);
    expect(receiver.hits[0]!.json).toMatchObject({ paymentMethodId: 'BTC-LN', payment: { status: 'Settled', destination: expect.stringMatching(/^lnbc/) } });
    for (const hit of receiver.hits) checkWire(hit);
  });

  it('Lightning with lightningProcessingEvent also sends InvoiceProcessing', async () => {
    emu.options.lightningProcessingEvent = true;
    try {
      const id = (await create()).id as string;
      await emu.pay(id, { method: 'BTC-LN' });
      expect(types()).toEqual(['InvoiceReceivedPayment', 'InvoicePaymentSettled', 'InvoiceProcessing', 'InvoiceSettled']);
    } finally {
      emu.options.lightningProcessingEvent = false;
    }
  });

  it('Processing never confirmed → Invalid (manuallyMarked false)', async () => {
    const id = (await create()).id as string;
    await emu.pay(id);
    await emu.invalidate(id);
    expect(emu.invoices.get(id)).toMatchObject({ status: 'Invalid' });
    expect(types()).toEqual(['InvoiceReceivedPayment', 'InvoiceProcessing', 'InvoiceInvalid']);
    expect(receiver.hits[2]!.json.manuallyMarked).toBe(false);
    checkKeys(receiver.hits[2]!);
  });

  it('changes state without delivering when no webhook is configured', async () => {
    emu.webhookUrl = null;
    const id = (await create()).id as string;
    expect(await emu.pay(id)).toEqual([]);
    expect(emu.invoices.get(id)!.status).toBe('Processing');
    expect(receiver.hits).toHaveLength(0);
  });

  it('records a failed delivery with the receiver status', async () => {
    receiver.status = 500;
    const id = (await create()).id as string;
    const [d] = await emu.expire(id);
    expect(d).toMatchObject({ status: 500, responseBody: 'OK' });
  });
});

describe('BTCPay emulator: webhook bodies, redelivery and forgeries', () => {
  it('webhookBody gives the exact indented bytes in BTCPay’s property order for each type', async () => {
    const id = (await create({ metadata: { orderId: 'wb' } })).id as string;
    await emu.pay(id);
    for (const type of Object.keys(EXTRA_KEYS) as BtcPayEventType[]) {
      const { deliveryId, body } = emu.webhookBody(id, type);
      const parsed = JSON.parse(body.toString()) as Record<string, unknown>;
      expect(body.toString()).toBe(JSON.stringify(parsed, null, 2));
      expect(Object.keys(parsed)).toEqual([...EXTRA_KEYS[type], ...COMMON_KEYS]);
      expect(parsed).toMatchObject({ deliveryId, originalDeliveryId: deliveryId, isRedelivery: false, type });
      expect(deliveryId).toMatch(/^[1-9A-HJ-NP-Za-km-z]{22}$/);
    }
  });

  it('redeliver: new deliveryId, isRedelivery true, originalDeliveryId and timestamp kept, re-signed', async () => {
    const id = (await create()).id as string;
    const [first] = await emu.expire(id);
    const firstJson = receiver.hits[0]!.json;
    const again = await emu.redeliver(first!.deliveryId);
    const twice = await emu.redeliver(again.deliveryId);
    expect(receiver.hits).toHaveLength(3);
    for (const [i, d] of [again, twice].entries()) {
      const hit = receiver.hits[i + 1]!;
      checkWire(hit);
      expect(hit.json).toMatchObject({ isRedelivery: true, originalDeliveryId: first!.deliveryId, timestamp: firstJson.timestamp, type: 'InvoiceExpired', partiallyPaid: false, invoiceId: id });
      expect(hit.json.deliveryId).toBe(d.deliveryId);
      expect(d.originalDeliveryId).toBe(first!.deliveryId);
    }
    expect(new Set([first!.deliveryId, again.deliveryId, twice.deliveryId]).size).toBe(3);
    // re-read as the base WebhookEvent: declared properties first, the rest after
    expect(Object.keys(receiver.hits[1]!.json)).toEqual(['deliveryId', 'webhookId', 'originalDeliveryId', 'isRedelivery', 'type', 'timestamp', 'partiallyPaid', 'storeId', 'invoiceId', 'metadata']);
  });

  it('sendWebhook: signed by default, forge / tamper / unsigned / custom body', async () => {
    const id = (await create()).id as string;
    await emu.pay(id);
    receiver.hits = [];
    const ok = await emu.sendWebhook(id, 'InvoiceProcessing');
    expect(ok.status).toBe(200);
    checkWire(receiver.hits[0]!);

    await emu.sendWebhook(id, 'InvoiceProcessing', { forge: true });
    const forged = receiver.hits[1]!;
    expect(forged.headers['btcpay-sig']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(forged.headers['btcpay-sig']).not.toBe(sig(emu.webhookSecret, forged.body));

    await emu.sendWebhook(id, 'InvoiceProcessing', { tamper: true });
    const tampered = receiver.hits[2]!;
    expect(tampered.headers['btcpay-sig']).not.toBe(sig(emu.webhookSecret, tampered.body));
    expect(() => JSON.parse(tampered.body.toString())).not.toThrow();

    await emu.sendWebhook(id, 'InvoiceProcessing', { unsigned: true });
    expect(receiver.hits[3]!.headers['btcpay-sig']).toBeUndefined();

    const custom = Buffer.from('{"hello":"world"}');
    await emu.sendWebhook(id, 'InvoiceProcessing', { body: custom });
    expect(receiver.hits[4]!.body.equals(custom)).toBe(true);
    expect(receiver.hits[4]!.headers['btcpay-sig']).toBe(sig(emu.webhookSecret, custom));
    expect(btcPaySignature(emu.webhookSecret, custom)).toBe(sig(emu.webhookSecret, custom));

    // sendWebhook to an explicit URL even with no store webhook
    emu.webhookUrl = null;
    await emu.sendWebhook(id, 'InvoiceSettled', { url: receiver.url });
    expect(receiver.hits[5]!.json.type).toBe('InvoiceSettled');
  });

  it('the real delivery vector: JSON.stringify(…, null, 2) reproduces the bytes and the HMAC matches', () => {
    expect(VECTOR_BODY.length).toBe(408);
    const parsed = JSON.parse(VECTOR_BODY.toString('utf8')) as Record<string, unknown>;
    expect(Buffer.from(JSON.stringify(parsed, null, 2), 'utf8').equals(VECTOR_BODY)).toBe(true);
    expect(Object.keys(parsed)).toEqual([...EXTRA_KEYS.InvoiceSettled.slice(0, 1), ...COMMON_KEYS]); // a ≤1.9 capture: no overPaid
    expect(sig(VECTOR_SECRET, VECTOR_BODY)).toBe(VECTOR_SIG);
    expect(btcPaySignature(VECTOR_SECRET, VECTOR_BODY)).toBe(VECTOR_SIG);
  });
});

describe('BTCPay emulator: failNext', () => {
  it('fails the next call(s) to a path after authentication, then recovers', async () => {
    emu.failNext(invoicesPath(), { status: 503, code: 'service-unavailable', times: 2 });
    expect((await api('POST', invoicesPath(), { key: null, body: { amount: 1 } })).status).toBe(401); // auth first, not consumed
    const one = await api('POST', invoicesPath(), { body: { amount: 1 } });
    expect(one.status).toBe(503);
    expect(one.json).toEqual({ code: 'service-unavailable', message: expect.any(String) });
    expect((await api('GET', invoicesPath())).status).toBe(503);
    expect((await api('POST', invoicesPath(), { body: { amount: 1 } })).status).toBe(200);
  });

  it('can answer a raw non-JSON body', async () => {
    const id = (await create()).id as string;
    emu.failNext(`/invoices/${id}`, { status: 502, raw: '<html>Bad Gateway</html>' });
    const res = await api('GET', `/invoices/${id}`);
    expect(res.status).toBe(502);
    expect(res.text).toBe('<html>Bad Gateway</html>');
    expect((await api('GET', `/invoices/${id}`)).status).toBe(200);
  });
});
