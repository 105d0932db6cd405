import type { DbOrTx } from './knex.js';

export interface IdempotencyRow {
  tenant_id: string;
  livemode: boolean;
  key: string;
  request_hash: string;
  state: 'in_progress' | 'completed';
  response_status: number | null;
  response_body: unknown;
  created_at: Date;
}

export const IDEMPOTENCY_TTL_HOURS = 24;
/** A claim still in progress after this long belongs to a process that died; it may be taken over. */
export const ABANDONED_AFTER_SECONDS = 120;

export const idempotencyRepo = {
  /**
   * Claims the key for this request. Returns undefined when claimed; otherwise the row that holds it.
   * A row older than the TTL, or an abandoned claim, is taken over as if it had never existed.
   */
  claim: async (db: DbOrTx, scope: { tenant_id: string; livemode: boolean; key: string }, requestHash: string): Promise<IdempotencyRow | undefined> => {
    const claimed = await db.raw(
      `INSERT INTO idempotency_keys (tenant_id, livemode, key, request_hash, state)
       VALUES (?, ?, ?, ?, 'in_progress')
       ON CONFLICT (tenant_id, livemode, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, state = 'in_progress', response_status = NULL,
             response_body = NULL, created_at = now(), completed_at = NULL
         WHERE idempotency_keys.created_at < now() - interval '${IDEMPOTENCY_TTL_HOURS} hours'
            OR (idempotency_keys.state = 'in_progress' AND idempotency_keys.created_at < now() - interval '${ABANDONED_AFTER_SECONDS} seconds')
       RETURNING key`,
      [scope.tenant_id, scope.livemode, scope.key, requestHash],
    );
    if (claimed.rows.length) return undefined;
    return db('idempotency_keys').where(scope).first();
  },
  complete: async (db: DbOrTx, scope: { tenant_id: string; livemode: boolean; key: string }, status: number, body: unknown) => {
    await db('idempotency_keys')
      .where(scope)
      .update({ state: 'completed', response_status: status, response_body: JSON.stringify(body), completed_at: db.fn.now() });
  },
  /** Frees the key after a failure the client may retry (a 5xx). */
  release: async (db: DbOrTx, scope: { tenant_id: string; livemode: boolean; key: string }) => {
    await db('idempotency_keys').where(scope).andWhere({ state: 'in_progress' }).delete();
  },
};
