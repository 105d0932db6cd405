import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { createClient, eventually, startHarness, type Client, type Harness } from './helpers/harness.js';
import { createCore, type Core } from '../src/wiring.js';
import { createApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';

/** Well-formed (matches the key pattern) but never issued. */
const UNKNOWN_TEST_KEY = `sy_test_${'A'.repeat(43)}`;
const ENDPOINTS = ['/v1/connectors', '/v1/invoices'] as const;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

function expectProblem(res: supertest.Response, status: number, code: string, mustNotContain: string[] = []): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.code).toBe(code);
  const text = JSON.stringify(res.body);
  for (const s of [h.env.OPERATOR_JWT_SECRET!, h.env.MASTER_KEY!, ...mustNotContain]) expect(text).not.toContain(s);
}

/** A problem body without the per-request parts, to compare two answers. */
function stable(res: supertest.Response): unknown {
  const { request_id: _ignored, ...rest } = res.body as Record<string, unknown>;
  return rest;
}

async function newKey(tenantId: string, mode: 'test' | 'live' = 'test'): Promise<{ id: string; secret: string; prefix: string }> {
  const res = await h.client.post(`/admin/v1/tenants/${tenantId}/api-keys`, { auth: h.operatorToken, body: { mode } });
  expect(res.status).toBe(201);
  return res.body;
}

async function listKeys(harness: Harness, tenantId: string): Promise<Array<{ id: string; last_used_at: string | null }>> {
  const res = await harness.client.get(`/admin/v1/tenants/${tenantId}/api-keys?limit=100`, { auth: harness.operatorToken });
  expect(res.status).toBe(200);
  return res.body.data;
}

describe('GET /v1/connectors', () => {
  it('lists the sandbox connector with its capabilities', async () => {
    const tenant = await h.createTenant();
    const res = await h.client.get('/v1/connectors', { auth: tenant.testKey });
    expect(res.status).toBe(200);
    expect(res.body.object).toBe('list');
    expect(res.body.has_more).toBe(false);
    const sandbox = res.body.data.find((c: { id: string }) => c.id === 'sandbox');
    expect(sandbox).toMatchObject({
      object: 'connector',
      modes: ['test'],
      credential_fields: [],
      capabilities: {
        currencies: expect.any(Array),
        currency_kinds: expect.arrayContaining(['fiat', 'crypto']),
        min_expires_in: expect.any(Number),
        max_expires_in: expect.any(Number),
        cancel: true,
        sync: expect.any(Boolean),
        balance: expect.any(Boolean),
        webhooks: expect.any(Boolean),
      },
    });
    expect(sandbox.name).toEqual(expect.any(String));
    expect(sandbox.capabilities.min_expires_in).toBeLessThanOrEqual(sandbox.capabilities.max_expires_in);
  });

  it('answers test and live keys alike (the list is static)', async () => {
    const tenant = await h.createTenant();
    const test = await h.client.get('/v1/connectors', { auth: tenant.testKey });
    const live = await h.client.get('/v1/connectors', { auth: tenant.liveKey });
    expect(test.status).toBe(200);
    expect(live.status).toBe(200);
    expect(live.body).toEqual(test.body);
  });
});

