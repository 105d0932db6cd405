import type { DbOrTx } from './knex.js';
import { newId } from '../domain/ids.js';
import type { EventRow } from './events-repo.js';

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface DeliveryRow {
  id: string;
  event_id: string;
  endpoint_id: string;
  tenant_id: string;
  origin: 'relay' | 'manual';
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface DeliveryAttemptRow {
  id: string;
  delivery_id: string;
  event_id: string;
  endpoint_id: string;
  attempt: number;
  attempted_at: Date;
  succeeded: boolean;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  response_body: string | null;
}

export const deliveriesRepo = {
  /** Relay deliveries are unique per event and endpoint: a second relay pass adds nothing. */
  insertMany: async (db: DbOrTx, rows: Array<Pick<DeliveryRow, 'event_id' | 'endpoint_id' | 'tenant_id' | 'origin'>>): Promise<DeliveryRow[]> => {
    if (!rows.length) return [];
    return (await db('deliveries')
      .insert(rows.map((r) => ({ id: newId('del'), ...r })))
      .onConflict(db.raw(`(event_id, endpoint_id) WHERE origin = 'relay'`) as never)
      .ignore()
      .returning('*')) as DeliveryRow[];
  },
  find: async (db: DbOrTx, id: string): Promise<DeliveryRow | undefined> => db('deliveries').where({ id }).first(),
  /** A delivery's state and its event, in one read (the worker's only one per attempt). */
  findWithEvent: async (db: DbOrTx, id: string): Promise<{ delivery: Pick<DeliveryRow, 'id' | 'status' | 'attempts' | 'endpoint_id'>; event: EventRow } | undefined> => {
    const result = (await db.raw(
      `SELECT d.status AS d_status, d.attempts AS d_attempts, d.endpoint_id AS d_endpoint_id, e.*
         FROM deliveries d JOIN events e ON e.id = d.event_id
        WHERE d.id = ?`,
      [id],
    )) as { rows: Array<EventRow & { d_status: DeliveryStatus; d_attempts: number; d_endpoint_id: string }> };
    const row = result.rows[0];
    if (!row) return undefined;
    const { d_status, d_attempts, d_endpoint_id, ...event } = row;
    return { delivery: { id, status: d_status, attempts: d_attempts, endpoint_id: d_endpoint_id }, event };
  },
  listForEvent: async (db: DbOrTx, eventId: string): Promise<Array<DeliveryRow & { endpoint_url: string }>> =>
    db('deliveries')
      .join('webhook_endpoints', 'webhook_endpoints.id', 'deliveries.endpoint_id')
      .where('deliveries.event_id', eventId)
      .orderBy('deliveries.id', 'desc')
      .select('deliveries.*', 'webhook_endpoints.url as endpoint_url'),
  attemptsForEvent: async (db: DbOrTx, eventId: string): Promise<DeliveryAttemptRow[]> =>
    db('delivery_attempts').where({ event_id: eventId }).orderBy('id', 'asc'),
  /** Pending deliveries whose next attempt is overdue: the sweeper makes sure each has a queued job. */
  listDue: async (db: DbOrTx, graceMs: number, limit: number): Promise<Array<Pick<DeliveryRow, 'id' | 'event_id' | 'endpoint_id' | 'attempts' | 'next_attempt_at'>>> =>
    db('deliveries')
      .where({ status: 'pending' })
      .andWhere('next_attempt_at', '<=', db.raw(`now() - (? * interval '1 millisecond')`, [graceMs]))
      .orderBy('next_attempt_at')
      .limit(limit)
      .select('id', 'event_id', 'endpoint_id', 'attempts', 'next_attempt_at'),
  /** Of these (delivery, attempts) pairs, the ones still pending at exactly that many attempts: nobody moved them on since. */
  stillPending: async (db: DbOrTx, rows: Array<Pick<DeliveryRow, 'id' | 'attempts'>>): Promise<Array<Pick<DeliveryRow, 'id' | 'attempts'>>> => {
    if (!rows.length) return [];
    const result = (await db.raw(
      `SELECT d.id, d.attempts FROM deliveries d
         JOIN unnest(?::text[], ?::int[]) AS s(id, attempts) ON s.id = d.id AND s.attempts = d.attempts
        WHERE d.status = 'pending'`,
      [rows.map((r) => r.id), rows.map((r) => r.attempts)],
    )) as { rows: Array<Pick<DeliveryRow, 'id' | 'attempts'>> };
    return result.rows;
  },
  recordAttempt: async (db: DbOrTx, row: Omit<DeliveryAttemptRow, 'id' | 'attempted_at'>): Promise<void> => {
    await db('delivery_attempts').insert(row);
  },
  /**
   * One statement for one attempt: counts it on the delivery and sets its next state (unless another
   * runner already moved it past that attempt), logs the attempt, and keeps the endpoint's failure
   * streak (a success ends it; a failure starts one unless one is running; the row is written only
   * when that changes it). Resolves whether this call recorded it and, after a failure, when the
   * endpoint's streak began.
   */
  recordOutcome: async (
    db: DbOrTx,
    a: Omit<DeliveryAttemptRow, 'id' | 'attempted_at' | 'event_id' | 'endpoint_id'> & { next: { status: DeliveryStatus; at: Date | null } },
  ): Promise<{ recorded: boolean; failingSince: Date | null }> => {
    const result = (await db.raw(
      `WITH moved AS (
         UPDATE deliveries
            SET attempts = CAST(:attempt AS int), status = :status, last_attempt_at = now(), updated_at = now(),
                next_attempt_at = COALESCE(CAST(:at AS timestamptz), next_attempt_at)
          WHERE id = :id AND attempts = :attempt - 1 AND status = 'pending'
          RETURNING id, event_id, endpoint_id
       ), logged AS (
         INSERT INTO delivery_attempts (delivery_id, event_id, endpoint_id, attempt, succeeded, status_code, duration_ms, error, response_body)
         SELECT id, event_id, endpoint_id, CAST(:attempt AS int), CAST(:ok AS boolean), CAST(:statusCode AS int), CAST(:durationMs AS int), CAST(:error AS text), CAST(:responseBody AS text) FROM moved
       ), streak AS (
         UPDATE webhook_endpoints w
            SET failing_since = CASE WHEN CAST(:ok AS boolean) THEN NULL ELSE now() END
           FROM moved
          WHERE w.id = moved.endpoint_id AND (CASE WHEN CAST(:ok AS boolean) THEN w.failing_since IS NOT NULL ELSE w.failing_since IS NULL END)
          RETURNING w.failing_since
       )
       SELECT EXISTS (SELECT 1 FROM moved) AS recorded,
              CASE WHEN CAST(:ok AS boolean) THEN NULL
                   ELSE COALESCE((SELECT failing_since FROM streak), (SELECT w.failing_since FROM webhook_endpoints w JOIN moved ON w.id = moved.endpoint_id)) END AS failing_since`,
      {
        id: a.delivery_id,
        attempt: a.attempt,
        status: a.next.status,
        at: a.next.at,
        ok: a.succeeded,
        statusCode: a.status_code,
        durationMs: a.duration_ms,
        error: a.error,
        responseBody: a.response_body,
      },
    )) as { rows: Array<{ recorded: boolean; failing_since: Date | null }> };
    const row = result.rows[0]!;
    return { recorded: row.recorded, failingSince: row.failing_since };
  },
  /**
   * Counts attempt `attempt` and sets the delivery's next state, unless another runner already
   * moved it past that attempt; resolves whether this call did.
   */
  advance: async (db: DbOrTx, id: string, attempt: number, next: { status: DeliveryStatus; at: Date | null }): Promise<boolean> => {
    const moved = await db('deliveries')
      .where({ id, attempts: attempt - 1, status: 'pending' })
      .update({ attempts: attempt, status: next.status, last_attempt_at: db.fn.now(), updated_at: db.fn.now(), ...(next.at ? { next_attempt_at: next.at } : {}) });
    return moved > 0;
  },
  update: async (db: DbOrTx, id: string, patch: Partial<DeliveryRow>): Promise<void> => {
    await db('deliveries').where({ id }).update({ ...patch, updated_at: db.fn.now() });
  },
};
