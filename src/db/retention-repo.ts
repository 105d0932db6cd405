import type { DbOrTx } from './knex.js';

/** What the retention job prunes; each entry is one table and the rows of it that may go. */
export type RetentionTarget = 'upstream_webhooks' | 'upstream_event_keys' | 'delivery_attempts' | 'idempotency_keys';

/**
 * The rows old enough to go, per table: `?` is the age in seconds. Never what is still needed: a
 * verified upstream webhook not yet processed, or the attempts of a delivery still pending.
 */
const PRUNABLE: Record<RetentionTarget, string> = {
  upstream_webhooks: `SELECT ctid FROM upstream_webhooks
    WHERE received_at < now() - make_interval(secs => ?) AND NOT (verified AND processed_at IS NULL)`,
  upstream_event_keys: `SELECT ctid FROM upstream_event_keys WHERE created_at < now() - make_interval(secs => ?)`,
  delivery_attempts: `SELECT ctid FROM delivery_attempts a
    WHERE attempted_at < now() - make_interval(secs => ?)
      AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.id = a.delivery_id AND d.status = 'pending')`,
  idempotency_keys: `SELECT ctid FROM idempotency_keys WHERE created_at < now() - make_interval(secs => ?)`,
};

export const retentionRepo = {
  /**
   * Deletes at most `limit` prunable rows older than `ageSeconds`, in one short statement that
   * takes only those rows' locks (rows locked by someone else are skipped, never waited for);
   * resolves how many went.
   */
  pruneBatch: async (db: DbOrTx, target: RetentionTarget, ageSeconds: number, limit: number): Promise<number> => {
    const result = (await db.raw(`DELETE FROM ${target} WHERE ctid = ANY(ARRAY(${PRUNABLE[target]} LIMIT ? FOR UPDATE SKIP LOCKED))`, [ageSeconds, limit])) as {
      rowCount: number | null;
    };
    return result.rowCount ?? 0;
  },
};
