import type { Core } from '../wiring.js';
import { pingDatabase } from '../db/knex.js';
import type { Handlers } from './handler.js';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

export function systemHandlers(core: Pick<Core, 'db' | 'redis' | 'metrics'>): Handlers<'getHealth' | 'getReadiness' | 'getMetrics'> {
  return {
    async getHealth(_c, _req, res) {
      res.json({ status: 'ok' });
    },
    /** Ready when both shared stores answer; load balancers stop sending traffic otherwise. */
    async getReadiness(_c, _req, res) {
      const [postgres, redis] = await Promise.all([
        withTimeout(pingDatabase(core.db), 2000).then(() => 'ok' as const, () => 'error' as const),
        withTimeout(core.redis.ping(), 2000).then(() => 'ok' as const, () => 'error' as const),
      ]);
      const ok = postgres === 'ok' && redis === 'ok';
      res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'error', checks: { postgres, redis } });
    },
    /** Prometheus scrapes this process's registry (text exposition format). */
    async getMetrics(_c, _req, res) {
      res.type(core.metrics.registry.contentType).send(await core.metrics.registry.metrics());
    },
  };
}
