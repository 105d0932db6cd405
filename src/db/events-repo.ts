import type { DbOrTx } from './knex.js';
import { newId } from '../domain/ids.js';

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
  /** The outbox write: call it inside the transaction that made the change. */
  insert: async (
    db: DbOrTx,
    row: { tenant_id: string; livemode: boolean; type: string; invoice_id: string | null; data: Record<string, unknown> },
  ): Promise<EventRow> =>
    ((await db('events').insert({ id: newId('evt'), ...row }).returning('*')) as EventRow[])[0]!,
  listForInvoice: async (db: DbOrTx, invoiceId: string): Promise<EventRow[]> =>
    db('events').where({ invoice_id: invoiceId }).orderBy('id', 'asc'),
};
