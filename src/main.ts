#!/usr/bin/env node
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { runMigrations } from './db/migrate.js';
import { pingDatabase } from './db/knex.js';
import { createCore, type Core } from './wiring.js';
import { startWorker, type RunningWorker } from './jobs/worker.js';
import { answerMetrics, createMetricsServer } from './http/metrics-server.js';
import { startBanner } from './start-banner.js';
import { packageVersion } from './version.js';

const MODES = ['api', 'worker', 'all', 'migrate'] as const;
type Mode = (typeof MODES)[number];

/** A worker still answers /healthz, /readyz and /metrics so orchestrators and Prometheus can see it. */
function workerProbeServer(core: Core): http.Server {
  return http.createServer((req, res) => {
    void (async () => {
      if (req.url === '/metrics' && core.config.metrics.port === undefined) {
        await answerMetrics(req, res, core.metrics.registry, core.config.metrics.token);
      } else if (req.url === '/healthz') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ok"}');
      } else if (req.url === '/readyz') {
        const ok = await Promise.all([pingDatabase(core.db), core.redis.ping()]).then(() => true, () => false);
        res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: ok ? 'ok' : 'error' }));
      } else {
        res.writeHead(404).end();
      }
    })();
  });
}

async function main(mode: Mode): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  for (const name of config.insecureDefaults) logger.warn(`${name} is not set: using an insecure development default (refused in production)`);

  if (mode === 'migrate' || mode === 'all') await runMigrations(config.databaseUrl, logger);
  if (mode === 'migrate') return;

  const core = createCore(config, logger);
  let worker: RunningWorker | undefined;
  if (mode === 'worker' || mode === 'all') worker = await startWorker(core);

  // The HTTP app (express, the OpenAPI document and its validators) is loaded only where it serves:
  // a worker's memory does not carry it (about 20 MB of RSS).
  const server = mode === 'worker' ? workerProbeServer(core) : http.createServer(await (await import('./app.js')).createApp(core));
  // Longer than any upstream call, shorter than typical proxy idle timeouts.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(config.port, resolve));
  const { port } = server.address() as AddressInfo;
  // METRICS_PORT: /metrics only there, for a port Prometheus reaches and the public does not.
  const metricsServer = config.metrics.port === undefined ? undefined : createMetricsServer(core.metrics.registry, config.metrics.token);
  if (metricsServer) await new Promise<void>((resolve) => metricsServer.listen(config.metrics.port, resolve));
  const metricsPort = metricsServer ? (metricsServer.address() as AddressInfo).port : undefined;
  if (mode === 'worker') {
    logger.info({ port, metricsPort }, `Switchyard worker running (probes on http://localhost:${port}/healthz)`);
  } else {
    logger.info({ mode, port, metricsPort }, `Switchyard ${mode} listening on http://localhost:${port}`);
    console.log(startBanner({ port, publicBaseUrl: config.publicBaseUrl, metricsPort, metricsToken: config.metrics.token !== undefined }));
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new requests, finishing in-flight work');
    const force = setTimeout(() => {
      logger.error('graceful shutdown timed out; exiting');
      process.exit(1);
    }, 25_000).unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    metricsServer?.close();
    metricsServer?.closeAllConnections();
    await closed;
    await worker?.close();
    await core.close();
    clearTimeout(force);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

if (process.argv[2] === '--version' || process.argv[2] === '-v') {
  console.log(packageVersion());
  process.exit(0);
}
const mode = (process.argv[2] ?? 'all') as Mode;
if (!MODES.includes(mode)) {
  console.error(`Unknown mode "${mode}". Usage: node dist/src/main.js <${MODES.join('|')}>`);
  process.exit(2);
}
main(mode).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
  } else {
    console.error('Switchyard failed to start:', err);
  }
  process.exit(1);
});
