import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cryptoPaySignature, startCryptoPayEmulator, type CryptoPayEmulator, type CryptoPayInvoice } from './cryptopay.js';
import { cryptoPayVector } from '../vectors/index.js';

const { token: VECTOR_TOKEN, secretHex: VECTOR_SECRET_HEX, signature: VECTOR_SIGNATURE } = cryptoPayVector;

/** Independent of the emulator: Crypto Pay's documented signing written out with node:crypto. */
function independentSignature(token: string, body: Buffer): string {
  const secret = createHash('sha256').update(Buffer.from(token, 'utf8')).digest();
  return createHmac('sha256', secret).update(body).digest('hex');
}

interface Answer {
  status: number;
  contentType: string | null;
  text: string;
  json: { ok: boolean; result?: unknown; error?: { code: number; name: string } };
}

let emu: CryptoPayEmulator;

beforeAll(async () => {
  emu = await startCryptoPayEmulator();
});
afterAll(async () => {
  await emu?.stop();
});

async function call(
  method: string,
  opts: { http?: 'GET' | 'POST'; query?: Record<string, string>; json?: unknown; form?: Record<string, string>; multipart?: Record<string, string>; token?: string | null; headerName?: string } = {},
): Promise<Answer> {
  const url = new URL(`${emu.baseUrl}/api/${method}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  if (opts.token !== null) headers[opts.headerName ?? 'Crypto-Pay-API-Token'] = opts.token ?? emu.token;
  let body: string | URLSearchParams | FormData | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.form) {
    body = new URLSearchParams(opts.form);
  } else if (opts.multipart) {
    const fd = new FormData();
    for (const [k, v] of Object.entries(opts.multipart)) fd.append(k, v);
    body = fd;
  }
  const res = await fetch(url, { method: opts.http ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await res.text();
  let json: Answer['json'];
  try {
    json = JSON.parse(text) as Answer['json'];
  } catch {
    json = { ok: false };
  }
  return { status: res.status, contentType: res.headers.get('content-type'), text, json };
}

async function create(params: Record<string, unknown>): Promise<CryptoPayInvoice> {
  const r = await call('createInvoice', { json: params });
  expect(r.status, r.text).toBe(200);
  return r.json.result as CryptoPayInvoice;
}

/** A loopback webhook receiver that keeps the raw bytes. */
async function startRawReceiver() {
  const got: Array<{ headers: http.IncomingHttpHeaders; body: Buffer }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('received');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/cryptopay/secret-path`,
    got,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe('Crypto Pay emulator: auth and transport', () => {
  it('issues a token of the documented shape and answers getMe with the envelope', async () => {
    expect(emu.token).toMatch(/^\d+:[A-Za-z0-9]{35}$/);
    expect(emu.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await call('getMe');
    expect(r.status).toBe(200);
    expect(r.contentType).toMatch(/^application\/json/);
    expect(r.json).toEqual({
      ok: true,
      result: { app_id: Number(emu.token.split(':')[0]), name: expect.any(String), payment_processing_bot_username: 'CryptoBot' },
    });
  });

  it('answers 401 UNAUTHORIZED without the token or with a wrong one, and records those requests', async () => {
    const before = emu.requests.length;
    const missing = await call('getMe', { token: null });
    expect(missing.status).toBe(401);
    expect(missing.text).toBe('{"ok":false,"error":{"code":401,"name":"UNAUTHORIZED"}}');
    const wrong = await call('createInvoice', { token: `${emu.token.slice(0, -1)}x`, json: { asset: 'USDT', amount: '1' } });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({ ok: false, error: { code: 401, name: 'UNAUTHORIZED' } });
    const otherHeader = await call('getMe', { token: emu.token, headerName: 'Authorization' });
    expect(otherHeader.status).toBe(401);
    expect(emu.requests.slice(before).map((q) => q.apiMethod)).toEqual(['getMe', 'createInvoice', 'getMe']);
    expect(emu.requests[before + 1]!.params).toEqual({ asset: 'USDT', amount: '1' });
    expect([...emu.invoices.values()].some((i) => i.amount === '1' && i.asset === 'USDT')).toBe(false);
  });

  it('takes the header name in any case', async () => {
    for (const name of ['crypto-pay-api-token', 'CRYPTO-PAY-API-TOKEN']) {
      const r = await call('getMe', { headerName: name });
      expect(r.status).toBe(200);
    }
  });

  it('answers 405 METHOD_NOT_FOUND for an unknown method (and method names are exact)', async () => {
    for (const m of ['setWebhook', 'getme']) {
      const r = await call(m);
      expect(r.status).toBe(405);
      expect(r.json).toEqual({ ok: false, error: { code: 405, name: 'METHOD_NOT_FOUND' } });
    }
  });
});

describe('Crypto Pay emulator: createInvoice', () => {
  it('via GET query string, every value a string as the query-string clients send', async () => {
    const r = await call('createInvoice', {
      query: { asset: 'TON', amount: '10.50', description: 'Order #1', payload: 'order:1', allow_comments: 'false', allow_anonymous: 'True', expires_in: '3600' },
    });
    expect(r.status, r.text).toBe(200);
    expect(r.contentType).toMatch(/^application\/json/);
    const inv = r.json.result as CryptoPayInvoice;
    // Types on the wire
    expect(r.text).toMatch(/"invoice_id":\d+,/);
    expect(r.text).toContain('"amount":"10.5"');
    expect(typeof inv.invoice_id).toBe('number');
    expect(inv.invoice_id).toBeGreaterThan(1_000_000);
    expect(inv).toMatchObject({
      currency_type: 'crypto', asset: 'TON', amount: '10.5', status: 'active', description: 'Order #1', payload: 'order:1',
      allow_comments: false, allow_anonymous: true,
    });
    expect(inv.hash).toMatch(/^IV[A-Za-z0-9]{10}$/);
    expect(inv.bot_invoice_url).toBe(`https://t.me/CryptoBot?start=${inv.hash}`);
    expect(inv.pay_url).toBe(inv.bot_invoice_url);
    expect(inv.mini_app_invoice_url).toMatch(new RegExp(`^https://t\\.me/CryptoBot/app\\?startapp=invoice-${inv.hash}`));
    expect(inv.web_app_invoice_url).toBe(`https://app.send.tg/invoices/${inv.hash}`);
    expect(inv.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(inv.expiration_date!) - Date.parse(inv.created_at)).toBe(3_600_000);
    expect(inv.fiat).toBeUndefined();
    expect(inv.accepted_assets).toBeUndefined();
    // Key order of real answers
    expect(Object.keys(inv)).toEqual([
      'invoice_id', 'hash', 'currency_type', 'asset', 'amount', 'pay_url', 'bot_invoice_url', 'mini_app_invoice_url',
      'web_app_invoice_url', 'description', 'status', 'created_at', 'allow_comments', 'allow_anonymous', 'expiration_date', 'payload',
    ]);
    const rec = emu.requests.at(-1)!;
    expect(rec).toMatchObject({ httpMethod: 'GET', apiMethod: 'createInvoice', params: { asset: 'TON', amount: '10.50' } });
    expect(rec.headers['crypto-pay-api-token']).toBe(emu.token);
    expect(emu.invoices.get(inv.invoice_id)).toEqual(inv);
  });

  it('via POST JSON with a numeric amount and JSON booleans; ids increase', async () => {
    const a = await create({ asset: 'USDT', amount: 2 });
    const b = await create({ currency_type: 'crypto', asset: 'BTC', amount: 0.0005, allow_anonymous: false });
    expect(a.amount).toBe('2');
    expect(b.amount).toBe('0.0005');
    expect(b.allow_anonymous).toBe(false);
    expect(a.allow_comments).toBe(true);
    expect(a.expiration_date).toBeUndefined();
    expect(b.invoice_id).toBeGreaterThan(a.invoice_id);
    expect(a.hash).not.toBe(b.hash);
    expect(emu.requests.at(-1)).toMatchObject({ httpMethod: 'POST', params: { amount: 0.0005, allow_anonymous: false } });
  });

  it('via urlencoded and multipart forms', async () => {
    const f = await call('createInvoice', { form: { asset: 'USDT', amount: '5', paid_btn_name: 'viewItem', paid_btn_url: 'https://example.com/item' } });
    expect(f.status, f.text).toBe(200);
    expect(f.json.result).toMatchObject({ amount: '5', paid_btn_name: 'viewItem', paid_btn_url: 'https://example.com/item' });
    const m = await call('createInvoice', { multipart: { asset: 'ETH', amount: '0.25', hidden_message: 'thanks' } });
    expect(m.status, m.text).toBe(200);
    expect(m.json.result).toMatchObject({ asset: 'ETH', amount: '0.25', hidden_message: 'thanks' });
    // Query and body merge; the body wins.
    const q = await call('createInvoice', { query: { asset: 'TON', amount: '1' }, form: { amount: '3' } });
    expect(q.json.result).toMatchObject({ asset: 'TON', amount: '3' });
  });

  it('fiat invoices carry fiat and accepted_assets (comma string or JSON array)', async () => {
    const a = await create({ currency_type: 'fiat', fiat: 'RUB', amount: '100', accepted_assets: 'USDT, TON' });
    expect(a).toMatchObject({ currency_type: 'fiat', fiat: 'RUB', amount: '100', accepted_assets: ['USDT', 'TON'] });
    expect(a.asset).toBeUndefined();
    const b = await create({ currency_type: 'fiat', fiat: 'USD', amount: '1.5', accepted_assets: ['BTC'] });
    expect(b.accepted_assets).toEqual(['BTC']);
    const c = await create({ currency_type: 'fiat', fiat: 'EUR', amount: '3' });
    expect(c.accepted_assets!.length).toBeGreaterThan(1);
  });

  it('rejects bad parameters with 400 envelopes and creates nothing', async () => {
    const before = emu.invoices.size;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ amount: '1' }, 'PARAM_ASSET_REQUIRED'],
      [{ currency_type: 'fiat', amount: '1' }, 'PARAM_FIAT_REQUIRED'],
      [{ currency_type: 'euro', asset: 'USDT', amount: '1' }, 'CURRENCY_TYPE_INVALID'],
      [{ asset: 'USDT' }, 'PARAM_AMOUNT_REQUIRED'],
      [{ asset: 'USDT', amount: '0' }, 'AMOUNT_INVALID'],
      [{ asset: 'USDT', amount: -1 }, 'AMOUNT_INVALID'],
      [{ asset: 'USDT', amount: '1,5' }, 'AMOUNT_INVALID'],
      [{ asset: 'XYZ', amount: '1' }, 'ASSET_INVALID'],
      [{ asset: 'USDT', amount: '1', expires_in: 0 }, 'EXPIRES_IN_INVALID'],
      [{ asset: 'USDT', amount: '1', expires_in: 2_678_401 }, 'EXPIRES_IN_INVALID'],
      [{ asset: 'USDT', amount: '1', expires_in: 'soon' }, 'EXPIRES_IN_INVALID'],
      [{ asset: 'USDT', amount: '1', description: 'd'.repeat(1025) }, 'DESCRIPTION_INVALID'],
      [{ asset: 'USDT', amount: '1', payload: 'p'.repeat(4097) }, 'PAYLOAD_INVALID'],
      [{ asset: 'USDT', amount: '1', paid_btn_name: 'viewItem' }, 'PARAM_PAID_BTN_URL_REQUIRED'],
      [{ asset: 'USDT', amount: '1', paid_btn_name: 'viewItem', paid_btn_url: 'ftp://x' }, 'PAID_BTN_URL_INVALID'],
      [{ asset: 'USDT', amount: '1', paid_btn_name: 'buy', paid_btn_url: 'https://x.example' }, 'PAID_BTN_NAME_INVALID'],
      [{ asset: 'USDT', amount: '1', accepted_assets: 'USDT' }, 'ACCEPTED_ASSETS_INVALID'],
      [{ asset: 'USDT', amount: '1', allow_comments: 'yes' }, 'ALLOW_COMMENTS_INVALID'],
    ];
    for (const [params, name] of cases) {
      const r = await call('createInvoice', { json: params });
      expect({ params, status: r.status, body: r.json }).toEqual({ params, status: 400, body: { ok: false, error: { code: 400, name } } });
    }
    expect(emu.invoices.size).toBe(before);
    // The limits themselves are allowed.
    await create({ asset: 'USDT', amount: '1', expires_in: 2_678_400, description: 'd'.repeat(1024), payload: 'p'.repeat(4096) });
    await create({ asset: 'USDT', amount: '1', expires_in: 1 });
  });

  it('answers 400 on a malformed JSON body (after auth)', async () => {
    const url = `${emu.baseUrl}/api/createInvoice`;
    const bad = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'crypto-pay-api-token': emu.token }, body: '{"asset":' });
    expect(bad.status).toBe(400);
    const unauth = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"asset":' });
    expect(unauth.status).toBe(401);
  });
});

