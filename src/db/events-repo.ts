import type { DbOrTx } from './knex.js';
import { newId } from '../domain/ids.js';
import { fetchPage, type PageRequest } from './pagination.js';

export interface EventRow {
  id: string;
  tenant_id: string;
  livemode: boolean;
  type: string;
  invoice_id: string | null;
  data: Record<string, unknown>;
  created_at: Date;
  relayed_at: Date | null;
}

export const eventsRepo = {
  /** The outbox write: call it inside the transaction that made the change. */
  insert: async (
    db: DbOrTx,
    row: { tenant_id: string; livemode: boolean; type: string; invoice_id: string | null; data: Record<string, unknown>; relayed_at?: Date },
  ): Promise<EventRow> =>
    ((await db('events').insert({ id: newId('evt'), ...row }).returning('*')) as EventRow[])[0]!,
  find: async (db: DbOrTx, scope: { tenantId: string; livemode: boolean }, id: string): Promise<EventRow | undefined> =>
    db('events').where({ id, tenant_id: scope.tenantId, livemode: scope.livemode }).first(),
  findById: async (db: DbOrTx, id: string): Promise<EventRow | undefined> => db('events').where({ id }).first(),
  list: (db: DbOrTx, scope: { tenantId: string; livemode: boolean }, page: PageRequest, type?: string) => {
    const q = db('events').select('*').where({ tenant_id: scope.tenantId, livemode: scope.livemode });
    if (type) q.where({ type });
    return fetchPage<EventRow>(q, page);
  },
  /** Not yet relayed events, oldest first, locked for this transaction; other relays skip them. */
  lockUnrelayed: async (db: DbOrTx, limit: number): Promise<EventRow[]> =>
    db('events').whereNull('relayed_at').orderBy('id').limit(limit).forUpdate().skipLocked(),
  markRelayed: async (db: DbOrTx, ids: string[]): Promise<void> => {
    await db('events').whereIn('id', ids).update({ relayed_at: db.fn.now() });
  },
  /** Age in seconds of the oldest event not yet relayed or with a delivery still pending; null when none. */
  oldestUndeliveredAgeSeconds: async (db: DbOrTx): Promise<number | null> => {
    const result = (await db.raw(
      `SELECT EXTRACT(EPOCH FROM now() - LEAST(
         (SELECT min(created_at) FROM events WHERE relayed_at IS NULL),
         (SELECT min(e.created_at) FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.status = 'pending'))) AS age`,
    )) as { rows: Array<{ age: string | null }> };
    const age = result.rows[0]?.age;
    return age == null ? null : Number(age);
  },
};
