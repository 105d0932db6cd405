import { encodeTime } from 'ulid';
import type { DbOrTx } from './knex.js';
import type { DeliveryRow } from './deliveries-repo.js';

/** A delivery the relay made: what its job needs. */
export type RelayedDelivery = Pick<DeliveryRow, 'id' | 'event_id' | 'endpoint_id'>;

/**
 * `event_outbox`: the events not yet relayed, one narrow row each, added by a trigger on `events`
 * (migrations/20261201000012_event_outbox.ts) in the writer's own transaction.
 */
export const outboxRepo = {
  /**
   * Relays up to `limit` events in one statement: takes their outbox rows (rows another relay holds
   * are skipped, never waited for), and makes one relay delivery per event and enabled endpoint
   * subscribed to its type, all in one commit. A crash before the jobs are queued leaves pending
   * deliveries, which the sweeper queues; none is made twice (one per event and endpoint).
   *
   * Delivery ids are made here: `del_`, this moment's ULID time (10 characters, as newId's), and 16
   * random hex digits (upper case, within ULID's alphabet).
   */
  relayBatch: async (db: DbOrTx, limit: number): Promise<{ events: number; deliveries: RelayedDelivery[] }> => {
    const result = (await db.raw(
      `WITH claimed AS (
         DELETE FROM event_outbox
          WHERE event_id = ANY (ARRAY(SELECT event_id FROM event_outbox ORDER BY event_id LIMIT :limit FOR UPDATE SKIP LOCKED))
          RETURNING event_id
       ), made AS (
         INSERT INTO deliveries (id, event_id, endpoint_id, tenant_id, origin)
         SELECT :idPrefix || upper(substr(md5(random()::text || e.id || w.id), 1, 16)), e.id, w.id, e.tenant_id, 'relay'
           FROM claimed c
           JOIN events e ON e.id = c.event_id
           JOIN webhook_endpoints w ON w.tenant_id = e.tenant_id AND w.livemode = e.livemode AND w.enabled AND w.deleted_at IS NULL
                                   AND (w.events IS NULL OR e.type = ANY (w.events))
         ON CONFLICT (event_id, endpoint_id) WHERE origin = 'relay' DO NOTHING
         RETURNING id, event_id, endpoint_id
       )
       SELECT (SELECT count(*) FROM claimed)::int AS events,
              COALESCE((SELECT json_agg(json_build_array(id, event_id, endpoint_id) ORDER BY event_id, endpoint_id) FROM made), '[]') AS deliveries`,
      { limit, idPrefix: `del_${encodeTime(Date.now(), 10)}` },
    )) as { rows: Array<{ events: number; deliveries: Array<[string, string, string]> }> };
    const row = result.rows[0]!;
    return { events: row.events, deliveries: row.deliveries.map(([id, event_id, endpoint_id]) => ({ id, event_id, endpoint_id })) };
  },
  /** Takes events out of the relay's way (delivered some other way): call it in the transaction that wrote them. */
  skip: async (db: DbOrTx, eventIds: string[]): Promise<void> => {
    await db('event_outbox').whereIn('event_id', eventIds).delete();
  },
};
