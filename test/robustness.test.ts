import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startHarness, type Harness } from './helpers/harness.js';
import { createCore } from '../src/wiring.js';
import { createApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { createClient } from './helpers/harness.js';
import { gzipSync } from 'node:zlib';
import { request } from 'undici';
import { upstreamWebhooksRepo } from '../src/db/upstream-webhooks-repo.js';
import { newId } from '../src/domain/ids.js';
import { createUpstreamWebhookProcessor } from '../src/webhooks/inbound/process-upstream-webhook.js';
import { WebhookBodyError } from '../src/connectors/kit/index.js';
import type { Connector, UpstreamEvent } from '../src/connectors/types.js';
import type { InvoiceService } from '../src/invoices/invoice-service.js';

describe('logs never carry credentials', () => {
  const lines: string[] = [];
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({}, { logDestination: { write: (line: string) => void lines.push(line) } });
  });
  afterAll(() => h?.close());

  it('request lines carry no headers, and no API key secret or operator token appears anywhere', async () => {
    const shop = await h.createTenant('Logged shop');
    await h.client.get('/v1/invoices', { auth: shop.testKey });
    await h.client.get('/v1/invoices', { auth: 'sy_test_' + 'A'.repeat(43) });
    const log = lines.join('\n');
    // Each request is logged (debug level here) by method, path, status and duration only.
    expect(log).toMatch(/"req":\{"id":"req_[0-9a-f]{32}","method":"GET","url":"\/v1\/invoices"\},"res":\{"statusCode":401\}/);
    expect(log).not.toMatch(/authorization/i);
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

describe('bodies and URLs that used to crash the server', () => {
  let h: Harness;
  let shop: { id: string; testKey: string; liveKey: string };
  beforeAll(async () => {
    h = await startHarness();
    shop = await h.createTenant('Odd input shop');
  });
  afterAll(() => h?.close());

  it('JSON nested thousands of levels deep is a 422 naming the depth limit, on any route and before authentication', async () => {
    const body = '['.repeat(5000) + ']'.repeat(5000);
    for (const path of ['/healthz', '/v1/invoices', '/admin/v1/tenants']) {
      const res = await h.client.post(path, { raw: body });
      expect(res.status, path).toBe(422);
      expect(res.body.errors).toEqual([{ field: '/body', message: 'must not nest objects and arrays deeper than 64 levels', code: 'too_deep' }]);
    }
    const objects = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);
    expect((await h.client.post('/v1/invoices', { auth: shop.testKey, raw: objects })).status).toBe(422);
  });

  it.each(['/v1/invoices/%ff', '/v1/gateway-accounts/%zz', '/admin/v1/tenants/%C0%AE', '/sandbox/pay/%ff', '/hooks/cryptopay/%ff', '/hooks/%zz/x', '/checkout/%E0%A4%A/state'])(
    'a path with broken percent-encoding (%s) is 404 problem+json, before authentication',
    async (path) => {
      const res = await h.client.get(path);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'not_found', detail: expect.stringContaining('percent-encoding') });
    },
  );

  it.each(['gzip', 'deflate', 'br'])('a body labelled Content-Encoding: %s that is not compressed is a 400, not zlib’s error', async (coding) => {
    const res = await h.client.post('/v1/invoices', { raw: '{"amount":"1","currency":"USD"}', headers: { 'Content-Encoding': coding } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'malformed_json', detail: expect.stringContaining(coding) });
    expect(JSON.stringify(res.body)).not.toMatch(/incorrect header check|Decompression failed/);
  });

  it('an unknown Content-Encoding is 415 naming the ones accepted; a body really compressed is read', async () => {
    const unknown = await h.client.post('/v1/invoices', { auth: shop.testKey, raw: '{}', headers: { 'Content-Encoding': 'x-unknown' } });
    expect(unknown.status).toBe(415);
    expect(unknown.body.detail).toMatch(/x-unknown.*gzip/);
    // Binary bodies over real HTTP: supertest re-encodes a Buffer sent as JSON.
    const url = await h.listen();
    const post = async (body: Buffer) => {
      const res = await request(`${url}/v1/invoices`, {
        method: 'POST',
        headers: { authorization: `Bearer ${shop.testKey}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body,
      });
      return { status: res.statusCode, body: (await res.body.json()) as { code?: string } };
    };
    const compressed = gzipSync(Buffer.from('{"amount":"1","currency":"USD"}'));
    expect(await post(compressed.subarray(0, 15))).toMatchObject({ status: 400, body: { code: 'malformed_json' } });
    expect((await post(compressed)).status).toBe(201);
  });
});

describe('process_error tells operators what happened in words', () => {
  const lines: string[] = [];
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({}, { logDestination: { write: (line: string) => void lines.push(line) } });
  });
  afterAll(() => h?.close());

  /** A stored, verified webhook for a sandbox invoice of a fresh tenant, and a processor whose connector and invoice service are stand-ins. */
  async function stored(connector: Partial<Connector>, invoices: Partial<InvoiceService> = {}) {
    const shop = await h.createTenant('Processed shop');
    const inv = (await h.client.post('/v1/invoices', { auth: shop.testKey, body: { amount: '1', currency: 'USD' } })).body as { id: string };
    const row = await h.core.db('invoices').where({ id: inv.id }).first();
    const id = newId('uwh');
    await upstreamWebhooksRepo.insert(h.core.db, {
      id,
      connector: 'sandbox',
      gateway_account_id: row.gateway_account_id,
      source_address: '198.51.100.23',
      method: 'POST',
      path: '/hooks/sandbox/x',
      headers: {},
      raw_body: Buffer.from('{}'),
      verified: true,
      verification_error: null,
    });
    const event: UpstreamEvent = { dedupeKey: `k-${id}`, upstreamId: row.upstream_id, status: 'paid', paid: null, raw: {} };
    const process = createUpstreamWebhookProcessor({
      db: h.core.db,
      redis: h.core.redis,
      config: h.config,
      logger: h.core.logger,
      connectors: { get: () => ({ parseWebhook: () => [event], ...connector }) } as never,
      invoices: { ...h.core.invoices, ...invoices } as InvoiceService,
    });
    return { id, process, row: async () => (await upstreamWebhooksRepo.find(h.core.db, id))! };
  }

  it('a body the connector cannot read: a fixed sentence, never the JavaScript error; the detail is logged', async () => {
    const { id, process, row } = await stored({
      parseWebhook: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'invoice_id')");
      },
    });
    expect(await process(id)).toBe('processed');
    expect((await row()).process_error).toBe('unparseable: the body could not be read (details in the worker log)');
    expect(lines.some((l) => l.includes(`"webhook":"${id}"`) && l.includes('Cannot read properties of undefined'))).toBe(true);
  });

  it('a body that does not have the documented shape keeps the connector’s own words, which name the field', async () => {
    const { id, process, row } = await stored({
      parseWebhook: () => {
        throw new WebhookBodyError('body does not have the expected shape: /payload/status: Invalid input');
      },
    });
    await process(id);
    expect((await row()).process_error).toBe('unparseable: body does not have the expected shape: /payload/status: Invalid input');
  });

  it('a failure while applying it: a fixed sentence saying it will be retried; the detail is logged', async () => {
    const { id, process, row } = await stored(
      {},
      {
        applyUpstreamUpdate: async () => {
          throw new TypeError("Cannot read properties of null (reading 'amount')");
        },
      },
    );
    await expect(process(id)).rejects.toThrow(TypeError);
    const after = await row();
    expect(after).toMatchObject({ processed_at: null, process_attempts: 1, process_error: 'processing failed, will retry: an internal error (details in the worker log)' });
    expect(lines.some((l) => l.includes(`"webhook":"${id}"`) && l.includes('Cannot read properties of null'))).toBe(true);
  });
});
