import { CONNECTOR_IDS } from '../src/connectors/connector-ids.js';
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

describe('validation messages say what is allowed', () => {
  const errorOf = async (res: Promise<{ status: number; body: { errors?: Array<{ field: string; message: string; code?: string }> } }>) => {
    const answer = await res;
    expect(answer.status).toBe(422);
    return answer.body.errors!;
  };

  it('an enum lists its values (a query parameter, a body field, the gateway account’s connector)', async () => {
    const shop = await h.createTenant('Enum messages');
    expect(await errorOf(h.client.get('/v1/invoices?status=open', { auth: shop.testKey }))).toEqual([
      { field: '/query/status', message: 'must be one of: pending, processing, paid, expired, cancelled, failed, refunded', code: 'enum' },
    ]);
    const [selection] = await errorOf(h.client.post('/v1/invoices', { auth: shop.testKey, body: { amount: '1', currency: 'USD', gateway_selection: 'random' } }));
    expect(selection).toEqual({ field: '/body/gateway_selection', message: 'must be one of: auto, buyer', code: 'enum' });
    const [connector] = await errorOf(h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'paypal', credentials: {} } }));
    expect(connector).toMatchObject({ field: '/body/connector', code: 'enum' });
    // Every connector of this build, named.
    for (const id of CONNECTOR_IDS) expect(connector!.message).toContain(id);
    expect(connector!.message).toMatch(/^must be one of: /);
  });

  it('a currency in lower case is told to use the upper-case code', async () => {
    const shop = await h.createTenant('Currency case');
    expect(await errorOf(h.client.post('/v1/invoices', { auth: shop.testKey, body: { amount: '1', currency: 'usd' } }))).toEqual([
      { field: '/body/currency', message: 'use the upper-case code, e.g. USD', code: 'pattern' },
    ]);
    const [asset] = await errorOf(h.client.post('/v1/invoices', { auth: shop.testKey, body: { amount: '1', currency: 'USD', accepted_assets: ['btc-ln'] } }));
    expect(asset).toEqual({ field: '/body/accepted_assets/0', message: 'use the upper-case code, e.g. BTC-LN', code: 'pattern' });
  });

  it('an amount of the wrong form shows the expected form', async () => {
    const shop = await h.createTenant('Amount form');
    for (const amount of ['1,50', '-1', '1e3', '01.5']) {
      const [error] = await errorOf(h.client.post('/v1/invoices', { auth: shop.testKey, body: { amount, currency: 'USD' } }));
      expect(error).toMatchObject({ field: '/body/amount', code: 'pattern' });
      expect(error!.message).toMatch(/^must look like "9\.99" \(a non-negative decimal amount as a string: .*no sign, no exponent, no leading zeros\)$/);
    }
  });

  it('a URL WHATWG cannot parse says an absolute URL is expected, with an example', async () => {
    const shop = await h.createTenant('URL form');
    const [error] = await errorOf(h.client.post('/v1/webhook-endpoints', { auth: shop.testKey, body: { url: 'http://256.256.256.256/' } }));
    expect(error).toMatchObject({ field: '/body/url', code: 'format' });
    expect(error!.message).toMatch(/^must be an absolute URL, e\.g\. https:\/\//);
  });

  it('an empty body says the body is empty', async () => {
    const shop = await h.createTenant('Empty body');
    for (const path of ['/v1/invoices', '/v1/webhook-endpoints']) {
      expect(await errorOf(h.client.post(path, { auth: shop.testKey }))).toEqual([{ field: '/body', message: 'the body is empty: send a JSON object', code: 'required' }]);
    }
  });

  it('an id of the wrong shape is a 404 like any unknown id; an invalid query or body value stays a 422', async () => {
    const shop = await h.createTenant('Id shapes');
    for (const path of ['/v1/gateway-accounts/ga_bad', '/v1/webhook-endpoints/nope', '/v1/events/inv_01JWRF885RR8D8Z0K51D16FDPH', '/v1/invoices/x/checkout']) {
      const res = await h.client.get(path, { auth: shop.testKey });
      expect(res.status, path).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
    expect((await h.client.get('/v1/invoices?limit=0', { auth: shop.testKey })).status).toBe(422);
    expect((await h.client.get('/v1/invoices?starting_after=', { auth: shop.testKey })).status).toBe(422);
  });
});
