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

/** What the worker reads before an attempt: the delivery's state and its event. */
export interface DeliveryWithEvent {
  delivery: Pick<DeliveryRow, 'id' | 'status' | 'attempts' | 'endpoint_id'>;
  event: EventRow;
}

/** One attempt to record: its outcome and the delivery's next state. */
export type AttemptOutcome = Omit<DeliveryAttemptRow, 'id' | 'attempted_at' | 'event_id' | 'endpoint_id'> & { next: { status: DeliveryStatus; at: Date | null } };

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
  /** Many deliveries' state with their events in one read (the worker batches its jobs' reads); keyed by delivery id. */
  findManyWithEvents: async (db: DbOrTx, ids: string[]): Promise<Map<string, DeliveryWithEvent>> => {
    const result = (await db
      .raw(
        `SELECT d.id AS d_id, d.status AS d_status, d.attempts AS d_attempts, d.endpoint_id AS d_endpoint_id, e.*
           FROM deliveries d JOIN events e ON e.id = d.event_id
          WHERE d.id = ANY(?::text[])`,
        [ids],
      )
      .options({ name: 'sy_deliveries_with_events' })) as { rows: Array<EventRow & { d_id: string; d_status: DeliveryStatus; d_attempts: number; d_endpoint_id: string }> };
    return new Map(
      result.rows.map(({ d_id, d_status, d_attempts, d_endpoint_id, ...event }) => [d_id, { delivery: { id: d_id, status: d_status, attempts: d_attempts, endpoint_id: d_endpoint_id }, event }]),
    );
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
   * Records attempts in one statement (the worker batches its jobs' records): each one counts on its
   * delivery and sets the delivery's next state, unless another runner already moved it past that
   * attempt (of two entries for the same attempt, one is recorded); each recorded one is logged; and
   * each endpoint's failure streak follows the batch's outcomes in order (a success ends it, a
   * failure starts one unless one is running; the row is written only when that changes it).
   * Resolves, per attempt in order, whether it was recorded and, after a failure, when its
   * endpoint's streak began.
   */
  recordOutcomes: async (db: DbOrTx, attempts: AttemptOutcome[]): Promise<Array<{ recorded: boolean; failingSince: Date | null }>> => {
    const column = <T>(pick: (a: AttemptOutcome) => T) => attempts.map(pick);
    const result = (await db
      .raw(
        `WITH input AS (
           SELECT * FROM unnest(:ids::text[], :attempts::int[], :statuses::text[], :ats::timestamptz[], :oks::boolean[], :codes::int[], :durations::int[], :errors::text[], :bodies::text[])
             WITH ORDINALITY AS i(id, attempt, status, at, ok, status_code, duration_ms, error, response_body, seq)
         ), moved AS (
           UPDATE deliveries d
              SET attempts = i.attempt, status = i.status, last_attempt_at = now(), updated_at = now(), next_attempt_at = COALESCE(i.at, d.next_attempt_at)
             FROM input i
            WHERE d.id = i.id AND d.attempts = i.attempt - 1 AND d.status = 'pending'
            RETURNING d.id, d.event_id, d.endpoint_id, i.attempt, i.ok, i.status_code, i.duration_ms, i.error, i.response_body, i.seq
         ), logged AS (
           INSERT INTO delivery_attempts (delivery_id, event_id, endpoint_id, attempt, succeeded, status_code, duration_ms, error, response_body)
           SELECT id, event_id, endpoint_id, attempt, ok, status_code, duration_ms, error, response_body FROM moved ORDER BY seq
         ), outcomes AS (
           SELECT endpoint_id, bool_or(ok) AS any_ok, (array_agg(ok ORDER BY seq DESC))[1] AS last_ok FROM moved GROUP BY endpoint_id
         ), streak AS (
           UPDATE webhook_endpoints w
              SET failing_since = CASE WHEN o.last_ok THEN NULL WHEN o.any_ok THEN now() ELSE COALESCE(w.failing_since, now()) END
             FROM outcomes o
            WHERE w.id = o.endpoint_id
              AND CASE WHEN o.last_ok THEN w.failing_since IS NOT NULL WHEN o.any_ok THEN true ELSE w.failing_since IS NULL END
            RETURNING w.id, w.failing_since
         )
         SELECT m.seq, CASE WHEN m.ok THEN NULL WHEN s.id IS NOT NULL THEN s.failing_since ELSE w.failing_since END AS failing_since
           FROM moved m
           LEFT JOIN streak s ON s.id = m.endpoint_id
           LEFT JOIN webhook_endpoints w ON w.id = m.endpoint_id`,
        {
          ids: column((a) => a.delivery_id),
          attempts: column((a) => a.attempt),
          statuses: column((a) => a.next.status),
          ats: column((a) => a.next.at),
          oks: column((a) => a.succeeded),
          codes: column((a) => a.status_code),
          durations: column((a) => a.duration_ms),
          errors: column((a) => a.error),
          bodies: column((a) => a.response_body),
        },
      )
      .options({ name: 'sy_record_outcomes' })) as { rows: Array<{ seq: string; failing_since: Date | null }> };
    const bySeq = new Map(result.rows.map((r) => [Number(r.seq), r.failing_since]));
    return attempts.map((_, i) => ({ recorded: bySeq.has(i + 1), failingSince: bySeq.get(i + 1) ?? null }));
  },
  update: async (db: DbOrTx, id: string, patch: Partial<DeliveryRow>): Promise<void> => {
    await db('deliveries').where({ id }).update({ ...patch, updated_at: db.fn.now() });
  },
};
