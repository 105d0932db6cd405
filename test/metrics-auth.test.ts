import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers/harness.js';
import { createMetricsServer } from '../src/http/metrics-server.js';
import { metricsAuthorized } from '../src/security/metrics-token.js';

const TOKEN = 'scrape-token-0123456789abcdef';

describe('metricsAuthorized', () => {
  it('lets everything through when no token is set', () => {
    expect(metricsAuthorized(undefined, undefined)).toBe(true);
    expect(metricsAuthorized('Bearer anything', undefined)).toBe(true);
  });

  it.each([
    [undefined, false],
    ['', false],
    [TOKEN, false],
    [`Basic ${TOKEN}`, false],
    [`Bearer ${TOKEN}x`, false],
    [`Bearer ${TOKEN.slice(0, -1)}`, false],
    ['Bearer ', false],
    [`Bearer ${TOKEN}`, true],
    [`bearer ${TOKEN}`, true],
  ])('with a token set, Authorization %j → %s', (header, expected) => {
    expect(metricsAuthorized(header, TOKEN)).toBe(expected);
  });
});

describe('GET /metrics on the API port', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ METRICS_TOKEN: TOKEN });
  });
  afterAll(() => h?.close());

  it('with METRICS_TOKEN set, answers only its bearer: 401 problem otherwise', async () => {
    for (const auth of [undefined, 'not-the-token-at-all-0123456789']) {
      const res = await h.client.get('/metrics', auth ? { auth } : {});
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthorized');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.text).not.toContain('switchyard_');
    }
    const ok = await h.client.get('/metrics', { auth: TOKEN });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('switchyard_http_request_duration_seconds');
  });

  it('a tenant API key is not a metrics token', async () => {
    const shop = await h.createTenant('Not a scraper');
    expect((await h.client.get('/metrics', { auth: shop.liveKey })).status).toBe(401);
  });

  it('with METRICS_PORT set, the API port has no /metrics (404), token or not', async () => {
    const split = await startHarness({ METRICS_PORT: '0', METRICS_TOKEN: TOKEN });
    try {
      expect((await split.client.get('/metrics', { auth: TOKEN })).status).toBe(404);
      expect((await split.client.get('/metrics')).status).toBe(404);
    } finally {
      await split.close();
    }
  });
});

describe('the METRICS_PORT listener', () => {
  it('serves GET /metrics only, to the token holder', async () => {
    const { Registry, Counter } = await import('prom-client');
    const registry = new Registry();
    new Counter({ name: 'probe_total', help: 'a probe', registers: [registry] }).inc();
    const server = createMetricsServer(registry, TOKEN);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const denied = await fetch(`${base}/metrics`);
      expect(denied.status).toBe(401);
      expect(denied.headers.get('content-type')).toBe('application/problem+json');
      expect(await denied.text()).not.toContain('probe_total');
      const ok = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('probe_total 1');
      expect((await fetch(`${base}/healthz`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
