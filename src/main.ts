#!/usr/bin/env node
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { runMigrations } from './db/migrate.js';
import { pingDatabase } from './db/knex.js';
import { createCore, type Core } from './wiring.js';
import { createApp } from './app.js';
import { startWorker, type RunningWorker } from './jobs/worker.js';

const MODES = ['api', 'worker', 'all', 'migrate'] as const;
type Mode = (typeof MODES)[number];

/** A worker still answers /healthz, /readyz and /metrics so orchestrators and Prometheus can see it. */
function workerProbeServer(core: Core): http.Server {
  return http.createServer((req, res) => {
    void (async () => {
      if (req.url === '/metrics') {
        res.writeHead(200, { 'Content-Type': core.metrics.registry.contentType }).end(await core.metrics.registry.metrics());
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

  const server = mode === 'worker' ? workerProbeServer(core) : http.createServer(await createApp(core));
  // Longer than any upstream call, shorter than typical proxy idle timeouts.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(config.port, resolve));
  const { port } = server.address() as AddressInfo;
  if (mode === 'worker') {
    logger.info({ port }, `Switchyard worker running (probes on http://localhost:${port}/healthz)`);
  } else {
    logger.info({ mode, port }, `Switchyard ${mode} listening on http://localhost:${port}`);
    console.log(`\n  Switchyard API:  http://localhost:${port}/v1\n  API docs:        http://localhost:${port}/docs\n  Public base URL: ${config.publicBaseUrl}\n`);
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
