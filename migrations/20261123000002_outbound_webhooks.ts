import type { Knex } from 'knex';

/**
 * Outbound webhooks, svix's model: an event (the outbox row) → one delivery per matching endpoint
 * → one attempt per HTTP try. `events.relayed_at` marks outbox rows already turned into deliveries.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_endpoints', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.boolean('livemode').notNullable();
    t.text('url').notNullable();
    t.text('description');
    // NULL = every event type.
    t.specificType('events', 'text[]');
    t.boolean('enabled').notNullable().defaultTo(true);
    t.text('disabled_reason');
    // AES-256-GCM envelopes (security/secret-box); the previous secret signs alongside until it expires.
    t.text('secret_encrypted').notNullable();
    t.text('previous_secret_encrypted');
    t.timestamp('previous_secret_expires_at', { useTz: true });
    // Start of the current run of failed deliveries; cleared by any success.
    t.timestamp('failing_since', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('deleted_at', { useTz: true });
    t.index(['tenant_id', 'livemode', 'id']);
  });

  await knex.schema.alterTable('events', (t) => {
    t.timestamp('relayed_at', { useTz: true });
  });
  await knex.raw(`CREATE INDEX events_unrelayed ON events (id) WHERE relayed_at IS NULL`);
  // Wake the relay as soon as an event commits (it also polls, in case a notification is missed).
  await knex.raw(`
    CREATE FUNCTION switchyard_notify_event() RETURNS trigger AS $$
    BEGIN
      PERFORM pg_notify('switchyard_events', NEW.id);
      RETURN NEW;
    END $$ LANGUAGE plpgsql`);
  await knex.raw(`CREATE TRIGGER events_notify AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION switchyard_notify_event()`);

  await knex.schema.createTable('deliveries', (t) => {
    t.text('id').primary();
    t.text('event_id').notNullable().references('events.id').onDelete('CASCADE');
    t.text('endpoint_id').notNullable().references('webhook_endpoints.id').onDelete('CASCADE');
    t.text('tenant_id').notNullable();
    // relay: made by the outbox relay (at most one per event and endpoint); manual: a redelivery.
    t.text('origin').notNullable().defaultTo('relay');
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_attempt_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['event_id']);
  });
  await knex.raw(`ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check CHECK (status IN ('pending','succeeded','failed'))`);
  await knex.raw(`CREATE UNIQUE INDEX deliveries_one_per_endpoint ON deliveries (event_id, endpoint_id) WHERE origin = 'relay'`);
  await knex.raw(`CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending'`);

  await knex.schema.createTable('delivery_attempts', (t) => {
    t.bigIncrements('id');
    t.text('delivery_id').notNullable().references('deliveries.id').onDelete('CASCADE');
    t.text('event_id').notNullable();
    t.text('endpoint_id').notNullable();
    t.integer('attempt').notNullable();
    t.timestamp('attempted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.boolean('succeeded').notNullable();
    t.integer('status_code');
    t.integer('duration_ms').notNullable();
    t.text('error');
    t.text('response_body');
    t.index(['event_id']);
    t.index(['delivery_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('delivery_attempts');
  await knex.schema.dropTableIfExists('deliveries');
  await knex.raw(`DROP TRIGGER IF EXISTS events_notify ON events`);
  await knex.raw(`DROP FUNCTION IF EXISTS switchyard_notify_event()`);
  await knex.raw(`DROP INDEX IF EXISTS events_unrelayed`);
  await knex.schema.alterTable('events', (t) => t.dropColumn('relayed_at'));
  await knex.schema.dropTableIfExists('webhook_endpoints');
}
