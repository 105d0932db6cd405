import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createDb, type Db } from './db/knex.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createConnectorRegistry } from './connectors/registry.js';
import { createSecretBox } from './security/secret-box.js';
import { createInvoiceService } from './invoices/invoice-service.js';
import { createCheckoutService } from './checkout/checkout-service.js';
import { createTenantService } from './tenants/tenant-service.js';
import { createOperatorTokenVerifier } from './security/operator-token.js';
import { createRateLimiter } from './security/rate-limiter.js';
import { createAuthenticator } from './http/authenticate.js';
import { createDeliveryQueue } from './webhooks/outbound/delivery-queue.js';
import { createEndpointService } from './webhooks/outbound/endpoint-service.js';
import { registerWebhookGauges } from './webhooks/outbound/webhook-gauges.js';
import { createGuardedDispatcher } from './security/outbound-guard.js';
import { createUpstreamHttp } from './connectors/kit/http.js';
import { createUpstreamWebhookQueue } from './webhooks/inbound/upstream-webhook-queue.js';
import { createWebhookIngress } from './webhooks/inbound/ingress.js';
import { createGatewayAccountService } from './gateway-accounts/gateway-account-service.js';
import { createCircuitBreaker } from './routing/circuit-breaker.js';
import { createSharedCache } from './security/shared-cache.js';
import { createEndpointCache, type CachedEndpoint } from './webhooks/outbound/endpoint-cache.js';
import { createOutboxWake } from './webhooks/outbound/outbox-wake.js';
import type { ApiKeyWithTenant } from './db/api-keys-repo.js';
import type { GatewayAccountRow } from './db/gateway-accounts-repo.js';

/**
 * Everything a process needs, built once and passed down (no module-level singletons):
 * tests call this with their own database and Redis prefix.
 */
export function createCore(config: Config, logger: Logger, overrides: { db?: Db; redis?: Redis } = {}) {
  const db = overrides.db ?? createDb(config.databaseUrl);
  // No offline queue: while Redis is away, commands fail at once (the rate limiter falls back to
  // memory, /readyz says so) instead of holding every API request until Redis returns.
  const redis =
    overrides.redis ??
    new Redis(config.redisUrl, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: (times: number) => Math.min(times * 200, 2000),
    });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  const metrics: Metrics = createMetrics();
  countRoundTrips(db, redis, metrics);
  const secretBox = createSecretBox(config.masterKey);
  // Every outbound connection (tenant webhooks, upstream base_urls) goes through the address guard.
  const outboundDispatcher = createGuardedDispatcher({ allowPrivate: config.allowPrivateWebhookUrls, allowList: config.webhook.allowedHosts });
  const connectors = createConnectorRegistry({ db, publicBaseUrl: config.publicBaseUrl, http: createUpstreamHttp(outboundDispatcher, { timeoutMs: config.upstreamTimeoutMs }) });
  const operatorTokens = createOperatorTokenVerifier(config);
  // Keys and gateway accounts are read on every request: each process caches them, and a change
  // anywhere drops them everywhere at once (Redis pub/sub); the TTL bounds a missed message.
  const keyCache = createSharedCache<ApiKeyWithTenant>(redis, { name: 'api-keys', keyPrefix: config.queuePrefix, ttlMs: 30_000, max: 10_000, logger });
  const accountsCache = createSharedCache<{ rows: GatewayAccountRow[] }>(redis, { name: 'gateway-accounts', keyPrefix: config.queuePrefix, ttlMs: 30_000, max: 10_000, logger });
  const breaker = createCircuitBreaker(redis, { keyPrefix: config.queuePrefix, ...config.circuitBreaker, logger });
  // Writers of events wake the outbox relays by Redis pub/sub after their commit; the relays also poll.
  const outboxWake = createOutboxWake(redis, { keyPrefix: config.queuePrefix, logger });
  const invoices = createInvoiceService({ db, connectors, secretBox, metrics, logger, publicBaseUrl: config.publicBaseUrl, breaker, accountsCache, outboxWake });
  const deliveryQueue = createDeliveryQueue(config, logger);
  // The delivery worker's endpoints, secrets opened; any change to one drops it in every process.
  const endpointsCache = createSharedCache<CachedEndpoint>(redis, { name: 'webhook-endpoints', keyPrefix: config.queuePrefix, ttlMs: 30_000, max: 10_000, logger });
  const endpointCache = createEndpointCache({ db, secretBox, cache: endpointsCache });
  registerWebhookGauges(metrics, { db, deliveryQueue });
  const upstreamWebhookQueue = createUpstreamWebhookQueue(config, logger);
  const limiter = (name: string, max: number, windowSeconds: number) => createRateLimiter(redis, { max, windowSeconds, keyPrefix: `${config.queuePrefix}:${name}` });
  const checkout = createCheckoutService({
    db,
    invoices,
    connectors,
    publicBaseUrl: config.publicBaseUrl,
    limits: {
      choicesPerInvoice: limiter('checkout-choice-invoice', config.checkout.choicesPerInvoice, config.checkout.choiceWindowSeconds),
      choicesPerAddress: limiter('checkout-choice-address', config.checkout.choicesPerAddress, config.checkout.choiceWindowSeconds),
      requestsPerAddress: limiter('checkout-address', config.checkout.requestsPerAddressPerMinute, 60),
    },
  });
  return {
    config,
    logger,
    db,
    redis,
    metrics,
    secretBox,
    outboundDispatcher,
    connectors,
    invoices,
    checkout,
    deliveryQueue,
    endpointCache,
    outboxWake,
    upstreamWebhookQueue,
    ingress: createWebhookIngress({ db, connectors, secretBox, publicBaseUrl: config.publicBaseUrl, upstreamWebhookQueue, logger }),
    breaker,
    gatewayAccounts: createGatewayAccountService({ db, config, secretBox, connectors, breaker, logger, accountChanges: accountsCache }),
    endpoints: createEndpointService({ db, config, secretBox, deliveryQueue, endpointCache, logger }),
    tenants: createTenantService({ db, keyChanges: keyCache }),
    authenticator: createAuthenticator({ db, operatorTokens, logger, keyCache }),
    rateLimiter: createRateLimiter(redis, { ...config.rateLimit, keyPrefix: config.queuePrefix }),
    async close() {
      await deliveryQueue.close().catch(() => undefined);
      await upstreamWebhookQueue.close().catch(() => undefined);
      await outboundDispatcher.close().catch(() => undefined);
      await breaker.close();
      keyCache.close();
      accountsCache.close();
      endpointsCache.close();
      await Promise.allSettled([db.destroy(), redis.quit()]);
    },
  };
}

/** Every PostgreSQL statement and Redis command counts in /metrics (the benchmarks report them per request). */
function countRoundTrips(db: Db, redis: Redis, metrics: Metrics): void {
  db.on('query', () => metrics.dbQueries.inc());
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((...args: Parameters<Redis['sendCommand']>) => {
    metrics.redisCommands.inc();
    return send(...args);
  }) as Redis['sendCommand'];
}

export type Core = ReturnType<typeof createCore>;
