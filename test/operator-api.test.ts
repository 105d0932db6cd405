import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { SignJWT, exportSPKI, generateKeyPair, type CryptoKey } from 'jose';
import { startHarness, type Harness } from './helpers/harness.js';
import { signOperatorToken } from '../src/security/operator-token.js';
import { upstreamWebhooksRepo } from '../src/db/upstream-webhooks-repo.js';
import { newId } from '../src/domain/ids.js';

const UNKNOWN_TENANT = 'ten_01JWRF848RBXKYA92YQGCZFXH8';
const UNKNOWN_KEY = 'key_01JWRF85804TD8ZTHC0FG23ZN8';
const SECRET_PATTERN = /^sy_(test|live)_[A-Za-z0-9_-]{43,}$/;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

/** Checks a problem answer and that no configured secret, nor the credential sent, leaks into it. */
function expectProblem(res: supertest.Response, status: number, code: string, credentials: string[] = []): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.code).toBe(code);
  const text = JSON.stringify(res.body);
  for (const secret of [h.env.OPERATOR_JWT_SECRET!, h.env.MASTER_KEY!, h.operatorToken, ...credentials]) {
    expect(text).not.toContain(secret);
  }
}

function fields(res: supertest.Response): string[] {
  return (res.body.errors as Array<{ field: string }>).map((e) => e.field);
}

const admin = {
  get: (path: string) => h.client.get(path, { auth: h.operatorToken }),
  post: (path: string, body?: unknown) => h.client.post(path, { auth: h.operatorToken, body }),
  patch: (path: string, body?: unknown) => h.client.patch(path, { auth: h.operatorToken, body }),
  delete: (path: string) => h.client.delete(path, { auth: h.operatorToken }),
};

async function createTenant(name: string): Promise<{ id: string; name: string; status: string; created_at: string; updated_at: string }> {
  const res = await admin.post('/admin/v1/tenants', { name });
  expect(res.status).toBe(201);
  return res.body;
}

