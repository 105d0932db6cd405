import type { DbOrTx } from '../../db/knex.js';
import { webhookEndpointsRepo, type WebhookEndpointRow } from '../../db/webhook-endpoints-repo.js';
import { eventsRepo } from '../../db/events-repo.js';
import { toEndpointObject } from './views.js';

/** The event a tenant gets when Switchyard disables one of its endpoints (openapi/openapi.yaml, EventType). */
export const ENDPOINT_DISABLED_EVENT = 'webhook_endpoint.disabled';

/** Why an endpoint was disabled, in words a tenant can act on. */
export function disabledReason(failingSince: Date, lastError: string | null): string {
  return `deliveries kept failing since ${failingSince.toISOString()}${lastError ? `; last attempt: ${lastError}` : ''}`;
}

/**
 * Disables an endpoint that failed too long and, in the same transaction, writes the
 * `webhook_endpoint.disabled` event (its data: the endpoint as it now is). The outbox relay sends
 * it to the tenant's other enabled endpoints that subscribe to it; the disabled one is no longer
 * among them. Only the transaction that actually disabled it writes the event: once, however many
 * workers saw the failure.
 */
export async function disableFailingEndpoint(trx: DbOrTx, endpointId: string, reason: string): Promise<WebhookEndpointRow | undefined> {
  const row = await webhookEndpointsRepo.disable(trx, endpointId, reason);
  if (!row) return undefined;
  await eventsRepo.insert(trx, {
    tenant_id: row.tenant_id,
    livemode: row.livemode,
    type: ENDPOINT_DISABLED_EVENT,
    invoice_id: null,
    data: toEndpointObject(row),
  });
  return row;
}
