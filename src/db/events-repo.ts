import type { DbOrTx } from './knex.js';
import { newId } from '../domain/ids.js';
import { fetchPage, type PageRequest } from './pagination.js';
import { outboxRepo } from './outbox-repo.js';

export interface EventRow {
  id: string;
  tenant_id: string;
  livemode: boolean;
  type: string;
  invoice_id: string | null;
  data: Record<string, unknown>;
  created_at: Date;
}

export const eventsRepo = {
  /**
   * The outbox write: call it inside the transaction that made the change (the event joins the
   * relay's outbox with it). `relay: false` for an event delivered some other way (an endpoint's
   * test event): it is taken back out of the outbox, so pass a transaction.
   */
  insert: async (
    db: DbOrTx,
    row: { tenant_id: string; livemode: boolean; type: string; invoice_id: string | null; data: Record<string, unknown> },
    opts: { relay?: boolean } = {},
  ): Promise<EventRow> => {
    const event = ((await db('events').insert({ id: newId('evt'), ...row }).returning('*')) as EventRow[])[0]!;
    if (opts.relay === false) await outboxRepo.skip(db, [event.id]);
    return event;
  },
  find: async (db: DbOrTx, scope: { tenantId: string; livemode: boolean }, id: string): Promise<EventRow | undefined> =>
    db('events').where({ id, tenant_id: scope.tenantId, livemode: scope.livemode }).first(),
  findById: async (db: DbOrTx, id: string): Promise<EventRow | undefined> => db('events').where({ id }).first(),
  list: (db: DbOrTx, scope: { tenantId: string; livemode: boolean }, page: PageRequest, type?: string) => {
    const q = db('events').select('*').where({ tenant_id: scope.tenantId, livemode: scope.livemode });
    if (type) q.where({ type });
    return fetchPage<EventRow>(q, page);
  },
  /** Age in seconds of the oldest event not yet relayed or with a delivery still pending; null when none. */
  oldestUndeliveredAgeSeconds: async (db: DbOrTx): Promise<number | null> => {
    const result = (await db.raw(
      `SELECT EXTRACT(EPOCH FROM now() - LEAST(
         (SELECT min(e.created_at) FROM event_outbox o JOIN events e ON e.id = o.event_id),
         (SELECT min(e.created_at) FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.status = 'pending'))) AS age`,
    )) as { rows: Array<{ age: string | null }> };
    const age = result.rows[0]?.age;
    return age == null ? null : Number(age);
  },
};
