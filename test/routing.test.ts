import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, createClient, type Harness } from './helpers/harness.js';
import { connectGatewayAccount, createShop } from './helpers/factories.js';
import { startCryptoPayEmulator, type CryptoPayEmulator } from './emulators/cryptopay.js';
import { createCore } from '../src/wiring.js';
import { createApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';

let h: Harness;
let primary: CryptoPayEmulator;
let backup: CryptoPayEmulator;

beforeAll(async () => {
  // Open long enough that the steps of a test run inside it (they take milliseconds), short enough to wait out.
  h = await startHarness({ CIRCUIT_BREAKER_FAILURES: '2', CIRCUIT_BREAKER_OPEN_SECONDS: '3' });
  [primary, backup] = await Promise.all([startCryptoPayEmulator(), startCryptoPayEmulator()]);
});
afterAll(async () => {
  await Promise.all([primary?.stop(), backup?.stop()]);
  await h?.close();
});

/** A tenant with two Crypto Pay accounts: the primary (priority 10) and a backup (priority 0). */
async function twoAccounts() {
  const shop = await createShop(h, 'Routed');
  const connect = async (emu: CryptoPayEmulator, priority: number) => (await connectGatewayAccount(h, shop.testKey, { connector: 'cryptopay', ...emu.account, priority })).id;
  return { shop, primaryId: await connect(primary, 10), backupId: await connect(backup, 0) };
}

const create = (key: string) => h.client.post('/v1/invoices', { auth: key, body: { amount: '1', currency: 'USDT', gateway: 'cryptopay' } });
const calls = (emu: CryptoPayEmulator) => emu.requests.filter((r) => r.apiMethod === 'createInvoice').length;

describe('routing and failover', () => {
  it('an upstream 503 fails over to the next account within the same request; every try is on the invoice', async () => {
    const { shop, primaryId, backupId } = await twoAccounts();
    primary.failNext('createInvoice', { status: 503, raw: 'Service Unavailable' });
    const res = await create(shop.testKey);
    expect(res.status).toBe(201);
    expect(res.body.gateway.account_id).toBe(backupId);
    expect(res.body.gateway.attempts).toEqual([
      expect.objectContaining({ account_id: primaryId, outcome: 'failed', code: 'HTTP_503' }),
      expect.objectContaining({ account_id: backupId, outcome: 'succeeded', code: null }),
    ]);
  });

  it('a decline (4xx) is not retried elsewhere', async () => {
    const { shop } = await twoAccounts();
    const before = calls(backup);
    primary.failNext('createInvoice', { status: 400, name: 'EXPIRES_IN_INVALID' });
    const res = await create(shop.testKey);
    expect(res.status).toBe(502);
    expect(res.body.attempts).toEqual([expect.objectContaining({ outcome: 'declined', code: 'EXPIRES_IN_INVALID' })]);
    expect(calls(backup)).toBe(before);
  });

  it('the circuit opens after consecutive retryable failures, skips the account, then a probe closes it', async () => {
    const { shop, primaryId, backupId } = await twoAccounts();
    primary.failNext('createInvoice', { status: 502, raw: 'Bad Gateway', times: 2 });
    expect((await create(shop.testKey)).body.gateway.account_id).toBe(backupId);
    expect((await create(shop.testKey)).body.gateway.account_id).toBe(backupId);
    const open = await h.client.get(`/v1/gateway-accounts/${primaryId}`, { auth: shop.testKey });
    expect(open.body.circuit).toMatchObject({ state: 'open', consecutive_failures: 2, open_until: expect.any(String) });

    const primaryCalls = calls(primary);
    const skipped = await create(shop.testKey);
    expect(skipped.body.gateway.account_id).toBe(backupId);
    expect(skipped.body.gateway.attempts).toHaveLength(1);
    expect(calls(primary)).toBe(primaryCalls);

    // Once the open period ends, one request probes the primary; it works, the circuit closes.
    await eventually(async () => expect((await h.client.get(`/v1/gateway-accounts/${primaryId}`, { auth: shop.testKey })).body.circuit.state).toBe('half_open'));
    const probe = await create(shop.testKey);
    expect(probe.body.gateway.account_id).toBe(primaryId);
    const closed = await h.client.get(`/v1/gateway-accounts/${primaryId}`, { auth: shop.testKey });
    expect(closed.body.circuit).toEqual({ state: 'closed', consecutive_failures: 0, open_until: null });
  });

  it('two API processes share circuit state through Redis', async () => {
    const { shop, primaryId } = await twoAccounts();
    // A second, independent API process (its own core and app) on the same PostgreSQL and Redis.
    const other = createCore(h.config, createLogger('silent'), { db: h.core.db });
    try {
      const client = createClient(await createApp(other));
      primary.failNext('createInvoice', { status: 500, raw: 'oops', times: 2 });
      await create(shop.testKey);
      await create(shop.testKey);
      // What the first process recorded, the second one reads (the state may already be half open).
      const seen = await client.get(`/v1/gateway-accounts/${primaryId}`, { auth: shop.testKey });
      expect(seen.body.circuit).toMatchObject({ consecutive_failures: 2, open_until: expect.any(String) });
      // And routes by it: while the circuit is open the second process goes straight to the backup.
      if (Date.parse(seen.body.circuit.open_until) - Date.now() > 1000) {
        const routed = await client.post('/v1/invoices', { auth: shop.testKey, body: { amount: '1', currency: 'USDT', gateway: 'cryptopay' } });
        expect(routed.status).toBe(201);
        expect(routed.body.gateway.attempts.map((a: { account_id: string }) => a.account_id)).not.toContain(primaryId);
      }
    } finally {
      await other.breaker.close();
      other.redis.disconnect();
      await other.deliveryQueue.close();
      await other.upstreamWebhookQueue.close();
    }
  });

  it('when every candidate is paused, no_gateway_available says why for each', async () => {
    const shop = await h.createTenant('All paused');
    const id = (
      await h.client.post('/v1/gateway-accounts', {
        auth: shop.testKey,
        body: { connector: 'cryptopay', credentials: { token: primary.token }, config: { base_url: primary.baseUrl } },
      })
    ).body.id;
    primary.failNext('createInvoice', { status: 503, raw: 'down', times: 2 });
    expect((await create(shop.testKey)).status).toBe(502);
    expect((await create(shop.testKey)).status).toBe(502);
    const res = await create(shop.testKey);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('no_gateway_available');
    expect(res.body.rejected).toEqual(expect.arrayContaining([{ account_id: id, reason: expect.stringContaining('circuit open') }]));
  });

  it('counts opened circuits in metrics', async () => {
    const { default: supertest } = await import('supertest');
    const text = (await supertest(h.app).get('/metrics')).text;
    expect(text).toMatch(/switchyard_circuit_opened_total\{connector="cryptopay"\} [1-9]/);
    expect(text).toMatch(/switchyard_routing_skipped_total\{connector="cryptopay"\} [1-9]/);
  });
});
