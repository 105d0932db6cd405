/**
 * What `npm start` prints once the API listens: only links that answer (the bare /v1 is not a
 * page), where the public links point, and where Prometheus scrapes.
 */
export function startBanner(opts: { port: number; publicBaseUrl: string; metricsPort?: number | undefined; metricsToken: boolean }): string {
  const local = `http://localhost:${opts.port}`;
  const metrics = `http://localhost:${opts.metricsPort ?? opts.port}/metrics${opts.metricsToken ? '  (Authorization: Bearer $METRICS_TOKEN)' : ''}`;
  return [
    '',
    `  Switchyard:       ${local}/  (links to everything below)`,
    `  API docs:         ${local}/docs`,
    `  OpenAPI:          ${local}/openapi.json`,
    `  Health:           ${local}/healthz`,
    `  Metrics:          ${metrics}`,
    '  Tenant API:       paths under /v1 (e.g. GET /v1/invoices) with an API key; operators under /admin/v1',
    `  Public base URL:  ${opts.publicBaseUrl}  (checkout and upstream webhook links are built from it)`,
    '',
  ].join('\n');
}