describe('Crypto Pay emulator: getInvoices, deleteInvoice, getBalance, expiry', () => {
  it('getInvoices returns {items} and filters by invoice_ids, status, count and offset', async () => {
    const a = await create({ asset: 'LTC', amount: '1' });
    const b = await create({ asset: 'LTC', amount: '2' });
    const c = await create({ asset: 'LTC', amount: '3' });
    emu.pay(b.invoice_id);
    const all = await call('getInvoices');
    expect(all.status).toBe(200);
    expect(Object.keys(all.json.result as object)).toEqual(['items']);
    const ids = `${a.invoice_id},${b.invoice_id},${c.invoice_id}`;
    const some = await call('getInvoices', { query: { invoice_ids: ids } });
    const items = (some.json.result as { items: CryptoPayInvoice[] }).items;
    expect(items.map((i) => i.invoice_id).sort()).toEqual([a.invoice_id, b.invoice_id, c.invoice_id].sort());
    expect(items.every((i) => typeof i.amount === 'string' && typeof i.invoice_id === 'number')).toBe(true);
    const paid = await call('getInvoices', { json: { invoice_ids: ids, status: 'paid' } });
    expect((paid.json.result as { items: CryptoPayInvoice[] }).items).toMatchObject([{ invoice_id: b.invoice_id, status: 'paid', paid_asset: 'LTC', paid_amount: '2' }]);
    const arr = await call('getInvoices', { json: { invoice_ids: [a.invoice_id, c.invoice_id], status: 'active', count: 1 } });
    expect((arr.json.result as { items: unknown[] }).items).toHaveLength(1);
    const off = await call('getInvoices', { query: { invoice_ids: ids, offset: '2' } });
    expect((off.json.result as { items: unknown[] }).items).toHaveLength(1);
    const asset = await call('getInvoices', { query: { asset: 'LTC' } });
    expect((asset.json.result as { items: CryptoPayInvoice[] }).items.every((i) => i.asset === 'LTC')).toBe(true);
    for (const [query, name] of [[{ status: 'expired' }, 'STATUS_INVALID'], [{ count: '0' }, 'COUNT_INVALID'], [{ count: '1001' }, 'COUNT_INVALID'], [{ invoice_ids: '1,x' }, 'INVOICE_IDS_INVALID']] as const) {
      const r = await call('getInvoices', { query });
      expect(r.status).toBe(400);
      expect(r.json.error).toEqual({ code: 400, name });
    }
  });

  it('deleteInvoice answers true, then INVOICE_NOT_FOUND; the invoice is gone', async () => {
    const inv = await create({ asset: 'USDT', amount: '4' });
    const del = await call('deleteInvoice', { query: { invoice_id: String(inv.invoice_id) } });
    expect(del.status).toBe(200);
    expect(del.text).toBe('{"ok":true,"result":true}');
    expect(emu.invoices.has(inv.invoice_id)).toBe(false);
    const again = await call('deleteInvoice', { json: { invoice_id: inv.invoice_id } });
    expect(again.status).toBe(400);
    expect(again.json).toEqual({ ok: false, error: { code: 400, name: 'INVOICE_NOT_FOUND' } });
    const list = await call('getInvoices', { query: { invoice_ids: String(inv.invoice_id) } });
    expect((list.json.result as { items: unknown[] }).items).toEqual([]);
    const missing = await call('deleteInvoice');
    expect(missing.json.error).toEqual({ code: 400, name: 'PARAM_INVOICE_ID_REQUIRED' });
  });

  it('getBalance lists strings per currency and grows by paid amounts net of fee', async () => {
    const balance = async () => (await call('getBalance')).json.result as Array<{ currency_code: string; available: string; onhold: string }>;
    const before = await balance();
    expect(before).toContainEqual({ currency_code: 'USDT', available: '12.5', onhold: '0' });
    expect(before.every((b) => Object.keys(b).join() === 'currency_code,available,onhold' && typeof b.available === 'string')).toBe(true);
    const inv = await create({ asset: 'USDT', amount: '10' });
    emu.pay(inv.invoice_id);
    expect((await balance()).find((b) => b.currency_code === 'USDT')!.available).toBe('22.2');
  });

  it('invoices report expired once their expiration passed; expire() forces it', async () => {
    const soon = await create({ asset: 'USDT', amount: '1', expires_in: 1 });
    await new Promise((r) => setTimeout(r, 1100));
    const r = await call('getInvoices', { query: { invoice_ids: String(soon.invoice_id) } });
    expect((r.json.result as { items: CryptoPayInvoice[] }).items[0]!.status).toBe('expired');
    expect(() => emu.pay(soon.invoice_id)).toThrow(/expired/);

    const other = await create({ asset: 'USDT', amount: '1' });
    const expired = emu.expire(other.invoice_id);
    expect(expired.status).toBe('expired');
    expect(expired.expiration_date).toMatch(/Z$/);
    const active = await call('getInvoices', { query: { invoice_ids: String(other.invoice_id), status: 'active' } });
    expect((active.json.result as { items: unknown[] }).items).toEqual([]);
  });

  it('pay() fills paid and fee fields; fiat invoices get a computed paid amount in the first accepted asset', async () => {
    const crypto = await create({ asset: 'USDT', amount: '10' });
    const p = emu.pay(crypto.invoice_id);
    expect(p).toMatchObject({ status: 'paid', paid_asset: 'USDT', paid_amount: '10', fee_asset: 'USDT', fee_amount: '0.3', fee_in_usd: '0.3', paid_usd_rate: '1', paid_anonymously: false });
    expect(p.paid_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(() => emu.pay(crypto.invoice_id)).toThrow(/paid/);

    const fiat = await create({ currency_type: 'fiat', fiat: 'USD', amount: '11', accepted_assets: 'TON,USDT' });
    const f = emu.pay(fiat.invoice_id);
    expect(f).toMatchObject({ paid_asset: 'TON', paid_amount: '2', fee_asset: 'TON', fee_amount: '0.06', paid_fiat_rate: '5.5', paid_usd_rate: '5.5' });
    const usd = await create({ currency_type: 'fiat', fiat: 'USD', amount: '7', accepted_assets: ['USDT'] });
    expect(emu.pay(usd.invoice_id, { paidAmount: '7.01', feeAmount: '0.2' })).toMatchObject({ paid_asset: 'USDT', paid_amount: '7.01', fee_amount: '0.2' });
    const list = await call('getInvoices', { query: { invoice_ids: String(fiat.invoice_id) } });
    const wire = (list.json.result as { items: Array<Record<string, unknown>> }).items[0]!;
    expect(typeof wire.paid_amount).toBe('string');
    expect(wire.fee).toBeUndefined(); // deprecated fields are webhook-only
  });
});

describe('Crypto Pay emulator: failNext', () => {
  it('fails the next call(s) with an upstream envelope and HTTP status = code, then recovers', async () => {
    emu.failNext('createInvoice', { status: 400, name: 'EXPIRES_IN_INVALID', times: 2 });
    const before = emu.invoices.size;
    for (let i = 0; i < 2; i++) {
      const r = await call('createInvoice', { json: { asset: 'USDT', amount: '1' } });
      expect(r.status).toBe(400);
      expect(r.text).toBe('{"ok":false,"error":{"code":400,"name":"EXPIRES_IN_INVALID"}}');
    }
    expect(emu.invoices.size).toBe(before);
    const ok = await call('createInvoice', { json: { asset: 'USDT', amount: '1' } });
    expect(ok.status).toBe(200);
    // Only the named method is affected.
    emu.failNext('getInvoices', { status: 403, name: 'METHOD_DISABLED' });
    expect((await call('getMe')).status).toBe(200);
    expect((await call('getInvoices')).json.error).toEqual({ code: 403, name: 'METHOD_DISABLED' });
  });

  it('answers bare non-JSON failures when raw is set', async () => {
    emu.failNext('getInvoices', { status: 502, raw: '<html><body>502 Bad Gateway</body></html>' });
    emu.failNext('getInvoices', { status: 429, raw: 'Too Many Requests' });
    const a = await call('getInvoices');
    expect(a.status).toBe(502);
    expect(a.text).toBe('<html><body>502 Bad Gateway</body></html>');
    expect(a.contentType).not.toMatch(/json/);
    expect(() => JSON.parse(a.text) as unknown).toThrow();
    const b = await call('getInvoices');
    expect(b.status).toBe(429);
    expect(b.text).toBe('Too Many Requests');
    expect((await call('getInvoices')).status).toBe(200);
    emu.failNext('getMe', { status: 500 });
    expect((await call('getMe')).json).toEqual({ ok: false, error: { code: 500, name: 'APP_ERROR' } });
  });
});

describe('Crypto Pay emulator: webhooks', () => {
  let receiver: Awaited<ReturnType<typeof startRawReceiver>>;
  let paid: CryptoPayInvoice;
  beforeAll(async () => {
    receiver = await startRawReceiver();
    const inv = await create({ asset: 'USDT', amount: '10', description: 'Pin 7 days', payload: 'order:5' });
    paid = emu.pay(inv.invoice_id);
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it('webhookBody is compact JSON with the observed key order, stable for one invoice', () => {
    const body = emu.webhookBody(paid.invoice_id);
    expect(body.equals(emu.webhookBody(paid.invoice_id))).toBe(true);
    const text = body.toString('utf8');
    const parsed = JSON.parse(text) as { update_id: number; update_type: string; request_date: string; payload: Record<string, unknown> };
    expect(JSON.stringify(parsed)).toBe(text);
    expect(Object.keys(parsed)).toEqual(['update_id', 'update_type', 'request_date', 'payload']);
    expect(parsed.update_type).toBe('invoice_paid');
    expect(typeof parsed.update_id).toBe('number');
    expect(Object.keys(parsed.payload)).toEqual([
      'invoice_id', 'hash', 'currency_type', 'asset', 'amount', 'paid_asset', 'paid_amount', 'fee_asset', 'fee_amount', 'fee',
      'fee_in_usd', 'pay_url', 'bot_invoice_url', 'mini_app_invoice_url', 'web_app_invoice_url', 'description', 'status',
      'created_at', 'allow_comments', 'allow_anonymous', 'paid_usd_rate', 'usd_rate', 'paid_at', 'paid_anonymously', 'payload',
    ]);
    expect(parsed.payload).toMatchObject({ invoice_id: paid.invoice_id, amount: '10', status: 'paid', fee: '0.3', payload: 'order:5' });
    const custom = JSON.parse(emu.webhookBody(paid.invoice_id, { updateId: 7, requestDate: '2024-11-12T17:11:06.375Z' }).toString()) as typeof parsed;
    expect(custom).toMatchObject({ update_id: 7, request_date: '2024-11-12T17:11:06.375Z' });
  });

  it('refuses an update for an unpaid invoice', async () => {
    const inv = await create({ asset: 'USDT', amount: '1' });
    expect(() => emu.webhookBody(inv.invoice_id)).toThrow(/not paid/);
  });

  it('reproduces the real 2024 delivery byte for byte when given its data', async () => {
    const vector = Buffer.from(cryptoPayVector.body);
    const { update_id, request_date, payload } = JSON.parse(vector.toString('utf8')) as { update_id: number; request_date: string; payload: Record<string, unknown> };
    const inv = await create({ asset: 'USDT', amount: '10' });
    const stored = emu.pay(inv.invoice_id) as unknown as Record<string, unknown>;
    for (const k of Object.keys(stored)) delete stored[k];
    const { fee: _fee, usd_rate: _usdRate, ...rest } = payload;
    Object.assign(stored, rest);
    expect(emu.webhookBody(inv.invoice_id, { updateId: update_id, requestDate: request_date }).equals(vector)).toBe(true);
    emu.invoices.delete(inv.invoice_id);
  });

  it('sendWebhook POSTs the bytes signed as documented; the signature recomputed independently matches', async () => {
    const answer = await emu.sendWebhook(paid.invoice_id, receiver.url);
    expect(answer).toEqual({ status: 200, body: 'received' });
    const got = receiver.got.at(-1)!;
    expect(got.body.equals(emu.webhookBody(paid.invoice_id))).toBe(true);
    expect(got.headers['content-type']).toMatch(/^application\/json/);
    const sig = got.headers['crypto-pay-api-signature'];
    expect(sig).toMatch(/^[0-9a-f]{64}$/);
    expect(sig).toBe(independentSignature(emu.token, got.body));
    expect(sig).toBe(cryptoPaySignature(emu.token, got.body));
    // Same bytes for a re-serializing verifier (JS JSON.stringify style).
    expect(Buffer.from(JSON.stringify(JSON.parse(got.body.toString('utf8')))).equals(got.body)).toBe(true);
  });

  it('forged, tampered and unsigned deliveries do not verify', async () => {
    await emu.sendWebhook(paid.invoice_id, receiver.url, { forge: true });
    const forged = receiver.got.at(-1)!;
    expect(forged.body.equals(emu.webhookBody(paid.invoice_id))).toBe(true);
    expect(forged.headers['crypto-pay-api-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(forged.headers['crypto-pay-api-signature']).not.toBe(independentSignature(emu.token, forged.body));

    await emu.sendWebhook(paid.invoice_id, receiver.url, { tamper: true });
    const tampered = receiver.got.at(-1)!;
    const original = emu.webhookBody(paid.invoice_id);
    expect(tampered.body.length).toBe(original.length);
    expect([...tampered.body].filter((b, i) => b !== original[i])).toHaveLength(1);
    expect(() => JSON.parse(tampered.body.toString('utf8')) as unknown).not.toThrow();
    expect(tampered.headers['crypto-pay-api-signature']).toBe(independentSignature(emu.token, original));
    expect(tampered.headers['crypto-pay-api-signature']).not.toBe(independentSignature(emu.token, tampered.body));

    await emu.sendWebhook(paid.invoice_id, receiver.url, { unsigned: true });
    const unsigned = receiver.got.at(-1)!;
    expect(unsigned.headers['crypto-pay-api-signature']).toBeUndefined();
    expect(unsigned.body.equals(original)).toBe(true);
  });

  it('sends a caller-supplied body, signed over exactly those bytes', async () => {
    const body = Buffer.from('{"update_id":1,"update_type":"invoice_paid","payload":{"description":"café/ü"}}', 'utf8');
    await emu.sendWebhook(paid.invoice_id, receiver.url, { body });
    const got = receiver.got.at(-1)!;
    expect(got.body.equals(body)).toBe(true);
    expect(got.headers['crypto-pay-api-signature']).toBe(independentSignature(emu.token, body));
  });
});

describe('Crypto Pay published vector', () => {
  const vector = Buffer.from(cryptoPayVector.body);

  it('verifies with cryptoPaySignature and with the algorithm written out', () => {
    expect(vector.length).toBe(823);
    expect(createHash('sha256').update(VECTOR_TOKEN).digest('hex')).toBe(VECTOR_SECRET_HEX);
    expect(cryptoPaySignature(VECTOR_TOKEN, vector)).toBe(VECTOR_SIGNATURE);
    expect(independentSignature(VECTOR_TOKEN, vector)).toBe(VECTOR_SIGNATURE);
  });

  it('fails after any one-byte change', () => {
    for (const i of [0, 100, 411, vector.length - 1]) {
      const changed = Buffer.from(vector);
      changed[i] = changed[i]! ^ 0x01;
      expect(cryptoPaySignature(VECTOR_TOKEN, changed)).not.toBe(VECTOR_SIGNATURE);
    }
    expect(cryptoPaySignature(VECTOR_TOKEN, Buffer.concat([vector, Buffer.from('\n')]))).not.toBe(VECTOR_SIGNATURE);
    expect(cryptoPaySignature('1234:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB', vector)).not.toBe(VECTOR_SIGNATURE);
  });

  it('an emulator started with the vector token signs with it', async () => {
    const e = await startCryptoPayEmulator({ token: VECTOR_TOKEN });
    try {
      expect(e.token).toBe(VECTOR_TOKEN);
      const r = await fetch(`${e.baseUrl}/api/getMe`, { headers: { 'Crypto-Pay-API-Token': VECTOR_TOKEN } });
      expect(((await r.json()) as { result: { app_id: number } }).result.app_id).toBe(1234);
    } finally {
      await e.stop();
    }
    await expect(startCryptoPayEmulator({ token: 'not-a-token' })).rejects.toThrow(/digits/);
  });
});
