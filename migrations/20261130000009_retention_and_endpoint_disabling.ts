import type { Knex } from 'knex';

/**
 * Retention and endpoint disabling.
 * - Indexes on the age of what the retention job prunes (stored upstream webhooks, upstream event
 *   keys, delivery attempts), so each small batch finds its rows without scanning the table.
 * - `webhook_endpoints.disabled_at`: when the endpoint was disabled (by Switchyard or by the tenant).
 * - Idempotency claims carry a lease renewed by the request that holds them, and the claim's own
 *   token: a claim whose request died (its lease ran out) is taken over within seconds, and only
 *   the holder of the claim may complete it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX upstream_webhooks_received_at ON upstream_webhooks (received_at)`);
  await knex.raw(`CREATE INDEX upstream_event_keys_created_at ON upstream_event_keys (created_at)`);
  await knex.raw(`CREATE INDEX delivery_attempts_attempted_at ON delivery_attempts (attempted_at)`);

  await knex.schema.alterTable('webhook_endpoints', (t) => {
    t.timestamp('disabled_at', { useTz: true });
  });
  await knex.raw(`UPDATE webhook_endpoints SET disabled_at = updated_at WHERE NOT enabled AND deleted_at IS NULL`);

  await knex.schema.alterTable('idempotency_keys', (t) => {
    t.text('claim_token');
    t.timestamp('locked_until', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('idempotency_keys', (t) => {
    t.dropColumn('claim_token');
    t.dropColumn('locked_until');
  });
  await knex.schema.alterTable('webhook_endpoints', (t) => t.dropColumn('disabled_at'));
  await knex.raw(`DROP INDEX IF EXISTS delivery_attempts_attempted_at`);
  await knex.raw(`DROP INDEX IF EXISTS upstream_event_keys_created_at`);
  await knex.raw(`DROP INDEX IF EXISTS upstream_webhooks_received_at`);
}
