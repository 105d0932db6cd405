import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { startHarness, type Harness } from './helpers/harness.js';
import { loadOpenApiDocument } from '../src/http/openapi.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('system endpoints', () => {
  it('GET /healthz answers while the process is up', async () => {
    const res = await h.client.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz checks PostgreSQL and Redis', async () => {
    const res = await h.client.get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('every answer carries a request id, and an incoming one is kept', async () => {
    const res = await h.client.get('/healthz', { headers: { 'X-Request-Id': 'trace-123' } });
    expect(res.headers['x-request-id']).toBe('trace-123');
    const generated = await h.client.get('/healthz');
    expect(generated.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it('helmet headers are set', async () => {
    const res = await h.client.get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('GET /openapi.json serves the document', async () => {
    const res = await supertest(h.app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toContain('/v1/invoices');
  });

  it('GET /docs serves Swagger UI as HTML', async () => {
    const res = await supertest(h.app).get('/docs/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('swagger-ui');
    // Plain-HTTP deployments on a LAN address would otherwise get a blank page (assets upgraded to https).
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    const api = await supertest(h.app).get('/healthz');
    expect(api.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });

  it('GET /metrics exposes request durations by route in Prometheus format', async () => {
    await h.client.get('/healthz');
    const res = await supertest(h.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('switchyard_http_request_duration_seconds_bucket');
    expect(res.text).toMatch(/route="\/healthz",status="200"/);
    expect(res.text).toContain('switchyard_invoices_created_total');
  });

  it('GET /metrics is the spec’s getMetrics operation: text/plain, its scrapes timed under its route, other methods 405', async () => {
    const operation = loadOpenApiDocument().paths?.['/metrics']?.get;
    expect(operation?.operationId).toBe('getMetrics');
    expect(Object.keys((operation?.responses['200'] as { content: object }).content)).toEqual(['text/plain']);
    await supertest(h.app).get('/metrics');
    const res = await supertest(h.app).get('/metrics');
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/route="\/metrics",status="200"/);
    const post = await h.client.post('/metrics');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
  });

  it('an unknown route is a 404 problem', async () => {
    const res = await h.client.get('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });

  it('a known path with the wrong method is a 405 problem with Allow', async () => {
    const res = await h.client.delete('/v1/invoices');
    expect(res.status).toBe(405);
    expect(res.body.code).toBe('method_not_allowed');
    expect(res.headers.allow).toContain('GET');
    expect(res.headers.allow).toContain('POST');
  });
});

describe('a newcomer finds their way', () => {
  it('GET / says where the docs, the document, the probes and the API are, and each link answers', async () => {
    const res = await h.client.get('/');
    expect(res.status).toBe(200);
    const base = h.core.config.publicBaseUrl;
    expect(res.body).toMatchObject({ name: 'Switchyard', docs_url: `${base}/docs`, openapi_url: `${base}/openapi.json`, api_base_url: `${base}/v1` });
    for (const key of ['docs_url', 'openapi_url', 'health_url', 'readiness_url']) {
      const path = new URL(res.body[key] as string).pathname;
      const linked = await supertest(h.app).get(path).redirects(1);
      expect(linked.status, `${key} ${path}`).toBe(200);
    }
  });

  it('Swagger UI leaves Idempotency-Key empty in "Try it out" (a fixed example made every edited body a 422 idempotency_conflict)', async () => {
    const doc = (await supertest(h.app).get('/openapi.json')).body as {
      paths: Record<string, Record<string, { parameters?: Array<{ $ref?: string; name?: string }> }>>;
      components: { parameters: Record<string, Record<string, unknown> & { schema: Record<string, unknown> }> };
    };
    const resolve = (p: { $ref?: string }) => (p.$ref ? doc.components.parameters[p.$ref.split('/').pop()!]! : (p as Record<string, unknown> & { schema: Record<string, unknown> }));
    const keys = Object.values(doc.paths)
      .flatMap((item) => Object.values(item).flatMap((op) => op.parameters ?? []))
      .map(resolve)
      .filter((p) => p.name === 'Idempotency-Key');
    expect(keys.length).toBeGreaterThan(0);
    for (const param of keys) {
      for (const prefill of ['example', 'examples']) expect(param).not.toHaveProperty(prefill);
      for (const prefill of ['example', 'default', 'enum']) expect(param.schema).not.toHaveProperty(prefill);
    }
  });
});
