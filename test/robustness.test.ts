import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startHarness, type Harness } from './helpers/harness.js';
import { createCore } from '../src/wiring.js';
import { createApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { createClient } from './helpers/harness.js';

describe('logs never carry credentials', () => {
  const lines: string[] = [];
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({}, { logDestination: { write: (line: string) => void lines.push(line) } });
  });
  afterAll(() => h?.close());

  it('redacts Authorization headers, API key secrets and operator tokens', async () => {
    const shop = await h.createTenant('Logged shop');
    await h.client.get('/v1/invoices', { auth: shop.testKey });
    await h.client.get('/v1/invoices', { auth: 'sy_test_' + 'A'.repeat(43) });
    const log = lines.join('\n');
    expect(log).toContain('"authorization":"[redacted]"');
    expect(log).not.toContain(shop.testKey);
    expect(log).not.toContain(shop.liveKey);
    expect(log).not.toContain(h.operatorToken);
    expect(log).not.toContain('A'.repeat(43));
  });

  it('redacts secret-looking fields anywhere in a logged object', () => {
    const captured: string[] = [];
    const logger = createLogger('info', { write: (l: string) => void captured.push(l) });
    logger.info({ account: { credentials: { token: 't0k3n' }, api_key: 'k3y', secret: 'whsec_x' } }, 'connected');
    expect(captured.join('')).not.toMatch(/t0k3n|k3y|whsec_x/);
  });
});

describe('failures on our side', () => {
  it('an unexpected error is a generic 500 problem with the request id, logged with its stack', async () => {
    const lines: string[] = [];
    const h = await startHarness({}, { logDestination: { write: (line: string) => void lines.push(line) } });
    try {
      const shop = await h.createTenant('Broken shop');
      // Break the database under the running app: every query now fails.
      await h.core.db.raw(`ALTER TABLE invoices RENAME TO invoices_gone`);
      const res = await h.client.get('/v1/invoices', { auth: shop.testKey, headers: { 'X-Request-Id': 'req-broken-1' } });
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ code: 'internal_error', request_id: 'req-broken-1' });
      expect(JSON.stringify(res.body)).not.toContain('invoices');
      expect(lines.join('\n')).toMatch(/"stack":"error: select/);
      await h.core.db.raw(`ALTER TABLE invoices_gone RENAME TO invoices`);
    } finally {
      await h.close();
    }
  });

  it('/readyz answers 503 naming Redis when Redis is unreachable, and /healthz stays 200', async () => {
    const h = await startHarness();
    const deadRedis = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    const core = createCore(h.config, createLogger('silent'), { db: h.core.db, redis: deadRedis });
    try {
      const client = createClient(await createApp(core));
      const ready = await client.get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toEqual({ status: 'error', checks: { postgres: 'ok', redis: 'error' } });
      expect((await client.get('/healthz')).status).toBe(200);
    } finally {
      deadRedis.disconnect();
      await h.close();
    }
  });
});
