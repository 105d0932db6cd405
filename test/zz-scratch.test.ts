import { it } from 'vitest';
import { startHarness } from './helpers/harness.js';
import { startTcpProxy } from './helpers/tcp-proxy.js';

it('scratch', async () => {
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
  const h = await startHarness({ REDIS_URL: proxy.url('redis') });
  const shop = await h.createTenant('x');
  const r = h.core.redis as unknown as { sendCommand(c: { name: string; promise: Promise<unknown> }): unknown };
  const orig = r.sendCommand.bind(r);
  const t0 = Date.now();
  r.sendCommand = (c) => { const s = Date.now(); console.log('cmd', c.name, s - t0); c.promise.then(() => console.log('  done', c.name, Date.now() - s), (e) => console.log('  fail', c.name, Date.now() - s, (e as Error).message.slice(0, 40))); return orig(c); };
  await proxy.cut();
  const t = (label: string, p: Promise<unknown>) => { const s = Date.now(); return p.then((v) => console.log(label, 'ok', Date.now() - s), (e) => console.log(label, 'err', Date.now() - s, (e as Error).message)); };
  await t('post', h.client.post('/v1/invoices', { auth: shop.testKey, body: { amount: '9.99', currency: 'USD' } }).then((r) => r.status));
  await t('post', h.client.post('/v1/invoices', { auth: shop.testKey, body: { amount: '9.99', currency: 'USD' } }).then((r) => r.status));
  proxy.restore();
  const s = Date.now();
  await h.close();
  console.log('close', Date.now() - s);
  await proxy.close();
}, 60000);
