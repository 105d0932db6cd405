import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClnEmulator, type ClnEmulator } from './cln.js';
import { bech32Valid, bolt11Amount } from './cln-bolt11.js';

let emu: ClnEmulator;
beforeAll(async () => {
  emu = await startClnEmulator();
});
afterAll(() => emu?.stop());

interface Answer {
  status: number;
  json: Record<string, unknown>;
}

async function rpc(method: string, params?: unknown, o: { rune?: string | null; headers?: Record<string, string>; signal?: AbortSignal; base?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...o.headers };
  if (o.rune !== null) headers.Rune = o.rune ?? emu.rune;
  const res = await fetch(`${o.base ?? emu.baseUrl}/v1/${method}`, { method: 'POST', headers, body: params === undefined ? undefined : JSON.stringify(params), signal: o.signal });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

let seq = 0;
const label = () => `test:${++seq}:${Date.now()}`;
async function invoice(params: Record<string, unknown> = {}) {
  const l = (params.label as string | undefined) ?? label();
  const res = await rpc('invoice', { amount_msat: 150_000, description: 'Coffee', ...params, label: l });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return { label: l, ...res.json } as { label: string; bolt11: string; payment_hash: string; expires_at: number; created_index: number };
}

describe('CLN emulator: clnrest auth and envelopes', () => {
  it('a missing rune is 403 (1501), an unknown one 401 (1502), in either header case', async () => {
    expect(await rpc('getinfo', {}, { rune: null })).toEqual({ status: 403, json: { code: 1501, message: 'Not authorized: Missing rune', data: null } });
    expect(await rpc('getinfo', {}, { rune: 'bm90LWEtcnVuZQ' })).toMatchObject({ status: 401, json: { code: 1502, message: 'Rune is not valid' } });
    const lower = await fetch(`${emu.baseUrl}/v1/getinfo`, { method: 'POST', headers: { rune: emu.rune } });
    expect(lower.status).toBe(201);
  });

  it('a revoked rune stops working; a new one works', async () => {
    const r = emu.createRune();
    expect((await rpc('getinfo', {}, { rune: r })).status).toBe(201);
    emu.revokeRune(r);
    expect((await rpc('getinfo', {}, { rune: r })).status).toBe(401);
  });

  it('success is 201 with the bare result; an unknown method 404 (-32601); other RPC errors 500 with lightningd’s code', async () => {
    const info = await rpc('getinfo');
    expect(info).toMatchObject({ status: 201, json: { id: emu.nodeId, alias: expect.any(String), network: 'bitcoin' } });
    expect(emu.nodeId).toMatch(/^0[23][0-9a-f]{64}$/);
    expect(await rpc('nosuchthing', {})).toMatchObject({ status: 404, json: { code: -32601 } });
    expect(await rpc('invoice', { amount_msat: 1, label: 'x' })).toMatchObject({ status: 500, json: { code: -32602, message: 'missing required parameter: description' } });
    expect(await rpc('getinfo', { bogus: 1 })).toMatchObject({ status: 500, json: { code: -32602 } });
  });

  it('error bodies carry data: null, or leave it out, as configured', async () => {
    const other = await startClnEmulator({ errorData: 'omit' });
    try {
      const res = await rpc('getinfo', {}, { base: other.baseUrl, rune: null });
      expect(res.json).toEqual({ code: 1501, message: 'Not authorized: Missing rune' });
    } finally {
      await other.stop();
    }
  });

  it('v23.08 mode: the Nodeid header is required and must name this node', async () => {
    const old = await startClnEmulator({ requireNodeId: true });
    try {
      expect((await rpc('getinfo', {}, { base: old.baseUrl, rune: old.rune })).json).toMatchObject({ code: 1501, message: 'Not authorized: Missing nodeid' });
      expect((await rpc('getinfo', {}, { base: old.baseUrl, rune: old.rune, headers: { Nodeid: emu.nodeId } })).status).toBe(401);
      expect((await rpc('getinfo', {}, { base: old.baseUrl, rune: old.rune, headers: { Nodeid: old.nodeId } })).status).toBe(201);
    } finally {
      await old.stop();
    }
  });

  it('failNext answers the next call as told, after the rune check', async () => {
    emu.failNext('listinvoices', { status: 500, code: -1, message: 'Database error' });
    expect(await rpc('listinvoices', {}, { rune: null })).toMatchObject({ status: 403 });
    expect(await rpc('listinvoices', {})).toMatchObject({ status: 500, json: { code: -1, message: 'Database error' } });
    expect((await rpc('listinvoices', {})).status).toBe(201);
    emu.failNext('getinfo', { status: 502, raw: '<html>Bad Gateway</html>' });
    const res = await fetch(`${emu.baseUrl}/v1/getinfo`, { method: 'POST', headers: { Rune: emu.rune } });
    expect([res.status, await res.text()]).toEqual([502, '<html>Bad Gateway</html>']);
  });
});

describe('CLN emulator: invoices', () => {
  it('invoice answers bolt11, payment_hash, payment_secret, expires_at and created_index; the label must be unique (900)', async () => {
    const before = Math.floor(Date.now() / 1000);
    const inv = await invoice({ expiry: 900 });
    expect(inv).toMatchObject({ payment_hash: expect.stringMatching(/^[0-9a-f]{64}$/), payment_secret: expect.stringMatching(/^[0-9a-f]{64}$/), created_index: expect.any(Number) });
    expect(inv.expires_at - before).toBeGreaterThanOrEqual(899);
    expect(await rpc('invoice', { amount_msat: 1000, label: inv.label, description: 'again' })).toMatchObject({ status: 500, json: { code: 900 } });
  });

  it('the default expiry is a week; the preimage hashes to payment_hash; a preimage used twice is 901', async () => {
    const preimage = 'ab'.repeat(32);
    const inv = await invoice({ preimage });
    expect(inv.payment_hash).toBe(createHash('sha256').update(Buffer.from(preimage, 'hex')).digest('hex'));
    expect(inv.expires_at - Math.floor(Date.now() / 1000)).toBeGreaterThan(604790);
    expect((await rpc('invoice', { amount_msat: 1000, label: label(), description: 'x', preimage })).json).toMatchObject({ code: 901 });
  });

  it('bolt11 is bech32 with the network prefix and the amount in the largest whole unit', async () => {
    const inv = await invoice({ amount_msat: 150_000 });
    expect(inv.bolt11).toMatch(/^lnbc1500n1[02-9ac-hj-np-z]+$/);
    expect(bech32Valid(inv.bolt11)).toBe(true);
    const tampered = inv.bolt11.slice(0, -1) + (inv.bolt11.endsWith('q') ? 'p' : 'q');
    expect(bech32Valid(tampered)).toBe(false);
    expect([bolt11Amount(100_000_000n), bolt11Amount(2_500_000n), bolt11Amount(1_000n), bolt11Amount(1n)]).toEqual(['1m', '25u', '10n', '10p']);
    const regtest = await startClnEmulator({ network: 'regtest' });
    try {
      const res = await rpc('invoice', { amount_msat: 1, label: 'r', description: 'x' }, { base: regtest.baseUrl, rune: regtest.rune });
      expect(res.json.bolt11).toMatch(/^lnbcrt10p1/);
    } finally {
      await regtest.stop();
    }
  });

  it('descriptions over 639 bytes are refused like lightningd does (-32602)', async () => {
    expect((await rpc('invoice', { amount_msat: 1000, label: label(), description: 'é'.repeat(320) })).json).toMatchObject({ code: -32602 });
  });

  it('listinvoices by label shows the invoice unpaid, then paid with pay_index, amount_received_msat, paid_at and the preimage', async () => {
    const inv = await invoice();
    const unpaid = (await rpc('listinvoices', { label: inv.label })).json.invoices as Array<Record<string, unknown>>;
    expect(unpaid).toEqual([expect.objectContaining({ label: inv.label, status: 'unpaid', amount_msat: 150_000, bolt11: inv.bolt11, description: 'Coffee' })]);
    expect(unpaid[0]).not.toHaveProperty('pay_index');
    emu.pay(inv.label, { amountMsat: 160_000n });
    const [paid] = (await rpc('listinvoices', { label: inv.label })).json.invoices as Array<Record<string, unknown>>;
    expect(paid).toMatchObject({ status: 'paid', pay_index: expect.any(Number), amount_received_msat: 160_000, paid_at: expect.any(Number), payment_preimage: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(createHash('sha256').update(Buffer.from(paid!.payment_preimage as string, 'hex')).digest('hex')).toBe(inv.payment_hash);
    expect(Object.keys(paid!).slice(0, 5)).toEqual(['label', 'bolt11', 'payment_hash', 'amount_msat', 'status']);
  });

  it('an expired invoice lists as expired and cannot be paid', async () => {
    const inv = await invoice();
    emu.expire(inv.label);
    expect(((await rpc('listinvoices', { label: inv.label })).json.invoices as Array<{ status: string }>)[0]!.status).toBe('expired');
    expect(() => emu.pay(inv.label)).toThrow(/expired/);
  });

  it('delinvoice deletes only with the matching status: 905 unknown, 906 with current_status otherwise', async () => {
    const inv = await invoice();
    expect(await rpc('delinvoice', { label: inv.label, status: 'paid' })).toMatchObject({ status: 500, json: { code: 906, data: { current_status: 'unpaid', expected_status: 'paid' } } });
    expect(await rpc('delinvoice', { label: inv.label, status: 'unpaid' })).toMatchObject({ status: 201, json: { label: inv.label, status: 'unpaid' } });
    expect(await rpc('delinvoice', { label: inv.label, status: 'unpaid' })).toMatchObject({ status: 500, json: { code: 905 } });
    expect((await rpc('listinvoices', { label: inv.label })).json.invoices).toEqual([]);
  });
});

describe('CLN emulator: waitanyinvoice', () => {
  it('answers at once with the first payment after lastpay_index, pay_index increasing per payment', async () => {
    const a = await invoice();
    const b = await invoice();
    const pa = emu.pay(a.label).pay_index!;
    const pb = emu.pay(b.label).pay_index!;
    expect(pb).toBe(pa + 1);
    expect(await rpc('waitanyinvoice', { lastpay_index: pa - 1 })).toMatchObject({ status: 201, json: { label: a.label, pay_index: pa } });
    expect(await rpc('waitanyinvoice', { lastpay_index: pa })).toMatchObject({ status: 201, json: { label: b.label, pay_index: pb } });
  });

  it('holds the request until a payment arrives, counting it in flight per rune', async () => {
    const r = emu.createRune();
    const after = Math.max(0, ...[...emu.invoices.values()].map((i) => i.pay_index ?? 0));
    const inv = await invoice();
    const waiting = rpc('waitanyinvoice', { lastpay_index: after, timeout: 30 }, { rune: r });
    await expect.poll(() => emu.activeWaits(r)).toBe(1);
    emu.pay(inv.label);
    expect(await waiting).toMatchObject({ status: 201, json: { label: inv.label, status: 'paid', pay_index: after + 1 } });
    expect(emu.activeWaits(r)).toBe(0);
    expect(emu.peakWaits(r)).toBe(1);
  });

  it('times out with 904 after `timeout` seconds; timeout 0 answers at once', async () => {
    const after = Math.max(0, ...[...emu.invoices.values()].map((i) => i.pay_index ?? 0));
    expect(await rpc('waitanyinvoice', { lastpay_index: after, timeout: 0 })).toMatchObject({ status: 500, json: { code: 904, message: 'Timed out while waiting for invoice to be paid' } });
    const started = Date.now();
    expect((await rpc('waitanyinvoice', { lastpay_index: after, timeout: 1 })).json.code).toBe(904);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('a client that goes away stops counting', async () => {
    const r = emu.createRune();
    const stop = new AbortController();
    const waiting = rpc('waitanyinvoice', { lastpay_index: 1_000_000, timeout: 60 }, { rune: r, signal: stop.signal }).catch(() => 'aborted');
    await expect.poll(() => emu.activeWaits(r)).toBe(1);
    stop.abort();
    expect(await waiting).toBe('aborted');
    await expect.poll(() => emu.activeWaits(r)).toBe(0);
  });
});

describe('CLN emulator: the shared interface', () => {
  it('finds the newest invoice whose label carries our invoice id; pays and expires by label; sends no webhooks', async () => {
    const inv = 'inv_01JTESTCLNEMULATOR00000000';
    const first = await invoice({ label: `switchyard:${inv}:aa` });
    const second = await invoice({ label: `switchyard:${inv}:bb` });
    expect(emu.findInvoice({ invoiceId: inv })).toEqual({ upstreamId: second.label, invoiceId: inv });
    expect(emu.findInvoice({ upstreamId: first.label })).toEqual({ upstreamId: first.label, invoiceId: inv });
    await emu.payInFull(second.label);
    expect(emu.invoices.get(second.label)!.status).toBe('paid');
    await emu.expireUnpaid!(first.label);
    expect(emu.invoices.get(first.label)!.status).toBe('expired');
    expect(emu.webhookVariants).toEqual([]);
    await expect(emu.sendInvoiceWebhook(first.label, { url: 'http://127.0.0.1:1/' })).rejects.toThrow(/no webhooks/);
  });
});
