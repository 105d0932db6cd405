import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import type { Document } from 'openapi-backend';
import type { Core } from './wiring.js';
import { ApiError, isProblem, sendProblem } from './http/problem.js';
import { bodyParserError, jsonBody } from './http/json-body.js';
import { checkRequestUrl } from './http/request-url.js';
import { requestLogging } from './http/request-log.js';
import { createOpenApiRouter, loadOpenApiDocument } from './http/openapi.js';
import { invoiceHandlers } from './api/invoices.js';
import { connectorHandlers } from './api/connectors.js';
import { operatorHandlers } from './api/tenants.js';
import { systemHandlers } from './api/system.js';
import { sandboxHandlers } from './api/sandbox.js';
import { checkoutHandlers } from './api/checkout.js';
import { CHECKOUT_ASSETS_DIR } from './paths.js';
import { webhookEndpointHandlers } from './api/webhook-endpoints.js';
import { eventHandlers } from './api/events.js';
import { gatewayAccountHandlers } from './api/gateway-accounts.js';
import { upstreamWebhookHandlers } from './api/upstream-webhooks.js';
import type { Handlers } from './api/handler.js';
import { metricsAuthorized } from './security/metrics-token.js';

/** Builds the HTTP app: helmet, logging, metrics, body parsing, docs, then openapi-backend for every API route. */
export async function createApp(core: Core, document: Document = loadOpenApiDocument()) {
  const { logger, metrics } = core;
  // Every operation of the spec, /metrics included: leaving one out does not compile.
  const handlers: Handlers = {
    ...invoiceHandlers(core),
    ...connectorHandlers(core),
    ...operatorHandlers(core),
    ...systemHandlers(core),
    ...sandboxHandlers(core),
    ...checkoutHandlers(core),
    ...webhookEndpointHandlers(core),
    ...eventHandlers(core),
    ...gatewayAccountHandlers(core),
    ...upstreamWebhookHandlers(core),
  };
  const api = await createOpenApiRouter({
    document,
    handlers,
    security: {
      apiKey: async (_c, req, res) => {
        const auth = await core.authenticator.tenant(req);
        res.locals.tenant = auth;
        const { headers } = await core.rateLimiter.consume(auth.keyId);
        res.set(headers);
        return auth;
      },
      // With METRICS_PORT set, /metrics lives only there; with METRICS_TOKEN, only for its bearer.
      metricsToken: async (_c, req) => {
        if (core.config.metrics.port !== undefined) throw new ApiError('not_found', `No route for ${req.method} ${req.path}`);
        if (!metricsAuthorized(req.headers.authorization, core.config.metrics.token)) {
          throw new ApiError('unauthorized', 'Send Authorization: Bearer <METRICS_TOKEN>', { headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' } });
        }
        return true;
      },
      operatorJwt: async (_c, req, res) => {
        const auth = await core.authenticator.operator(req);
        res.locals.operator = auth;
        return auth;
      },
    },
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');

  app.use(requestLogging(app, logger));
  // ETags for API answers would cost a SHA-1 of every body; no client here revalidates them.
  app.set('etag', false);
  app.use(helmet());
  app.use((req: Request, res: Response, next: NextFunction) => {
    const end = metrics.httpRequestDuration.startTimer();
    res.on('finish', () => end({ method: req.method, route: (res.locals.route as string | undefined) ?? 'unmatched', status: String(res.statusCode) }));
    next();
  });

  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  // Same CSP as the API minus upgrade-insecure-requests, which blanks the UI when it is served over plain HTTP on a non-localhost host.
  const docsCsp = helmet.contentSecurityPolicy({ directives: { upgradeInsecureRequests: null } });
  app.use('/docs', docsCsp, swaggerUi.serve, swaggerUi.setup(document, { swaggerOptions: { persistAuthorization: true }, customSiteTitle: 'Switchyard API' }));

  // The checkout page's stylesheet and script: same origin, so its CSP can stay 'self' only.
  app.use('/assets/checkout', express.static(CHECKOUT_ASSETS_DIR, { index: false, maxAge: '1h', fallthrough: true }));

  app.use(checkRequestUrl);
  app.use(jsonBody(core.config.bodyLimit));
  app.use(async (req: Request, res: Response) => {
    await api.handleRequest(
      { method: req.method, path: req.path, body: req.body, query: req.query as Record<string, string>, headers: req.headers as Record<string, string> },
      req,
      res,
    );
  });

  // The single place errors become answers; anything unexpected is a generic 500 with the request id.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const problem = isProblem(err) ? err : bodyParserError(err);
    if (problem) return sendProblem(res, problem, String(req.id));
    req.log.error({ err }, 'unhandled error');
    sendProblem(res, new ApiError('internal_error', 'Something went wrong on our side; quote the request id when you report it'), String(req.id));
  });
  return app;
}
