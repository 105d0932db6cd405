import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../src/db/knex.js';
import { createProxiedDatabase, dropDatabase, refuseInserts } from './helpers/databases.js';
import { startHarness, type Harness } from './helpers/harness.js';
import { connectGatewayAccount, createShop, type Shop } from './helpers/factories.js';
import type { TcpProxy } from './helpers/tcp-proxy.js';
import { startCryptoPayEmulator, type CryptoPayEmulator } from './emulators/cryptopay.js';

/**
 * Creates whose write committed but whose answer from PostgreSQL was lost (the connection cut
 * right after the commit). The object is stored, and so is its Idempotency-Key's answer (they
 * commit together): a retry with the same key is shown that object and writes no second one. For
 * an invoice the upstream invoice it points at must stay open, for the buyer to pay. (A fault test
 * once caught the create withdrawing it upstream here.)
 */

let h: Harness;
let db: Db;
let dbName: string;
let proxy: TcpProxy;
let emu: CryptoPayEmulator;
let shop: Shop;

beforeAll(async () => {
  const database = await createProxiedDatabase();
  ({ name: dbName, proxy } = database);
  db = createDb(database.directUrl);
  h = await startHarness({ DATABASE_URL: database.proxiedUrl });
  emu = await startCryptoPayEmulator();
  shop = await createShop(h, 'Lost answers');
  await connectGatewayAccount(h, shop.testKey, { connector: 'cryptopay', ...emu.account });
});

afterAll(async () => {
  await h?.close();
  await emu?.stop();
  await proxy?.close();
  await db?.destroy();
  if (dbName) await dropDatabase(dbName);
});

describe('an invoice create whose commit answer is lost', () => {
  it('keeps the upstream invoice open; the retry with the same key replays the stored invoice, which can be paid', async () => {
    const body = { amount: '7', currency: 'USDT', external_id: 'lost-answer-1' };
    const headers = { 'Idempotency-Key': 'lost-answer-key' };
    // The create's one statement is a named prepared statement; its name is in every execution's bytes.
    const lost = proxy.loseAnswerTo('invoice_create_');
    const first = await h.client.post('/v1/invoices', { auth: shop.testKey, body, headers });
    await lost;
    expect(first.status, JSON.stringify(first.body)).toBeGreaterThanOrEqual(500);

    // It committed: one invoice, pointing at an upstream invoice that was not withdrawn.
    const stored = (await db('invoices').where({ tenant_id: shop.id })) as Array<{ id: string; upstream_id: string }>;
    expect(stored).toHaveLength(1);
    expect(emu.requests.filter((r) => r.apiMethod === 'deleteInvoice')).toEqual([]);
    expect(emu.invoices.has(Number(stored[0]!.upstream_id))).toBe(true);

    const retry = await h.client.post('/v1/invoices', { auth: shop.testKey, body, headers });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toMatchObject({ id: stored[0]!.id, gateway: { connector: 'cryptopay', upstream_id: stored[0]!.upstream_id } });
    expect(emu.pay(Number(stored[0]!.upstream_id)).status).toBe('paid');
    expect(await db('invoices').where({ tenant_id: shop.id }).count('* as n')).toEqual([{ n: '1' }]);
  });

  it('still withdraws the upstream invoice when PostgreSQL refused the write: nothing was stored', async () => {
    await refuseInserts(db, 'invoices', 'external_id', 'refused-1');
    const upstreamBefore = [...emu.invoices.keys()];
    const deletesBefore = emu.requests.filter((r) => r.apiMethod === 'deleteInvoice').length;
    const before = (await db('invoices').where({ tenant_id: shop.id }).count('* as n'))[0]!.n;
    const res = await h.client.post('/v1/invoices', { auth: shop.testKey, body: { amount: '2', currency: 'USDT', external_id: 'refused-1' } });
    expect(res.status).toBe(500);
    expect((await db('invoices').where({ tenant_id: shop.id }).count('* as n'))[0]!.n).toBe(before);
    // The upstream invoice opened for it was deleted again: upstream holds what it held before.
    const deleted = emu.requests.filter((r) => r.apiMethod === 'deleteInvoice').slice(deletesBefore);
    expect(deleted).toHaveLength(1);
    expect(upstreamBefore).not.toContain(deleted[0]!.params.invoice_id);
    expect([...emu.invoices.keys()]).toEqual(upstreamBefore);
  });
});

describe('a create inside a transaction whose COMMIT answer is lost', () => {
  const lostCommit = async (path: string, body: Record<string, unknown>, key: string, status = 201) => {
    const headers = { 'Idempotency-Key': key };
    const lost = proxy.loseAnswerTo('COMMIT');
    const first = await h.client.post(path, { auth: shop.testKey, body, headers });
    expect(first.status, JSON.stringify(first.body)).toBeGreaterThanOrEqual(500);
    await lost;
    const retry = await h.client.post(path, { auth: shop.testKey, body, headers });
    expect(retry.status, JSON.stringify(retry.body)).toBe(status);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    return retry.body as { id: string; secret?: string };
  };

  it('a webhook endpoint: the retry replays the one stored endpoint, its secret included', async () => {
    const url = 'https://shop.example/hooks/lost-commit';
    const replayed = await lostCommit('/v1/webhook-endpoints', { url }, 'lost-commit-endpoint');
    const rows = (await db('webhook_endpoints').where({ tenant_id: shop.id, url })) as Array<{ id: string }>;
    expect(rows.map((r) => r.id)).toEqual([replayed.id]);
    expect(replayed.secret).toMatch(/^whsec_/);
  });

  it('a gateway account: the retry replays the one stored account', async () => {
    const replayed = await lostCommit('/v1/gateway-accounts', { connector: 'cryptopay', name: 'lost commit', ...emu.account }, 'lost-commit-account');
    const rows = (await db('gateway_accounts').where({ tenant_id: shop.id, name: 'lost commit' })) as Array<{ id: string }>;
    expect(rows.map((r) => r.id)).toEqual([replayed.id]);
  });

  it('a refund: the retry replays it, and the money went back once', async () => {
    const created = await h.client.post('/v1/invoices', { auth: shop.testKey, body: { amount: '3', currency: 'USD', gateway: 'sandbox' } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await h.client.post(`/v1/invoices/${id}/simulate`, { auth: shop.testKey, body: { status: 'paid' } })).status).toBe(200);
    const replayed = await lostCommit(`/v1/invoices/${id}/refund`, {}, 'lost-commit-refund', 200);
    expect(replayed).toMatchObject({ id, status: 'refunded' });
    const [row] = (await db('invoices').where({ id })) as Array<{ status: string; refunds: unknown[] }>;
    expect(row!.status).toBe('refunded');
    expect(row!.refunds).toHaveLength(1);
  });
});
