import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import supertest from 'supertest';
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import type { Express } from 'express';
import { OpenAPIBackend } from 'openapi-backend';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createCore, type Core } from '../../src/wiring.js';
import { createApp } from '../../src/app.js';
import { loadOpenApiDocument, withFormats } from '../../src/http/openapi.js';
import { signOperatorToken } from '../../src/security/operator-token.js';
import { createDatabaseFromTemplate, databaseUrl, dropDatabase } from './databases.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let specValidator: Promise<OpenAPIBackend> | undefined;
/** A separate openapi-backend instance used only to check responses against the document. */
function getSpecValidator(): Promise<OpenAPIBackend> {
  specValidator ??= (async () => {
    const api = new OpenAPIBackend({ definition: loadOpenApiDocument(), strict: true, validate: true, customizeAjv: withFormats });
    await api.init();
    return api;
  })();
  return specValidator;
}

export interface SendOptions {
  auth?: string;
  body?: unknown;
  /** Sent as-is instead of JSON (for malformed bodies and wrong content types). */
  raw?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Every answer a test receives is checked against the OpenAPI document: the spec cannot drift from the code. */
export async function assertMatchesSpec(method: string, path: string, res: supertest.Response): Promise<void> {
  const spec = await getSpecValidator();
  const pathname = path.split('?')[0]!;
  const contentType = String(res.headers['content-type'] ?? '');
  const operation = spec.matchOperation({ method, path: pathname, headers: {} });
  // Error answers are problem+json, except where the document says otherwise: /readyz's 503
  // (its Readiness body) and the checkout page's 404 page for people.
  const documented = operation?.responses?.[String(res.status)] as { content?: Record<string, unknown> } | undefined;
  const htmlAllowed = /^text\/html/.test(contentType) && documented?.content?.['text/html'] !== undefined;
  if (res.status >= 400 && pathname !== '/readyz' && !htmlAllowed) {
    expect(contentType, `${method} ${path} → ${res.status} must be problem+json`).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status: res.status, code: expect.any(String) });
  }
  if (!operation) return; // unknown route or method: only the problem shape above applies
  if (!/json/.test(contentType)) return; // e.g. the checkout's HTML page; its schema is a plain string
  const result = spec.validateResponse(res.body, operation, res.status);
  if (result.errors?.length) {
    throw new Error(`${method} ${path} → ${res.status} does not match the OpenAPI document:\n${JSON.stringify(result.errors, null, 2)}\nbody: ${JSON.stringify(res.body, null, 2)}`);
  }
}

export function createClient(app: Express) {
  const send = async (method: 'get' | 'post' | 'patch' | 'delete' | 'put', path: string, opts: SendOptions = {}) => {
    let req = supertest(app)[method](path);
    if (opts.auth) req = req.set('Authorization', `Bearer ${opts.auth}`);
    for (const [k, v] of Object.entries(opts.headers ?? {})) req = req.set(k, v);
    if (opts.raw !== undefined) {
      req = req.set('Content-Type', opts.contentType ?? 'application/json').send(opts.raw as string);
    } else if (opts.body !== undefined) {
      req = req.set('Content-Type', opts.contentType ?? 'application/json').send(JSON.stringify(opts.body));
    }
    const res = await req;
    await assertMatchesSpec(method.toUpperCase(), path, res);
    return res;
  };
  return {
    get: (path: string, opts?: SendOptions) => send('get', path, opts),
    post: (path: string, opts?: SendOptions) => send('post', path, opts),
    patch: (path: string, opts?: SendOptions) => send('patch', path, opts),
    delete: (path: string, opts?: SendOptions) => send('delete', path, opts),
    put: (path: string, opts?: SendOptions) => send('put', path, opts),
  };
}

export type Client = ReturnType<typeof createClient>;

export interface Harness {
  config: Config;
  env: Record<string, string>;
  core: Core;
  app: Express;
  client: Client;
  operatorToken: string;
  /** Serves the app on a loopback port (for callers that are real HTTP clients, like upstream emulators). */
  listen(): Promise<string>;
  /** A tenant with one test key and one live key, made through the operator API. */
  createTenant(name?: string): Promise<{ id: string; testKey: string; liveKey: string }>;
  close(): Promise<void>;
}

/**
 * One isolated Switchyard per test file: its own database (copied from the migrated template),
 * its own Redis key prefix, the real app over real HTTP semantics (supertest).
 */
export async function startHarness(
  envOverrides: Record<string, string> = {},
  opts: { logDestination?: { write(line: string): void } } = {},
): Promise<Harness> {
  // The response checker compiles the whole document once per test file: do it here, under the
  // hook's timeout, rather than inside whichever test happens to receive the first answer.
  const [dbName] = await Promise.all([createDatabaseFromTemplate(), getSpecValidator()]);
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl(dbName),
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `sytest:${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PUBLIC_BASE_URL: 'http://switchyard.test',
    ALLOW_PRIVATE_WEBHOOK_URLS: 'true',
    OPERATOR_JWT_SECRET: 'test-operator-secret-that-is-long-enough-123',
    MASTER_KEY: randomBytes(32).toString('base64'),
    RATE_LIMIT_MAX: '100000',
    ...envOverrides,
  };
  const config = loadConfig(env);
  const core = createCore(config, createLogger(opts.logDestination ? 'debug' : config.logLevel, opts.logDestination));
  const app = await createApp(core);
  const client = createClient(app);
  const operatorToken = await signOperatorToken(config.operatorJwtSecret, 'tests', 3600);
  let server: http.Server | undefined;
  return {
    config,
    env,
    core,
    app,
    client,
    operatorToken,
    async listen() {
      if (!server) {
        server = http.createServer(app);
        await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      }
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async createTenant(name = 'Test shop') {
      const tenant = await client.post('/admin/v1/tenants', { auth: operatorToken, body: { name } });
      expect(tenant.status).toBe(201);
      const keys = await Promise.all(
        (['test', 'live'] as const).map((mode) => client.post(`/admin/v1/tenants/${tenant.body.id}/api-keys`, { auth: operatorToken, body: { mode } })),
      );
      for (const k of keys) expect(k.status).toBe(201);
      return { id: tenant.body.id as string, testKey: keys[0]!.body.secret as string, liveKey: keys[1]!.body.secret as string };
    },
    async close() {
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server!.close(() => resolve()));
      }
      await core.close();
      await deleteRedisKeys(config.queuePrefix);
      await dropDatabase(dbName);
    },
  };
}

/** Removes a test's queue keys, through its own connection (the app's may be cut or reconnecting in fault tests). */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** Polls until `check` passes or the deadline ends; never a bare sleep. */
export async function eventually<T>(check: () => Promise<T>, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
    }
  }
}
