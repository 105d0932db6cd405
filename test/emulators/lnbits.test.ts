import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bolt11Amount, startLnbitsEmulator, type LnbitsEmulator } from './lnbits.js';
import { bolt11AmountBtc } from '../../src/connectors/lnbits/transformers.js';

let emu: LnbitsEmulator;

beforeAll(async () => {
  emu = await startLnbitsEmulator();
});
afterAll(async () => {
  await emu?.stop();
});

type Json = Record<string, unknown>;

async function call(method: 'GET' | 'POST', path: string, o: { key?: string | null; body?: string | Json; query?: string } = {}): Promise<{ status: number; json: Json }> {
  const headers: Record<string, string> = {};
  const key = o.key === undefined ? emu.invoiceKey : o.key;
  if (key !== null) headers['X-Api-Key'] = key;
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  const body = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  const res = await fetch(`${emu.baseUrl}/api/v1${path}${o.query ?? ''}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  return { status: res.status, json: (await res.json()) as Json };
}

const incoming = (o: Json = {}) => call('POST', '/payments', { body: { out: false, amount: 1000, unit: 'sat', memo: 'x', ...o } });

/** A receiver that keeps each request's exact bytes and answers with `status`. */
async function receiver(status = 200) {
  const got: Array<{ headers: http.IncomingHttpHeaders; body: Buffer }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, got, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('LNbits emulator: keys', () => {
  it('GET /wallet: the invoice key sees {name, balance}; the admin key also the id; the key may come as ?api-key=', async () => {
    expect(await call('GET', '/wallet')).toEqual({ status: 200, json: { name: 'Shop wallet', balance: emu.balanceMsat } });
    expect((await call('GET', '/wallet', { key: emu.adminKey })).json).toEqual({ id: emu.walletId, name: 'Shop wallet', balance: emu.balanceMsat });
    expect((await call('GET', '/wallet', { key: null, query: `?api-key=${emu.invoiceKey}` })).status).toBe(200);
  });

  it('no key is 401 "No Api Key provided."; a key it does not know is 404 "Wallet not found."', async () => {
    expect(await call('GET', '/wallet', { key: null })).toEqual({ status: 401, json: { detail: 'No Api Key provided.' } });
    expect(await call('GET', '/wallet', { key: 'f'.repeat(32) })).toEqual({ status: 404, json: { detail: 'Wallet not found.' } });
    expect(emu.requests.at(-1)).toMatchObject({ keyType: 'wrong', authentic: false, status: 404 });
  });

  it('the wallet answer can be replaced (its shape is not documented)', async () => {
    emu.options.walletAnswer = (w) => ({ wallet: { balance_msat: w.balanceMsat } });
    try {
      expect((await call('GET', '/wallet')).json).toEqual({ wallet: { balance_msat: emu.balanceMsat } });
    } finally {
      delete emu.options.walletAnswer;
    }
  });
});

describe('LNbits emulator: creating incoming payments', () => {
  it('out:false creates one: 201, a Payment in msat with a BOLT11 of the real shape whose amount matches', async () => {
    const res = await incoming({ amount: 2500, expiry: 600, webhook: 'https://example.com/hook', extra: { order: 7 } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ amount: 2_500_000, fee: 0, status: 'pending', memo: 'x', webhook: 'https://example.com/hook', wallet_id: emu.walletId, extra: { order: 7 }, preimage: null });
    expect(res.json.payment_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(res.json.checking_id).toBe(res.json.payment_hash);
    expect(res.json.bolt11).toBe(res.json.payment_request);
    expect(res.json.bolt11).toMatch(/^lnbc25u1p[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{200,}$/);
    expect(bolt11AmountBtc(res.json.bolt11 as string)).toBe('0.000025');
    expect(Date.parse(res.json.expiry as string) - Date.parse(res.json.time as string)).toBe(600_000);
    expect(emu.requests.at(-1)).toMatchObject({ outOmitted: false, keyType: 'invoice', status: 201 });
  });

  it('records a missing `out`, and refuses it: LNbits reads it as an outgoing payment (403 for an invoice key)', async () => {
    const res = await call('POST', '/payments', { body: { amount: 10, unit: 'sat' } });
    expect(res).toEqual({ status: 403, json: { detail: 'Invalid adminkey.' } });
    expect(emu.requests.at(-1)).toMatchObject({ outOmitted: true });
    expect((await call('POST', '/payments', { key: emu.adminKey, body: { out: true, amount: 10 } })).status).toBe(400);
  });

  it('a fiat unit is priced in whole sats from the exact digits sent', async () => {
    const res = await call('POST', '/payments', { body: '{"out":false,"amount":12.345,"unit":"USD"}' });
    // 12.345 USD at 100000 USD/BTC = 12345 sat.
    expect(res.json).toMatchObject({ amount: 12_345_000, extra: { fiat_currency: 'USD', fiat_amount: 12.345 } });
    expect(emu.requests.at(-1)!.rawBody).toBe('{"out":false,"amount":12.345,"unit":"USD"}');
    expect((await incoming({ unit: 'XYZ' })).status).toBe(400);
  });

  it('validation errors are FastAPI’s 422 {detail: [{loc, msg}]}: a memo over 640 characters, a fractional sat, an amount that is not a number', async () => {
    for (const bad of [{ memo: 'm'.repeat(641) }, { amount: 1.5 }, { amount: '1000' }]) {
      const res = await incoming(bad);
      expect(res.status, JSON.stringify(bad)).toBe(422);
      expect(res.json.detail).toEqual([expect.objectContaining({ loc: expect.arrayContaining(['body']), msg: expect.any(String) })]);
    }
  });

  it('answers like a pre-1.0 server when asked', async () => {
    emu.options.createAnswer = 'legacy';
    try {
      const res = await incoming();
      expect(Object.keys(res.json).sort()).toEqual(['checking_id', 'lnurl_response', 'payment_hash', 'payment_request']);
    } finally {
      emu.options.createAnswer = 'payment';
    }
  });

  it('BOLT11 amounts use the shortest multiplier', () => {
    expect(bolt11Amount(100_000_000_000n)).toBe('1');
    expect(bolt11Amount(150_000_000n)).toBe('1500u');
    expect(bolt11Amount(1000n)).toBe('10n');
    expect(bolt11Amount(1n)).toBe('10p');
    expect(bolt11AmountBtc('lnbc10p1pxyz')).toBe('0.00000000001');
    expect(bolt11AmountBtc('lntb1500u1pxyz')).toBe('0.0015');
    expect(bolt11AmountBtc('lnbc1pxyz')).toBeUndefined();
  });
});

describe('LNbits emulator: status, paying, expiring', () => {
  it('details only for a key of the wallet (a wrong key reads as none); paid after pay(); 404 for an unknown hash', async () => {
    const hash = (await incoming()).json.payment_hash as string;
    expect((await call('GET', `/payments/${hash}`)).json).toMatchObject({ paid: false, status: 'pending', preimage: null, details: { payment_hash: hash } });
    expect((await call('GET', `/payments/${hash}`, { key: null })).json).toEqual({ paid: false, status: 'pending', preimage: null });
    expect((await call('GET', `/payments/${hash}`, { key: 'f'.repeat(32) })).json).toEqual({ paid: false, status: 'pending', preimage: null });
    const balance = emu.balanceMsat;
    emu.pay(hash);
    expect(emu.balanceMsat).toBe(balance + 1_000_000);
    const paid = await call('GET', `/payments/${hash}`);
    expect(paid.json).toMatchObject({ paid: true, preimage: expect.stringMatching(/^[0-9a-f]{64}$/), details: { status: 'success', amount: 1_000_000 } });
    expect(await call('GET', `/payments/${'0'.repeat(64)}`)).toEqual({ status: 404, json: { detail: 'Payment does not exist.' } });
  });

  it('an expired unpaid invoice says failed by default, or what expiredStatus says', async () => {
    const a = (await incoming()).json.payment_hash as string;
    emu.expire(a);
    expect((await call('GET', `/payments/${a}`)).json).toMatchObject({ paid: false, status: 'failed' });
    emu.options.expiredStatus = 'expired';
    try {
      const b = (await incoming()).json.payment_hash as string;
      emu.expire(b);
      expect((await call('GET', `/payments/${b}`)).json).toMatchObject({ paid: false, status: 'expired' });
    } finally {
      emu.options.expiredStatus = 'failed';
    }
  });

  it('failNext answers one call with the injected error (520 carries LNbits’ status field)', async () => {
    emu.failNext('/payments', { status: 520, detail: 'Could not create invoice' });
    expect(await incoming()).toEqual({ status: 520, json: { detail: 'Could not create invoice', status: 'failed' } });
    expect((await incoming()).status).toBe(201);
  });
});

describe('LNbits emulator: webhooks', () => {
  it('posts once, unsigned; the body is the Payment JSON encoded twice (1.1.0+) or, when asked, the object; webhook_status is recorded', async () => {
    const hash = (await incoming()).json.payment_hash as string;
    emu.pay(hash);
    const r = await receiver(500);
    try {
      expect((await emu.sendWebhook(hash, r.url)).status).toBe(500);
      expect(r.got).toHaveLength(1); // no retry after a failure
      const { headers, body } = r.got[0]!;
      expect(headers['content-type']).toBe('application/json');
      expect(Object.keys(headers).filter((k) => /sign|hmac|auth/i.test(k))).toEqual([]);
      const outer = JSON.parse(body.toString()) as unknown;
      expect(typeof outer).toBe('string');
      expect(JSON.parse(outer as string)).toMatchObject({ payment_hash: hash, status: 'success', amount: 1_000_000 });
      expect(emu.payments.get(hash)!.webhook_status).toBe(500);

      await emu.sendWebhook(hash, r.url, { encoding: 'object' });
      expect(JSON.parse(r.got[1]!.body.toString())).toMatchObject({ payment_hash: hash, status: 'success' });
    } finally {
      await r.close();
    }
  });

  it('a forged webhook claims success for a payment that is still pending at the server', async () => {
    const hash = (await incoming()).json.payment_hash as string;
    const r = await receiver();
    try {
      const target = { url: r.url };
      expect(emu.webhookVariants).toEqual(['genuine', 'forged']);
      await emu.sendInvoiceWebhook(hash, target, 'forged');
      expect(JSON.parse(JSON.parse(r.got[0]!.body.toString()) as string)).toMatchObject({ payment_hash: hash, status: 'success' });
      expect((await call('GET', `/payments/${hash}`)).json).toMatchObject({ paid: false, status: 'pending' });
      await expect(emu.sendInvoiceWebhook(hash, target, 'tampered')).rejects.toThrow(/signs nothing/);
    } finally {
      await r.close();
    }
  });

  it('finds a payment by our invoice id (extra.switchyard_invoice_id) or by its hash', async () => {
    const hash = (await incoming({ extra: { switchyard_invoice_id: 'inv_test123' } })).json.payment_hash as string;
    expect(emu.findInvoice({ invoiceId: 'inv_test123' })).toEqual({ upstreamId: hash, invoiceId: 'inv_test123' });
    expect(emu.findInvoice({ upstreamId: hash })).toEqual({ upstreamId: hash, invoiceId: 'inv_test123' });
  });
});