describe.each(ENDPOINTS)('tenant authentication on GET %s', (path) => {
  it('a valid test key is accepted', async () => {
    const tenant = await h.createTenant();
    const res = await h.client.get(path, { auth: tenant.testKey });
    expect(res.status).toBe(200);
    expect(res.body.object).toBe('list');
  });

  it('the Bearer scheme name is case-insensitive', async () => {
    const tenant = await h.createTenant();
    const res = await h.client.get(path, { headers: { Authorization: `bearer ${tenant.testKey}` } });
    expect(res.status).toBe(200);
  });

  it('a missing Authorization header is 401 unauthorized', async () => {
    expectProblem(await h.client.get(path), 401, 'unauthorized');
  });

  it('Basic authentication is 401', async () => {
    expectProblem(await h.client.get(path, { headers: { Authorization: 'Basic x' } }), 401, 'unauthorized');
  });

  it('a real key sent with the Basic scheme is 401', async () => {
    const tenant = await h.createTenant();
    const res = await h.client.get(path, { headers: { Authorization: `Basic ${tenant.testKey}` } });
    expectProblem(res, 401, 'unauthorized', [tenant.testKey]);
  });

  it('a bearer token that is not an API key is 401 (malformed key)', async () => {
    const res = await h.client.get(path, { auth: 'nonsense' });
    expectProblem(res, 401, 'unauthorized', ['nonsense']);
    expect(res.body.detail).toMatch(/malformed/i);
  });

  it('a well-formed but unknown key is 401 "Unknown API key"', async () => {
    const res = await h.client.get(path, { auth: UNKNOWN_TEST_KEY });
    expectProblem(res, 401, 'unauthorized', [UNKNOWN_TEST_KEY]);
    expect(res.body.detail).toBe('Unknown API key');
  });

  it('a revoked key is 401', async () => {
    const tenant = await h.createTenant();
    const key = await newKey(tenant.id);
    expect((await h.client.get(path, { auth: key.secret })).status).toBe(200);
    expect((await h.client.delete(`/admin/v1/api-keys/${key.id}`, { auth: h.operatorToken })).status).toBe(200);
    const res = await h.client.get(path, { auth: key.secret });
    expectProblem(res, 401, 'unauthorized', [key.secret]);
    expect(res.body.detail).toMatch(/revoked/i);
    // Revoking one key leaves the tenant's other keys working.
    expect((await h.client.get(path, { auth: tenant.testKey })).status).toBe(200);
  });

  it('an operator JWT is not a tenant key: 401', async () => {
    const res = await h.client.get(path, { auth: h.operatorToken });
    expectProblem(res, 401, 'unauthorized', [h.operatorToken]);
  });

  it("a suspended tenant's keys are 403 tenant_suspended, and work again after reactivation", async () => {
    const tenant = await h.createTenant();
    const suspend = await h.client.patch(`/admin/v1/tenants/${tenant.id}`, { auth: h.operatorToken, body: { status: 'suspended' } });
    expect(suspend.status).toBe(200);
    for (const key of [tenant.testKey, tenant.liveKey]) {
      expectProblem(await h.client.get(path, { auth: key }), 403, 'tenant_suspended', [key]);
    }
    const reactivate = await h.client.patch(`/admin/v1/tenants/${tenant.id}`, { auth: h.operatorToken, body: { status: 'active' } });
    expect(reactivate.status).toBe(200);
    for (const key of [tenant.testKey, tenant.liveKey]) {
      expect((await h.client.get(path, { auth: key })).status).toBe(200);
    }
  });
});

describe('API key bookkeeping and error answers', () => {
  it('last_used_at is null until the key is first used, then set', async () => {
    const tenant = await h.createTenant();
    const key = await newKey(tenant.id);
    const before = (await listKeys(h, tenant.id)).find((k) => k.id === key.id)!;
    expect(before.last_used_at).toBeNull();

    const startedAt = Date.now();
    expect((await h.client.get('/v1/connectors', { auth: key.secret })).status).toBe(200);
    const after = await eventually(async () => {
      const k = (await listKeys(h, tenant.id)).find((x) => x.id === key.id)!;
      expect(k.last_used_at).not.toBeNull();
      return k;
    });
    expect(new Date(after.last_used_at!).getTime()).toBeGreaterThan(startedAt - 5_000);
    // Only the key that was used is marked.
    const others = (await listKeys(h, tenant.id)).filter((k) => k.id !== key.id);
    for (const k of others) expect(k.last_used_at).toBeNull();
  });

  it('a failed authentication does not mark the key as used', async () => {
    const tenant = await h.createTenant();
    const key = await newKey(tenant.id);
    await h.client.delete(`/admin/v1/api-keys/${key.id}`, { auth: h.operatorToken });
    expect((await h.client.get('/v1/connectors', { auth: key.secret })).status).toBe(401);
    // A later successful request with another key is recorded; the refused one still is not.
    expect((await h.client.get('/v1/connectors', { auth: tenant.liveKey })).status).toBe(200);
    await eventually(async () => {
      const keys = await listKeys(h, tenant.id);
      expect(keys.some((k) => k.id !== key.id && k.last_used_at !== null)).toBe(true);
    });
    expect((await listKeys(h, tenant.id)).find((k) => k.id === key.id)!.last_used_at).toBeNull();
  });

  it("a 401 for a key does not reveal whether a similar key exists", async () => {
    const tenant = await h.createTenant();
    const real = tenant.testKey;
    const lastChar = real.at(-1) === 'A' ? 'B' : 'A';
    const nearMiss = `${real.slice(0, -1)}${lastChar}`;
    const otherMode = real.replace(/^sy_test_/, 'sy_live_');

    const unknown = await h.client.get('/v1/connectors', { auth: UNKNOWN_TEST_KEY });
    const near = await h.client.get('/v1/connectors', { auth: nearMiss });
    const mode = await h.client.get('/v1/connectors', { auth: otherMode });
    for (const res of [near, mode]) {
      expectProblem(res, 401, 'unauthorized', [real, nearMiss, otherMode, tenant.id]);
      expect(stable(res)).toEqual(stable(unknown));
    }
    expect(unknown.body.detail).toBe('Unknown API key');
  });

  it('a revoked key\'s 401 names neither the key, its tenant nor its prefix', async () => {
    const tenant = await h.createTenant();
    const key = await newKey(tenant.id);
    await h.client.delete(`/admin/v1/api-keys/${key.id}`, { auth: h.operatorToken });
    const res = await h.client.get('/v1/invoices', { auth: key.secret });
    expectProblem(res, 401, 'unauthorized', [key.secret, key.id, key.prefix, tenant.id]);
    expect(res.body.detail).toMatch(/revoked/i);
  });

  it('authentication failures carry no rate-limit headers of a key', async () => {
    const res = await h.client.get('/v1/connectors', { auth: UNKNOWN_TEST_KEY });
    expect(res.status).toBe(401);
    expect(res.headers['ratelimit-remaining']).toBeUndefined();
  });
});

