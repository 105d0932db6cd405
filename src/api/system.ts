import type { Core } from '../wiring.js';
import { pingDatabase } from '../db/knex.js';
import type { Handlers } from './handler.js';
import { packageVersion } from '../version.js';
import { withTimeout } from '../with-timeout.js';

export function systemHandlers(core: Pick<Core, 'db' | 'redis' | 'metrics' | 'config'>): Handlers<'getIndex' | 'getHealth' | 'getReadiness' | 'getMetrics'> {
  return {
    /** Where things are, for whoever opens the bare address (absolute, from PUBLIC_BASE_URL). */
    async getIndex(_c, _req, res) {
      const base = core.config.publicBaseUrl;
      res.json({
        name: 'Switchyard',
        version: packageVersion(),
        docs_url: `${base}/docs`,
        openapi_url: `${base}/openapi.json`,
        health_url: `${base}/healthz`,
        readiness_url: `${base}/readyz`,
        api_base_url: `${base}/v1`,
        admin_api_base_url: `${base}/admin/v1`,
      });
    },
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