describe('tenants', () => {
  it('POST /admin/v1/tenants creates an active tenant', async () => {
    const res = await admin.post('/admin/v1/tenants', { name: 'Acme Bots' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ object: 'tenant', name: 'Acme Bots', status: 'active' });
    expect(res.body.id).toMatch(/^ten_[0-9A-Z]{26}$/);
    expect(new Date(res.body.created_at).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(res.body.updated_at).toBe(res.body.created_at);
  });

  it('trims surrounding whitespace from the name', async () => {
    const tenant = await createTenant('  Spaced Shop  ');
    expect(tenant.name).toBe('Spaced Shop');
  });

  it('GET /admin/v1/tenants/{id} returns the tenant', async () => {
    const tenant = await createTenant('Readable');
    const res = await admin.get(`/admin/v1/tenants/${tenant.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(tenant);
  });

  it('PATCH renames and suspends a tenant, and sets updated_at', async () => {
    const tenant = await createTenant('Before');
    const renamed = await admin.patch(`/admin/v1/tenants/${tenant.id}`, { name: '  After  ' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: tenant.id, name: 'After', status: 'active' });

    const suspended = await admin.patch(`/admin/v1/tenants/${tenant.id}`, { status: 'suspended' });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ id: tenant.id, name: 'After', status: 'suspended' });
    expect(new Date(suspended.body.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(tenant.created_at).getTime());

    const read = await admin.get(`/admin/v1/tenants/${tenant.id}`);
    expect(read.body.status).toBe('suspended');

    const reactivated = await admin.patch(`/admin/v1/tenants/${tenant.id}`, { status: 'active' });
    expect(reactivated.body.status).toBe('active');
  });

  it('lists tenants newest first, page by page with limit and starting_after', async () => {
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) mine.push((await createTenant(`Paged ${i}`)).id);

    const first = await admin.get('/admin/v1/tenants?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.object).toBe('list');
    expect(first.body.has_more).toBe(true);
    expect(first.body.data.map((t: { id: string }) => t.id)).toEqual([mine[4], mine[3]]);

    const all: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const res = await admin.get(`/admin/v1/tenants?limit=2${cursor ? `&starting_after=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const ids = res.body.data.map((t: { id: string }) => t.id) as string[];
      expect(ids.length).toBeLessThanOrEqual(2);
      all.push(...ids);
      if (!res.body.has_more) break;
      expect(ids).toHaveLength(2);
      cursor = ids.at(-1);
    }
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual([...all].sort().reverse());
    expect(all.slice(0, 5)).toEqual([...mine].reverse());

    const everything = await admin.get('/admin/v1/tenants?limit=100');
    expect(everything.body.data.map((t: { id: string }) => t.id)).toEqual(all);
    expect(everything.body.has_more).toBe(false);
  });

  it('lists 20 tenants by default', async () => {
    for (let i = 0; i < 21; i++) await createTenant(`Bulk ${i}`);
    const res = await admin.get('/admin/v1/tenants');
    expect(res.body.data).toHaveLength(20);
    expect(res.body.has_more).toBe(true);
  });

  it('filters the list by status', async () => {
    const active = await createTenant('Stays active');
    const suspended = await createTenant('Gets suspended');
    await admin.patch(`/admin/v1/tenants/${suspended.id}`, { status: 'suspended' });

    const onlySuspended = await admin.get('/admin/v1/tenants?status=suspended&limit=100');
    expect(onlySuspended.status).toBe(200);
    const suspendedIds = onlySuspended.body.data.map((t: { id: string }) => t.id);
    expect(suspendedIds).toContain(suspended.id);
    expect(suspendedIds).not.toContain(active.id);
    for (const t of onlySuspended.body.data) expect(t.status).toBe('suspended');

    const onlyActive = await admin.get('/admin/v1/tenants?status=active&limit=100');
    const activeIds = onlyActive.body.data.map((t: { id: string }) => t.id);
    expect(activeIds).toContain(active.id);
    expect(activeIds).not.toContain(suspended.id);
  });

  it('answers 404 for a tenant that does not exist', async () => {
    expectProblem(await admin.get(`/admin/v1/tenants/${UNKNOWN_TENANT}`), 404, 'not_found');
    expectProblem(await admin.patch(`/admin/v1/tenants/${UNKNOWN_TENANT}`, { status: 'suspended' }), 404, 'not_found');
    expectProblem(await admin.post(`/admin/v1/tenants/${UNKNOWN_TENANT}/api-keys`, { mode: 'test' }), 404, 'not_found');
    expectProblem(await admin.get(`/admin/v1/tenants/${UNKNOWN_TENANT}/api-keys`), 404, 'not_found');
  });
});

describe('request validation', () => {
  it.each([
    ['a missing name', {}, '/body/name'],
    ['a blank name', { name: '   ' }, '/body/name'],
    ['an empty name', { name: '' }, '/body/name'],
    ['a name that is not a string', { name: 42 }, '/body/name'],
    ['a name over 200 characters', { name: 'x'.repeat(201) }, '/body/name'],
    ['an unknown field', { name: 'Ok', color: 'red' }, '/body/color'],
  ])('creating a tenant with %s is 422 validation_failed naming the field', async (_what, body, field) => {
    const before = await admin.get('/admin/v1/tenants?limit=100');
    const res = await admin.post('/admin/v1/tenants', body);
    expectProblem(res, 422, 'validation_failed');
    expect(fields(res)).toContain(field);
    const after = await admin.get('/admin/v1/tenants?limit=100');
    expect(after.body.data).toEqual(before.body.data);
  });

  it('a body that is a JSON array, not an object, is 422', async () => {
    const res = await admin.post('/admin/v1/tenants', [{ name: 'x' }]);
    expectProblem(res, 422, 'validation_failed');
  });

  it('a tenant name of exactly 200 characters is accepted', async () => {
    const res = await admin.post('/admin/v1/tenants', { name: 'y'.repeat(200) });
    expect(res.status).toBe(201);
  });

  it('an empty PATCH is 422', async () => {
    const tenant = await createTenant('Patch me');
    const res = await admin.patch(`/admin/v1/tenants/${tenant.id}`, {});
    expectProblem(res, 422, 'validation_failed');
    expect(res.body.errors.length).toBeGreaterThan(0);
    expect(fields(res)).toContain('/body');
  });

  it('a PATCH with an unknown status or a blank name is 422 and changes nothing', async () => {
    const tenant = await createTenant('Unchanged');
    const badStatus = await admin.patch(`/admin/v1/tenants/${tenant.id}`, { status: 'deleted' });
    expectProblem(badStatus, 422, 'validation_failed');
    expect(fields(badStatus)).toContain('/body/status');
    const blank = await admin.patch(`/admin/v1/tenants/${tenant.id}`, { name: ' ' });
    expectProblem(blank, 422, 'validation_failed');
    expect(fields(blank)).toContain('/body/name');
    expect((await admin.get(`/admin/v1/tenants/${tenant.id}`)).body).toEqual(tenant);
  });

  it.each([
    ['GET', '/admin/v1/tenants/nope'],
    ['GET', '/admin/v1/tenants/key_01JWRF85804TD8ZTHC0FG23ZN8'],
    ['GET', '/admin/v1/tenants/ten_short/api-keys'],
    ['DELETE', '/admin/v1/api-keys/ten_01JWRF848RBXKYA92YQGCZFXH8'],
    ['GET', '/admin/v1/upstream-webhooks/%ff'],
    ['GET', '/admin/v1/tenants/%C0%AE/api-keys'],
  ])('%s %s with a malformed id is 404, like any unknown id', async (method, path) => {
    const res = method === 'GET' ? await admin.get(path) : await admin.delete(path);
    expectProblem(res, 404, 'not_found');
  });

  it.each(['limit=0', 'limit=101', 'limit=abc', 'status=deleted'])('listing tenants with %s is 422 naming the query parameter', async (query) => {
    const res = await admin.get(`/admin/v1/tenants?${query}`);
    expectProblem(res, 422, 'validation_failed');
    expect(fields(res)).toContain(`/query/${query.split('=')[0]}`);
  });

  it.each([
    ['creating a tenant', 'post', '/admin/v1/tenants', { name: 'bad\u0000name' }, '/body/name'],
    ['renaming a tenant', 'patch', '/admin/v1/tenants/{tenant}', { name: 'bad\u0000name' }, '/body/name'],
    ['naming an API key', 'post', '/admin/v1/tenants/{tenant}/api-keys', { mode: 'test', name: 'key\u0000' }, '/body/name'],
  ] as const)('%s with a NUL character in a string is 422, never 500', async (_what, method, template, body, field) => {
    const tenant = await createTenant('NUL target');
    const path = template.replace('{tenant}', tenant.id);
    const res = method === 'post' ? await admin.post(path, body) : await admin.patch(path, body);
    expectProblem(res, 422, 'validation_failed');
    expect(fields(res)).toContain(field);
    expect((await admin.get(`/admin/v1/tenants/${tenant.id}`)).body).toEqual(tenant);
  });

  it('a NUL character in starting_after is 422, never 500', async () => {
    const res = await admin.get(`/admin/v1/tenants?starting_after=${encodeURIComponent('ten_\u0000')}`);
    expectProblem(res, 422, 'validation_failed');
    expect(fields(res)).toContain('/query/starting_after');
  });

  it('malformed JSON is 400 malformed_json', async () => {
    const res = await h.client.post('/admin/v1/tenants', { auth: h.operatorToken, raw: '{"name": "Broken"' });
    expectProblem(res, 400, 'malformed_json');
  });

  it('a text/plain body is 415 unsupported_media_type', async () => {
    const res = await h.client.post('/admin/v1/tenants', { auth: h.operatorToken, raw: '{"name":"Plain"}', contentType: 'text/plain' });
    expectProblem(res, 415, 'unsupported_media_type');
  });

  it('application/json with a charset parameter is accepted', async () => {
    const res = await h.client.post('/admin/v1/tenants', {
      auth: h.operatorToken,
      raw: '{"name":"Charset"}',
      contentType: 'application/json; charset=utf-8',
    });
    expect(res.status).toBe(201);
  });

  it('a body over the default 256kb limit is 413 payload_too_large', async () => {
    const raw = JSON.stringify({ name: 'z'.repeat(300 * 1024) });
    const res = await h.client.post('/admin/v1/tenants', { auth: h.operatorToken, raw });
    expectProblem(res, 413, 'payload_too_large');
  });

  it('authentication is checked before the body: no token and an invalid body is 401, not 422', async () => {
    const res = await h.client.post('/admin/v1/tenants', { body: {} });
    expectProblem(res, 401, 'unauthorized');
  });
});

describe('BODY_LIMIT', () => {
  let small: Harness;
  beforeAll(async () => {
    small = await startHarness({ BODY_LIMIT: '1kb' });
  });
  afterAll(() => small?.close());

  it('bodies over the configured limit are 413, bodies under it pass', async () => {
    const big = await small.client.post('/admin/v1/tenants', { auth: small.operatorToken, raw: JSON.stringify({ name: 'b'.repeat(2000) }) });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('payload_too_large');
    const fine = await small.client.post('/admin/v1/tenants', { auth: small.operatorToken, body: { name: 'b'.repeat(200) } });
    expect(fine.status).toBe(201);
  });
});

describe('API keys', () => {
  let tenantId: string;
  beforeAll(async () => {
    tenantId = (await createTenant('Key holder')).id;
  });

  it('creates a test key whose secret is shown once, with a visible prefix', async () => {
    const res = await admin.post(`/admin/v1/tenants/${tenantId}/api-keys`, { mode: 'test', name: 'staging bot' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ object: 'api_key', tenant_id: tenantId, mode: 'test', name: 'staging bot', last_used_at: null, revoked_at: null });
    expect(res.body.id).toMatch(/^key_[0-9A-Z]{26}$/);
    expect(res.body.secret).toMatch(SECRET_PATTERN);
    expect(res.body.secret.startsWith('sy_test_')).toBe(true);
    expect(res.body.secret.startsWith(res.body.prefix)).toBe(true);
    expect(res.body.prefix.length).toBeGreaterThan('sy_test_'.length);
    expect(res.body.prefix.length).toBeLessThan(res.body.secret.length - 32);
  });

  it('the answer carrying the secret may not be cached (Cache-Control: no-store)', async () => {
    const res = await admin.post(`/admin/v1/tenants/${tenantId}/api-keys`, { mode: 'test' });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    // Answers without a secret keep the default.
    expect((await admin.get(`/admin/v1/tenants/${tenantId}/api-keys`)).headers['cache-control']).toBeUndefined();
  });

  it('creates a live key without a name', async () => {
    const res = await admin.post(`/admin/v1/tenants/${tenantId}/api-keys`, { mode: 'live' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ mode: 'live', name: null });
    expect(res.body.secret).toMatch(SECRET_PATTERN);
    expect(res.body.secret.startsWith('sy_live_')).toBe(true);
    expect(res.body.secret.startsWith(res.body.prefix)).toBe(true);
  });

  it('every key gets a different secret', async () => {
    const secrets = new Set<string>();
    for (let i = 0; i < 5; i++) secrets.add((await admin.post(`/admin/v1/tenants/${tenantId}/api-keys`, { mode: 'test' })).body.secret);
    expect(secrets.size).toBe(5);
  });

  it.each([
    ['no mode', {}, '/body/mode'],
    ['an unknown mode', { mode: 'gold' }, '/body/mode'],
    ['an empty name', { mode: 'test', name: '' }, '/body/name'],
    ['an unknown field', { mode: 'test', secret: 'sy_test_mine' }, '/body/secret'],
  ])('creating a key with %s is 422 naming the field', async (_what, body, field) => {
    const res = await admin.post(`/admin/v1/tenants/${tenantId}/api-keys`, body);
    expectProblem(res, 422, 'validation_failed');
    expect(fields(res)).toContain(field);
  });

  it('lists keys newest first and never shows a secret again', async () => {
    const created = await admin.post(`/admin/v1/tenants/${tenantId}/api-keys`, { mode: 'test', name: 'listed' });
    const res = await admin.get(`/admin/v1/tenants/${tenantId}/api-keys`);
    expect(res.status).toBe(200);
    expect(res.body.object).toBe('list');
    expect(res.body.data[0].id).toBe(created.body.id);
    const { secret, ...withoutSecret } = created.body;
    expect(res.body.data[0]).toEqual(withoutSecret);
    for (const key of res.body.data) expect(key).not.toHaveProperty('secret');
    expect(JSON.stringify(res.body)).not.toContain(secret);
    const ids = res.body.data.map((k: { id: string }) => k.id);
    expect(ids).toEqual([...ids].sort().reverse());
  });

  it('pages through keys with limit and starting_after', async () => {
    const other = (await createTenant('Many keys')).id;
    const made: string[] = [];
    for (let i = 0; i < 3; i++) made.push((await admin.post(`/admin/v1/tenants/${other}/api-keys`, { mode: 'test' })).body.id);
    const first = await admin.get(`/admin/v1/tenants/${other}/api-keys?limit=2`);
    expect(first.body.data.map((k: { id: string }) => k.id)).toEqual([made[2], made[1]]);
    expect(first.body.has_more).toBe(true);
    const second = await admin.get(`/admin/v1/tenants/${other}/api-keys?limit=2&starting_after=${made[1]}`);
    expect(second.body.data.map((k: { id: string }) => k.id)).toEqual([made[0]]);
    expect(second.body.has_more).toBe(false);
  });

  it("lists only that tenant's keys", async () => {
    const a = (await createTenant('Tenant A')).id;
    const b = (await createTenant('Tenant B')).id;
    const keyA = await admin.post(`/admin/v1/tenants/${a}/api-keys`, { mode: 'test' });
    const listB = await admin.get(`/admin/v1/tenants/${b}/api-keys`);
    expect(listB.body.data).toEqual([]);
    const listA = await admin.get(`/admin/v1/tenants/${a}/api-keys`);
    expect(listA.body.data.map((k: { id: string }) => k.id)).toEqual([keyA.body.id]);
  });

  it('stores only the SHA-256 hash of the secret, never the secret', async () => {
    const created = await admin.post(`/admin/v1/tenants/${tenantId}/api-keys`, { mode: 'live', name: 'hashed' });
    const secret = created.body.secret as string;
    const row = await h.core.db('api_keys').where({ id: created.body.id }).first();
    expect(row).toBeDefined();
    expect(row.key_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    for (const [column, value] of Object.entries(row as Record<string, unknown>)) {
      expect(String(value), `column ${column}`).not.toContain(secret);
      expect(String(value), `column ${column}`).not.toContain(secret.slice('sy_live_'.length));
    }
    const everywhere = JSON.stringify(await h.core.db('api_keys').select('*'));
    expect(everywhere).not.toContain(secret);
  });

  it('revokes a key: 200 with revoked_at set, and revoking again keeps the first time', async () => {
    const created = await admin.post(`/admin/v1/tenants/${tenantId}/api-keys`, { mode: 'test' });
    const first = await admin.delete(`/admin/v1/api-keys/${created.body.id}`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: created.body.id, object: 'api_key', tenant_id: tenantId });
    expect(first.body).not.toHaveProperty('secret');
    expect(first.body.revoked_at).not.toBeNull();
    expect(Math.abs(new Date(first.body.revoked_at).getTime() - Date.now())).toBeLessThan(60_000);

    await new Promise((r) => setTimeout(r, 20));
    const second = await admin.delete(`/admin/v1/api-keys/${created.body.id}`);
    expect(second.status).toBe(200);
    expect(second.body.revoked_at).toBe(first.body.revoked_at);

    const listed = await admin.get(`/admin/v1/tenants/${tenantId}/api-keys?limit=100`);
    const inList = listed.body.data.find((k: { id: string }) => k.id === created.body.id);
    expect(inList.revoked_at).toBe(first.body.revoked_at);
  });

  it('revoking an unknown key is 404', async () => {
    expectProblem(await admin.delete(`/admin/v1/api-keys/${UNKNOWN_KEY}`), 404, 'not_found');
  });

  it('a key for a suspended tenant can still be issued and revoked by the operator', async () => {
    const t = await createTenant('Suspended keys');
    await admin.patch(`/admin/v1/tenants/${t.id}`, { status: 'suspended' });
    const key = await admin.post(`/admin/v1/tenants/${t.id}/api-keys`, { mode: 'test' });
    expect(key.status).toBe(201);
    expect((await admin.delete(`/admin/v1/api-keys/${key.body.id}`)).status).toBe(200);
  });
});

describe('operator authentication', () => {
  const HS_AUD = 'switchyard:operator';
  const hmac = (secret: string) => new TextEncoder().encode(secret);
  const baseToken = () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('switchyard');

  it('accepts the harness token (HS256 signed with OPERATOR_JWT_SECRET)', async () => {
    expect((await admin.get('/admin/v1/tenants')).status).toBe(200);
  });

  it('a missing Authorization header is 401 unauthorized', async () => {
    expectProblem(await h.client.get('/admin/v1/tenants'), 401, 'unauthorized');
    expectProblem(await h.client.post('/admin/v1/tenants', { body: { name: 'No auth' } }), 401, 'unauthorized');
    expectProblem(await h.client.delete(`/admin/v1/api-keys/${UNKNOWN_KEY}`), 401, 'unauthorized');
  });

  it.each(['Basic b3BlcmF0b3I6cGFzc3dvcmQ=', 'Bearer', 'Bearer a b', 'Token abc'])('a malformed header "%s" is 401', async (header) => {
    const res = await h.client.get('/admin/v1/tenants', { headers: { Authorization: header } });
    expectProblem(res, 401, 'unauthorized');
  });

  it('the operator token in a non-Bearer scheme is 401', async () => {
    const res = await h.client.get('/admin/v1/tenants', { headers: { Authorization: `Basic ${h.operatorToken}` } });
    expectProblem(res, 401, 'unauthorized');
  });

  it('a garbage token is 401', async () => {
    for (const token of ['garbage', 'a.b.c', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA']) {
      expectProblem(await h.client.get('/admin/v1/tenants', { auth: token }), 401, 'unauthorized', [token]);
    }
  });

  it('a token signed with another secret is 401', async () => {
    const token = await signOperatorToken('some-other-secret-that-is-also-long-enough', 'x', 300);
    expectProblem(await h.client.get('/admin/v1/tenants', { auth: token }), 401, 'unauthorized', [token]);
  });

  it('an expired token is 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await baseToken().setAudience(HS_AUD).setIssuedAt(now - 600).setExpirationTime(now - 300).sign(hmac(h.env.OPERATOR_JWT_SECRET!));
    expectProblem(await h.client.get('/admin/v1/tenants', { auth: token }), 401, 'unauthorized', [token]);
  });

  it('a token without an expiry is 401', async () => {
    const token = await baseToken().setAudience(HS_AUD).sign(hmac(h.env.OPERATOR_JWT_SECRET!));
    expectProblem(await h.client.get('/admin/v1/tenants', { auth: token }), 401, 'unauthorized', [token]);
  });

  it('a token without a subject is 401', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('switchyard')
      .setAudience(HS_AUD)
      .setExpirationTime('5m')
      .sign(hmac(h.env.OPERATOR_JWT_SECRET!));
    expectProblem(await h.client.get('/admin/v1/tenants', { auth: token }), 401, 'unauthorized', [token]);
  });

  it('a token for another audience or issuer is 401', async () => {
    const key = hmac(h.env.OPERATOR_JWT_SECRET!);
    const wrongAudience = await baseToken().setAudience('switchyard:tenant').setExpirationTime('5m').sign(key);
    expectProblem(await h.client.get('/admin/v1/tenants', { auth: wrongAudience }), 401, 'unauthorized', [wrongAudience]);
    const wrongIssuer = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('someone-else').setAudience(HS_AUD).setExpirationTime('5m').sign(key);
    expectProblem(await h.client.get('/admin/v1/tenants', { auth: wrongIssuer }), 401, 'unauthorized', [wrongIssuer]);
  });

  it('an unsigned (alg: none) token is 401', async () => {
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const exp = Math.floor(Date.now() / 1000) + 300;
    const token = `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'x', iss: 'switchyard', aud: HS_AUD, exp })}.`;
    expectProblem(await h.client.get('/admin/v1/tenants', { auth: token }), 401, 'unauthorized');
  });

  it('a tenant API key on /admin is 401 unauthorized, as the document says for a credential of the wrong kind', async () => {
    const tenant = await h.createTenant('Key on admin');
    for (const key of [tenant.testKey, tenant.liveKey]) {
      const list = await h.client.get('/admin/v1/tenants', { auth: key });
      expectProblem(list, 401, 'unauthorized', [key]);
      expect(list.body.detail).toMatch(/operator token/);
      expectProblem(await h.client.post('/admin/v1/tenants', { auth: key, body: { name: 'Nope' } }), 401, 'unauthorized', [key]);
      expectProblem(await h.client.get('/admin/v1/upstream-webhooks', { auth: key }), 401, 'unauthorized', [key]);
    }
  });

  it('an EdDSA token is refused when no public key is configured', async () => {
    const { privateKey } = await generateKeyPair('EdDSA');
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject('x')
      .setIssuer('switchyard')
      .setAudience(HS_AUD)
      .setExpirationTime('5m')
      .sign(privateKey);
    expectProblem(await h.client.get('/admin/v1/tenants', { auth: token }), 401, 'unauthorized', [token]);
  });

  it('a failed operator request changes nothing', async () => {
    const before = await admin.get('/admin/v1/tenants?limit=100');
    await h.client.post('/admin/v1/tenants', { auth: 'garbage', body: { name: 'Sneaky' } });
    const after = await admin.get('/admin/v1/tenants?limit=100');
    expect(after.body.data).toEqual(before.body.data);
  });
});

describe('operator authentication with OPERATOR_JWT_PUBLIC_KEY (EdDSA)', () => {
  let ed: Harness;
  let privateKey: CryptoKey;
  let publicKeyPem: string;
  const sign = (key: CryptoKey) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject('x')
      .setIssuer('switchyard')
      .setAudience('switchyard:operator')
      .setExpirationTime('5m')
      .sign(key);

  beforeAll(async () => {
    const pair = await generateKeyPair('EdDSA');
    privateKey = pair.privateKey;
    publicKeyPem = await exportSPKI(pair.publicKey);
    ed = await startHarness({ OPERATOR_JWT_PUBLIC_KEY: publicKeyPem });
  });
  afterAll(() => ed?.close());

  it('accepts an EdDSA token signed by the matching private key', async () => {
    const token = await sign(privateKey);
    const res = await ed.client.post('/admin/v1/tenants', { auth: token, body: { name: 'Signed with Ed25519' } });
    expect(res.status).toBe(201);
    expect((await ed.client.get(`/admin/v1/tenants/${res.body.id}`, { auth: token })).status).toBe(200);
  });

  it('still accepts HS256 tokens signed with OPERATOR_JWT_SECRET', async () => {
    expect((await ed.client.get('/admin/v1/tenants', { auth: ed.operatorToken })).status).toBe(200);
  });

  it('refuses an EdDSA token signed by another key', async () => {
    const other = await generateKeyPair('EdDSA');
    const token = await sign(other.privateKey);
    const res = await ed.client.get('/admin/v1/tenants', { auth: token });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthorized');
  });

  it('refuses an expired EdDSA token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject('x')
      .setIssuer('switchyard')
      .setAudience('switchyard:operator')
      .setExpirationTime(now - 60)
      .sign(privateKey);
    expect((await ed.client.get('/admin/v1/tenants', { auth: token })).status).toBe(401);
  });

  it('refuses an HS256 token forged with the public key as its secret (algorithm confusion)', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer('switchyard')
      .setAudience('switchyard:operator')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(publicKeyPem));
    const res = await ed.client.get('/admin/v1/tenants', { auth: token });
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body)).not.toContain(publicKeyPem.split('\n')[1]!);
  });
});

describe('stored upstream webhooks: the verified and processed filters', () => {
  const connector = 'filterpay';
  const labels = new Map<string, string>();
  beforeAll(async () => {
    // One of each: verified or not, processed or not (processing only ever happens to verified ones, but the filters do not care).
    const rows = [
      { label: 'verified, processed', verified: true, processed: true },
      { label: 'verified, waiting', verified: true, processed: false },
      { label: 'refused, processed', verified: false, processed: true },
      { label: 'refused, waiting', verified: false, processed: false },
    ].map((r) => ({ ...r, id: newId('uwh') }));
    for (const row of rows) {
      labels.set(row.id, row.label);
      await upstreamWebhooksRepo.insert(h.core.db, {
        id: row.id,
        connector,
        gateway_account_id: null,
        source_address: '198.51.100.23',
        method: 'POST',
        path: `/hooks/${connector}/ga_x`,
        headers: {},
        raw_body: Buffer.from('{}'),
        verified: row.verified,
        verification_error: row.verified ? null : 'bad_signature',
      });
      if (row.processed) await upstreamWebhooksRepo.markProcessed(h.core.db, row.id);
    }
  });
  const ids = async (query: string) => {
    const res = await admin.get(`/admin/v1/upstream-webhooks?connector=${connector}&${query}`);
    expect(res.status).toBe(200);
    return (res.body.data as Array<{ id: string }>).map((w) => labels.get(w.id)).sort();
  };

  it('verified=true lists only verified ones, verified=false only refused ones', async () => {
    expect(await ids('verified=true')).toEqual(['verified, processed', 'verified, waiting']);
    expect(await ids('verified=false')).toEqual(['refused, processed', 'refused, waiting']);
  });

  it('processed=true lists only processed ones, processed=false only waiting ones', async () => {
    expect(await ids('processed=true')).toEqual(['refused, processed', 'verified, processed']);
    expect(await ids('processed=false')).toEqual(['refused, waiting', 'verified, waiting']);
  });

  it('verified=true&processed=false lists what is still waiting to be processed', async () => {
    expect(await ids('verified=true&processed=false')).toEqual(['verified, waiting']);
  });

  it('a value that is not a boolean is 422 naming the parameter', async () => {
    const res = await admin.get(`/admin/v1/upstream-webhooks?verified=yes`);
    expectProblem(res, 422, 'validation_failed');
    expect(fields(res)).toEqual(['/query/verified']);
  });
});
