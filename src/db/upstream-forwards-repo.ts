import type { DbOrTx } from './knex.js';

export type UpstreamForwardStatus = 'pending' | 'delivered' | 'failed';

/** One stored upstream webhook being passed on to a receiver of the tenant's. */
export interface UpstreamForwardRow {
  upstream_webhook_id: string;
  gateway_account_id: string;
  url: string;
  status: UpstreamForwardStatus;
  attempts: number;
  next_attempt_at: Date;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

const leaseUntil = (db: DbOrTx, leaseMs: number) => db.raw(`now() + (? * interval '1 millisecond')`, [leaseMs]);

export const upstreamForwardsRepo = {
  /** Idempotent: processing the same webhook again adds nothing. */
  insert: async (db: DbOrTx, row: Pick<UpstreamForwardRow, 'upstream_webhook_id' | 'gateway_account_id' | 'url'>): Promise<void> => {
    await db('upstream_forwards').insert(row).onConflict('upstream_webhook_id').ignore();
  },
  find: async (db: DbOrTx, webhookId: string): Promise<UpstreamForwardRow | undefined> => db('upstream_forwards').where({ upstream_webhook_id: webhookId }).first(),
  listForAccount: async (db: DbOrTx, gatewayAccountId: string): Promise<UpstreamForwardRow[]> =>
    db('upstream_forwards').where({ gateway_account_id: gatewayAccountId }).orderBy('created_at'),
  /** Takes one due forward for an attempt (its next_attempt_at moves past the attempt's lease), or nothing if it is not due. */
  claim: async (db: DbOrTx, webhookId: string, leaseMs: number): Promise<UpstreamForwardRow | undefined> =>
    ((await db('upstream_forwards')
      .where({ upstream_webhook_id: webhookId, status: 'pending' })
      .andWhere('next_attempt_at', '<=', db.fn.now())
      .update({ next_attempt_at: leaseUntil(db, leaseMs) })
      .returning('*')) as UpstreamForwardRow[])[0],
  /** Takes the forwards now due, oldest first; concurrent sweepers skip each other's. */
  claimDue: async (db: DbOrTx, leaseMs: number, limit: number): Promise<UpstreamForwardRow[]> =>
    (await db('upstream_forwards')
      .whereIn(
        'upstream_webhook_id',
        db('upstream_forwards').select('upstream_webhook_id').where({ status: 'pending' }).andWhere('next_attempt_at', '<=', db.fn.now()).orderBy('next_attempt_at').limit(limit).forUpdate().skipLocked(),
      )
      .update({ next_attempt_at: leaseUntil(db, leaseMs) })
      .returning('*')) as UpstreamForwardRow[],
  /** Records attempt number `attempt` and what comes next, unless that attempt was already recorded. */
  recordAttempt: async (
    db: DbOrTx,
    webhookId: string,
    attempt: number,
    next: Pick<UpstreamForwardRow, 'url' | 'status' | 'last_status_code' | 'last_error'> & { next_attempt_at: Date | null },
  ): Promise<boolean> => {
    const { next_attempt_at, ...rest } = next;
    const updated = await db('upstream_forwards')
      .where({ upstream_webhook_id: webhookId, attempts: attempt - 1, status: 'pending' })
      .update({
        ...rest,
        attempts: attempt,
        ...(next_attempt_at ? { next_attempt_at } : {}),
        ...(next.status === 'delivered' ? { delivered_at: db.fn.now() } : {}),
      });
    return updated === 1;
  },
  /** Gives up on a forward that can no longer be made (the account was deleted, forwarding switched off). */
  abandon: async (db: DbOrTx, webhookId: string, reason: string): Promise<void> => {
    await db('upstream_forwards').where({ upstream_webhook_id: webhookId, status: 'pending' }).update({ status: 'failed', last_error: reason });
  },
};
