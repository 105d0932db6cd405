import { afterAll, beforeAll, it } from 'vitest';
import { Redis } from 'ioredis';
import supertest from 'supertest';
import { startHarness, type Harness } from './helpers/harness.js';
import { createCore } from '../src/wiring.js';
import { createApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { createDb } from '../src/db/knex.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(() => h?.close());

it('probe', async () => {
  const t = await h.createTenant();
  const deadRedis = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
  const core = createCore(h.config, createLogger('silent'), { redis: deadRedis });
  try { console.log('CONSUME OK', await core.rateLimiter.consume('abc')); } catch (e) { console.log('CONSUME ERR', String(e)); }
  const r1 = await supertest(await createApp(core)).get('/v1/connectors').set('Authorization', `Bearer ${t.testKey}`);
  console.log('REDIS DOWN', r1.status, JSON.stringify(r1.headers), r1.text.slice(0, 200));
  await core.close();
  const core2 = createCore(h.config, createLogger('debug'), { db: createDb('postgres://root@127.0.0.1:1/none', { max: 1 }) });
  const r2 = await supertest(await createApp(core2)).get('/v1/connectors').set('Authorization', `Bearer ${t.testKey}`);
  console.log('DB DOWN', r2.status, r2.text.slice(0, 300));
  await core2.close();
});