describe('rate limiting (RATE_LIMIT_MAX=3 per 60 s)', () => {
  let rl: Harness;
  let second: { core: Core; client: Client } | undefined;
  beforeAll(async () => {
    rl = await startHarness({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_SECONDS: '60' });
  });
  afterAll(async () => {
    await second?.core.close();
    await rl?.close();
  });

  async function rlKey(tenantId: string, mode: 'test' | 'live' = 'test'): Promise<string> {
    const res = await rl.client.post(`/admin/v1/tenants/${tenantId}/api-keys`, { auth: rl.operatorToken, body: { mode } });
    expect(res.status).toBe(201);
    return res.body.secret;
  }

  function expectBudget(res: supertest.Response, remaining: number): void {
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers['ratelimit-limit']).toBe('3');
    expect(res.headers['ratelimit-remaining']).toBe(String(remaining));
    const reset = Number(res.headers['ratelimit-reset']);
    expect(reset).toBeGreaterThanOrEqual(1);
    expect(reset).toBeLessThanOrEqual(60);
  }

  function expectLimited(res: supertest.Response): void {
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('rate_limited');
    expect(res.headers['ratelimit-limit']).toBe('3');
    expect(res.headers['ratelimit-remaining']).toBe('0');
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const reset = Number(res.headers['ratelimit-reset']);
    expect(reset).toBeGreaterThanOrEqual(1);
    expect(reset).toBeLessThanOrEqual(60);
  }

  it('allows 3 requests with a decreasing RateLimit-Remaining, then answers 429 rate_limited', async () => {
    const tenant = await rl.createTenant();
    for (const remaining of [2, 1, 0]) expectBudget(await rl.client.get('/v1/connectors', { auth: tenant.testKey }), remaining);
    const limited = await rl.client.get('/v1/connectors', { auth: tenant.testKey });
    expectLimited(limited);
    expect(JSON.stringify(limited.body)).not.toContain(tenant.testKey);
    // Still limited on the next try: a refused request does not reset the window.
    expectLimited(await rl.client.get('/v1/connectors', { auth: tenant.testKey }));
  });

  it('the budget is per key across endpoints', async () => {
    const tenant = await rl.createTenant();
    expectBudget(await rl.client.get('/v1/connectors', { auth: tenant.testKey }), 2);
    expectBudget(await rl.client.get('/v1/invoices', { auth: tenant.testKey }), 1);
    expectBudget(await rl.client.get('/v1/connectors', { auth: tenant.testKey }), 0);
    expectLimited(await rl.client.get('/v1/invoices', { auth: tenant.testKey }));
  });

  it('another key of the same tenant has its own budget', async () => {
    const tenant = await rl.createTenant();
    const otherTestKey = await rlKey(tenant.id, 'test');
    for (let i = 0; i < 3; i++) expect((await rl.client.get('/v1/connectors', { auth: tenant.testKey })).status).toBe(200);
    expectLimited(await rl.client.get('/v1/connectors', { auth: tenant.testKey }));
    expectBudget(await rl.client.get('/v1/connectors', { auth: otherTestKey }), 2);
    expectBudget(await rl.client.get('/v1/connectors', { auth: tenant.liveKey }), 2);
  });

  it('the operator API is not limited by tenant budgets', async () => {
    const tenant = await rl.createTenant();
    for (let i = 0; i < 4; i++) await rl.client.get('/v1/connectors', { auth: tenant.testKey });
    for (let i = 0; i < 5; i++) expect((await rl.client.get('/admin/v1/tenants', { auth: rl.operatorToken })).status).toBe(200);
  });

  it('the budget is shared through Redis by every API process', async () => {
    const core = createCore(rl.config, createLogger(rl.config.logLevel));
    second = { core, client: createClient(await createApp(core)) };
    const tenant = await rl.createTenant();
    expectBudget(await rl.client.get('/v1/connectors', { auth: tenant.testKey }), 2);
    expectBudget(await second.client.get('/v1/connectors', { auth: tenant.testKey }), 1);
    expectBudget(await rl.client.get('/v1/connectors', { auth: tenant.testKey }), 0);
    expectLimited(await second.client.get('/v1/connectors', { auth: tenant.testKey }));
    expectLimited(await rl.client.get('/v1/connectors', { auth: tenant.testKey }));
  });
});
