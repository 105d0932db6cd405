import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers/harness.js';

// What the spec itself refuses, and how: one readable error per field, named like the server's own.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const errorsOf = (res: { body: { errors?: Array<{ field: string; code?: string }> } }) => (res.body.errors ?? []).map((e) => ({ field: e.field, code: e.code }));

describe('gateway account create: one body schema per connector', () => {
  it('a config key of another connector (speed_policy on Crypto Pay) is 422 naming /body/config/speed_policy, and nothing is saved', async () => {
    const shop = await h.createTenant('Foreign config key');
    const res = await h.client.post('/v1/gateway-accounts', {
      auth: shop.testKey,
      body: { connector: 'cryptopay', credentials: { token: '1:x' }, config: { speed_policy: 'MediumSpeed' } },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors).toEqual([{ field: '/body/config/speed_policy', message: 'is not a known field', code: 'additionalProperties' }]);
    expect((await h.client.get('/v1/gateway-accounts?connector=cryptopay', { auth: shop.testKey })).body.data).toEqual([]);
  });

  it('a value the connector refuses is reported by that connector’s schema only', async () => {
    const shop = await h.createTenant('Bad config value');
    const res = await h.client.post('/v1/gateway-accounts', {
      auth: shop.testKey,
      body: { connector: 'cryptopay', credentials: { token: '1:x' }, config: { environment: 'devnet' } },
    });
    expect(res.status).toBe(422);
    expect(errorsOf(res)).toEqual([{ field: '/body/config/environment', code: 'enum' }]);
  });

  it('a missing, unknown or non-string connector is a plain /body/connector error', async () => {
    const shop = await h.createTenant('Connector errors');
    const send = (body: Record<string, unknown>) => h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { credentials: {}, ...body } });
    expect(errorsOf(await send({}))).toEqual([{ field: '/body/connector', code: 'required' }]);
    expect(errorsOf(await send({ connector: 'paypal' }))).toEqual([{ field: '/body/connector', code: 'enum' }]);
    expect(errorsOf(await send({ connector: 7 }))).toEqual([{ field: '/body/connector', code: 'type' }]);
  });
});

describe('gateway account update: config fits one of the connectors’ schemas', () => {
  const sandboxOf = async (key: string) => (await h.client.get('/v1/gateway-accounts?connector=sandbox', { auth: key })).body.data[0].id as string;

  it('names the offending key once, not once per connector', async () => {
    const shop = await h.createTenant('Patch config');
    const id = await sandboxOf(shop.testKey);
    const patch = (config: unknown) => h.client.patch(`/v1/gateway-accounts/${id}`, { auth: shop.testKey, body: { config } });

    const unknown = await patch({ colour: 'blue' });
    expect(unknown.status).toBe(422);
    expect(errorsOf(unknown)).toEqual([{ field: '/body/config/colour', code: 'additionalProperties' }]);
    // Known to most connectors: what is wrong is the value, not the key.
    expect(errorsOf(await patch({ base_url: 'ftp://upstream.example.com' }))).toEqual([{ field: '/body/config/base_url', code: 'pattern' }]);
    expect(errorsOf(await patch({ speed_policy: 'Warp' }))).toEqual([{ field: '/body/config/speed_policy', code: 'enum' }]);
    expect(errorsOf(await patch('all'))).toEqual([{ field: '/body/config', code: 'type' }]);
  });
});

describe('typed query parameters', () => {
  it('arrive as their schema types: verified=true lists only verified upstream webhooks', async () => {
    const hook = await h.client.post('/hooks/cryptopay/ga_00000000000000000000000000', { body: { update_type: 'invoice_paid' } });
    expect(hook.status).toBe(404);
    const list = (verified: boolean) => h.client.get(`/admin/v1/upstream-webhooks?connector=cryptopay&verified=${verified}`, { auth: h.operatorToken });
    const unverified = await list(false);
    expect(unverified.status).toBe(200);
    expect(unverified.body.data).toHaveLength(1);
    expect(unverified.body.data[0]).toMatchObject({ verified: false, verification_error: 'unknown_account' });
    expect((await list(true)).body.data).toEqual([]);
  });
});
