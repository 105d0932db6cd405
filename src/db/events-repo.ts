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
  listForInvoice: async (db: DbOrTx, invoiceId: string): Promise<EventRow[]> =>
    db('events').where({ invoice_id: invoiceId }).orderBy('id', 'asc'),
};
