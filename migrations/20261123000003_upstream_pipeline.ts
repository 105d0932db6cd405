import type { Knex } from 'knex';

/**
 * The upstream side: every inbound webhook request exactly as received (for verification,
 * processing after the acknowledgement, and disputes), and per-invoice reconciliation back-off.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('upstream_webhooks', (t) => {
    t.text('id').primary();
    t.text('connector').notNullable();
    // No foreign key: requests for unknown accounts are stored too.
    t.text('gateway_account_id');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('source_address').notNullable();
    t.text('method').notNullable();
    t.text('path').notNullable();
    t.jsonb('headers').notNullable();
    // The exact bytes the signature was checked over.
    t.binary('raw_body').notNullable();
    t.boolean('verified').notNullable();
    t.text('verification_error');
    t.timestamp('processed_at', { useTz: true });
    t.text('process_error');
    t.integer('process_attempts').notNullable().defaultTo(0);
    t.index(['connector', 'id']);
    t.index(['gateway_account_id', 'id']);
  });
  await knex.raw(`CREATE INDEX upstream_webhooks_unprocessed ON upstream_webhooks (received_at) WHERE verified AND processed_at IS NULL`);

  await knex.schema.alterTable('invoices', (t) => {
    t.integer('reconcile_attempts').notNullable().defaultTo(0);
    t.timestamp('next_reconcile_at', { useTz: true });
  });
  await knex.raw(
    `CREATE INDEX invoices_reconcile_due ON invoices (next_reconcile_at) WHERE status IN ('pending','processing') AND connector <> 'sandbox'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX IF EXISTS invoices_reconcile_due`);
  await knex.schema.alterTable('invoices', (t) => {
    t.dropColumn('reconcile_attempts');
    t.dropColumn('next_reconcile_at');
  });
  await knex.schema.dropTableIfExists('upstream_webhooks');
}
