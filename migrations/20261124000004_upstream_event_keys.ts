import type { Knex } from 'knex';

/**
 * Upstream events already applied, per account and the upstream's own event identity (BTCPay's
 * originalDeliveryId, which its redeliveries keep). A later copy is recorded as a duplicate and
 * skipped instead of being applied (or, for BTCPay, re-queried) again.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('upstream_event_keys', (t) => {
    t.text('gateway_account_id').notNullable();
    t.text('dedupe_key').notNullable();
    t.text('upstream_webhook_id').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['gateway_account_id', 'dedupe_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('upstream_event_keys');
}
