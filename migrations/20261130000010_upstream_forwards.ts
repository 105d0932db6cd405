import type { Knex } from 'knex';

/**
 * Upstream webhooks passed on to the tenant: a Telegram bot whose webhook Switchyard owns gets
 * every update that is not about a Switchyard invoice forwarded, unchanged, to its own URL
 * (`config.forward_url`). One row per stored webhook to pass on, retried with back-off until
 * delivered or out of attempts; a restart only delays it (the worker's sweeper picks it up).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('upstream_forwards', (t) => {
    t.text('upstream_webhook_id').primary().references('upstream_webhooks.id').onDelete('CASCADE');
    t.text('gateway_account_id').notNullable();
    // The address of the last attempt (the account's forward_url then).
    t.text('url').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    // Also the lease of an attempt in flight: moved past its timeout when an attempt is claimed.
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('last_status_code');
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('delivered_at', { useTz: true });
    t.index(['gateway_account_id', 'created_at']);
  });
  await knex.raw(`ALTER TABLE upstream_forwards ADD CONSTRAINT upstream_forwards_status_check CHECK (status IN ('pending','delivered','failed'))`);
  await knex.raw(`CREATE INDEX upstream_forwards_due ON upstream_forwards (next_attempt_at) WHERE status = 'pending'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('upstream_forwards');
}
