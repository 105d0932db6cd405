import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process wiring (not prom-client's global), so tests can build several apps. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'switchyard_http_request_duration_seconds',
      help: 'HTTP request duration by route template, method and status code',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    invoicesCreated: new Counter({
      name: 'switchyard_invoices_created_total',
      help: 'Invoices created, by connector and resulting status',
      labelNames: ['connector', 'status'] as const,
      registers: [registry],
    }),
    latePayments: new Counter({
      name: 'switchyard_late_payments_total',
      help: 'Payments reported for invoices already expired, cancelled or failed (invoice.late_payment), by connector',
      labelNames: ['connector'] as const,
      registers: [registry],
    }),
    invoiceTransitions: new Counter({
      name: 'switchyard_invoice_transitions_total',
      help: 'Invoice status changes, by connector and new status',
      labelNames: ['connector', 'status'] as const,
      registers: [registry],
    }),
    webhookDeliveries: new Counter({
      name: 'switchyard_webhook_deliveries_total',
      help: 'Outbound webhook attempts by result: succeeded, retrying (failed, another attempt scheduled) or failed (given up)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    webhookRequeued: new Counter({
      name: 'switchyard_webhook_deliveries_requeued_total',
      help: 'Pending deliveries the sweeper queued again because their job was gone (Redis lost it, or it could not be queued)',
      registers: [registry],
    }),
    webhookAttemptDuration: new Histogram({
      name: 'switchyard_webhook_attempt_duration_seconds',
      help: 'Duration of outbound webhook HTTP attempts',
      labelNames: ['outcome'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
      registers: [registry],
    }),
    circuitOpened: new Counter({
      name: 'switchyard_circuit_opened_total',
      help: 'Gateway account circuits opened after consecutive retryable upstream failures, by connector',
      labelNames: ['connector'] as const,
      registers: [registry],
    }),
    routingSkipped: new Counter({
      name: 'switchyard_routing_skipped_total',
      help: 'Gateway accounts skipped while routing an invoice because their circuit was open, by connector',
      labelNames: ['connector'] as const,
      registers: [registry],
    }),
    // Round trips, the unit the hot paths are measured in (the benchmarks divide them by requests).
    dbQueries: new Counter({
      name: 'switchyard_db_queries_total',
      help: 'Statements sent to PostgreSQL (BEGIN and COMMIT included)',
      registers: [registry],
    }),
    redisCommands: new Counter({
      name: 'switchyard_redis_commands_total',
      help: 'Commands sent to Redis on the main connection (queues and subscriptions have their own)',
      registers: [registry],
    }),
    upstreamCalls: new Histogram({
      name: 'switchyard_upstream_call_duration_seconds',
      help: 'Upstream gateway calls, by connector, operation and outcome',
      labelNames: ['connector', 'operation', 'outcome'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
