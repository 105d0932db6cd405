import type { Knex } from 'knex';

/**
 * Upstreams that sign nothing (LNbits) send webhooks that are stored unverified with
 * `verification_error = 'unsigned_hint'` and still processed, as a reason to ask the upstream.
 * The sweeper looks for those too, so its partial index covers them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX IF EXISTS upstream_webhooks_unprocessed`);
  await knex.raw(
    `CREATE INDEX upstream_webhooks_unprocessed ON upstream_webhooks (received_at) WHERE (verified OR verification_error = 'unsigned_hint') AND processed_at IS NULL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX IF EXISTS upstream_webhooks_unprocessed`);
  await knex.raw(`CREATE INDEX upstream_webhooks_unprocessed ON upstream_webhooks (received_at) WHERE verified AND processed_at IS NULL`);
}
