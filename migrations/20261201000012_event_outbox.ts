import type { Knex } from 'knex';

/**
 * Events not yet relayed live in a narrow table of their own, `event_outbox` (one row per event,
 * its id only), instead of being found by `events.relayed_at IS NULL`. Marking an event relayed
 * used to rewrite its whole row (about 1.3 KB: the invoice snapshot) and, because the partial index
 * of unrelayed events depended on the column, could never be a HOT update: every relayed event left
 * a dead copy of itself plus a new entry in each of the table's indexes. Now `events` is written
 * once and never updated; the relay deletes small outbox rows instead.
 *
 * A statement-level trigger adds the outbox rows, so every writer of events (the invoice create
 * statement, transitions, an endpoint's disabling, bulk inserts) gets them in its own transaction
 * without knowing. It only inserts: it makes no commit wait on another (unlike the NOTIFY trigger
 * it replaces, see 20261201000011).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE event_outbox (event_id text PRIMARY KEY)`);
  await knex.raw(`
    CREATE FUNCTION switchyard_event_outbox_add() RETURNS trigger AS $$
    BEGIN
      INSERT INTO event_outbox (event_id) SELECT id FROM new_events;
      RETURN NULL;
    END $$ LANGUAGE plpgsql`);
  // Created before the copy below: writers wait on the trigger's lock until this commits, so no event falls between.
  await knex.raw(`CREATE TRIGGER events_outbox AFTER INSERT ON events REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION switchyard_event_outbox_add()`);
  await knex.raw(`INSERT INTO event_outbox (event_id) SELECT id FROM events WHERE relayed_at IS NULL ON CONFLICT DO NOTHING`);
  await knex.raw(`DROP INDEX IF EXISTS events_unrelayed`);
  await knex.schema.alterTable('events', (t) => t.dropColumn('relayed_at'));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('events', (t) => t.timestamp('relayed_at', { useTz: true }));
  await knex.raw(`UPDATE events SET relayed_at = now() WHERE id NOT IN (SELECT event_id FROM event_outbox)`);
  await knex.raw(`CREATE INDEX events_unrelayed ON events (id) WHERE relayed_at IS NULL`);
  await knex.raw(`DROP TRIGGER IF EXISTS events_outbox ON events`);
  await knex.raw(`DROP FUNCTION IF EXISTS switchyard_event_outbox_add()`);
  await knex.raw(`DROP TABLE IF EXISTS event_outbox`);
}
