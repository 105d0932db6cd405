import type { GatewayAccountRow } from '../db/gateway-accounts-repo.js';
import type { CircuitView } from '../routing/circuit-breaker.js';

/**
 * The public GatewayAccount object. What it needs beyond the row (where the upstream sends its
 * webhooks, the circuit breaker's state) is looked up by the caller.
 */
export function toGatewayAccountObject(row: GatewayAccountRow, live: { webhookUrl: string | null; circuit: CircuitView }) {
  return {
    id: row.id,
    object: 'gateway_account' as const,
    livemode: row.livemode,
    connector: row.connector,
    name: row.name,
    config: row.config,
    enabled: row.enabled,
    priority: row.priority,
    weight: row.weight,
    currencies: row.currencies,
    min_amount: row.min_amount,
    max_amount: row.max_amount,
    webhook_url: live.webhookUrl,
    circuit: live.circuit,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
