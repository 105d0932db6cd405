import type { Knex } from 'knex';

/**
 * The outbox relay is no longer woken by a `pg_notify` trigger on `events`: NOTIFY makes every
 * committing transaction that notified take one cluster-wide lock at commit, so concurrent writers
 * of events queued behind each other. Writers now publish a wake-up on Redis after their commit
 * (src/webhooks/outbound/outbox-wake.ts), and the relay still polls.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`DROP TRIGGER IF EXISTS events_notify ON events`);
  await knex.raw(`DROP FUNCTION IF EXISTS switchyard_notify_event()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION switchyard_notify_event() RETURNS trigger AS $$
    BEGIN
      PERFORM pg_notify('switchyard_events', NEW.id);
      RETURN NEW;
    END $$ LANGUAGE plpgsql`);
  await knex.raw(`CREATE TRIGGER events_notify AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION switchyard_notify_event()`);
}
