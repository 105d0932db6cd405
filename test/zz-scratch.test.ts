import { it } from 'vitest';
import { QueueBase } from 'bullmq';
import { startHarness } from './helpers/harness.js';
import { startTcpProxy } from './helpers/tcp-proxy.js';
import { startWorker } from '../src/jobs/worker.js';

it('scratch', async () => {
  const orig = QueueBase.prototype.emit;
  QueueBase.prototype.emit = function (this: QueueBase, ev: string, ...args: unknown[]) {
    if (ev === 'error' && this.listenerCount('error') === 0) console.log('NO LISTENER', this.constructor.name, this.name);
    return orig.call(this, ev as never, ...(args as never[]));
  } as typeof orig;
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
  const h = await startHarness({ REDIS_URL: proxy.url('redis') });
  const w = await startWorker(h.core);
  await proxy.cut();
  await new Promise((r) => setTimeout(r, 1500));
  proxy.restore();
  await w.close();
  await h.close();
  await proxy.close();
}, 60000);
