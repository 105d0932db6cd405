import http from 'node:http';
import type { Registry } from 'prom-client';
import { metricsAuthorized } from '../security/metrics-token.js';

/**
 * Answers GET /metrics outside the API's router (the worker's probe server, the METRICS_PORT
 * listener): the registry's text, or 401 when a token is set and not sent.
 */
export async function answerMetrics(req: http.IncomingMessage, res: http.ServerResponse, registry: Registry, token: string | undefined): Promise<void> {
  if (!metricsAuthorized(req.headers.authorization, token)) {
    res
      .writeHead(401, { 'Content-Type': 'application/problem+json', 'WWW-Authenticate': 'Bearer realm="metrics"' })
      .end(JSON.stringify({ type: 'https://switchyard.dev/problems/unauthorized', title: 'Unauthorized', status: 401, code: 'unauthorized', detail: 'Send Authorization: Bearer <METRICS_TOKEN>' }));
    return;
  }
  res.writeHead(200, { 'Content-Type': registry.contentType }).end(await registry.metrics());
}

/** The METRICS_PORT listener: /metrics only, so Prometheus can reach it on a port the public never sees. */
export function createMetricsServer(registry: Registry, token: string | undefined): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      answerMetrics(req, res, registry, token).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: only GET /metrics is served on this port\n');
    }
  });
}
