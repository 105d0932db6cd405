import type { EventRow } from '../../db/events-repo.js';
import type { DeliveryAttemptRow, DeliveryRow } from '../../db/deliveries-repo.js';
import type { WebhookEndpointRow } from '../../db/webhook-endpoints-repo.js';

/** The public WebhookEndpoint object: never its signing secrets. */
export function toEndpointObject(row: WebhookEndpointRow) {
  return {
    id: row.id,
    object: 'webhook_endpoint' as const,
    livemode: row.livemode,
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    disabled_reason: row.disabled_reason,
    disabled_at: row.disabled_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function toEventObject(row: EventRow) {
  return {
    id: row.id,
    object: 'event' as const,
    type: row.type,
    livemode: row.livemode,
    created_at: row.created_at.toISOString(),
    data: row.data,
  };
}

/** What a tenant's endpoint receives (see docs/architecture.md): the same bytes on every attempt. */
export function webhookBody(row: Pick<EventRow, 'id' | 'type' | 'created_at' | 'data'>): string {
  return JSON.stringify({ id: row.id, type: row.type, timestamp: row.created_at.toISOString(), data: row.data });
}

export function toDeliveryObject(row: DeliveryRow & { endpoint_url: string }, attempts: DeliveryAttemptRow[]) {
  return {
    id: row.id,
    object: 'delivery' as const,
    event_id: row.event_id,
    endpoint_id: row.endpoint_id,
    endpoint_url: row.endpoint_url,
    origin: row.origin,
    status: row.status,
    attempt_count: row.attempts,
    next_attempt_at: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    created_at: row.created_at.toISOString(),
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      attempted_at: a.attempted_at.toISOString(),
      succeeded: a.succeeded,
      status_code: a.status_code,
      duration_ms: a.duration_ms,
      error: a.error,
      response_body: a.response_body,
    })),
  };
}
