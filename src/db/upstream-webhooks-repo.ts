import type { DbOrTx } from './knex.js';
import { fetchPage, type PageRequest } from './pagination.js';

/** The verification_error of an unsigned upstream's webhook (LNbits): accepted as a hint to ask the upstream, never as proof. */
export const UNSIGNED_HINT = 'unsigned_hint';

export interface UpstreamWebhookRow {
  id: string;
  connector: string;
  gateway_account_id: string | null;
  received_at: Date;
  source_address: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  raw_body: Buffer;
  verified: boolean;
  verification_error: string | null;
  processed_at: Date | null;
  process_error: string | null;
  process_attempts: number;
}

export const upstreamWebhooksRepo = {
  insert: async (db: DbOrTx, row: Omit<UpstreamWebhookRow, 'received_at' | 'processed_at' | 'process_error' | 'process_attempts'>): Promise<void> => {
    await db('upstream_webhooks').insert({ ...row, headers: JSON.stringify(row.headers) });
  },
  find: async (db: DbOrTx, id: string): Promise<UpstreamWebhookRow | undefined> => db('upstream_webhooks').where({ id }).first(),
  list: (db: DbOrTx, page: PageRequest, filter: { connector?: string; gatewayAccountId?: string; verified?: boolean; processed?: boolean }) => {
    const q = db('upstream_webhooks').select('*');
    if (filter.connector) q.where({ connector: filter.connector });
    if (filter.gatewayAccountId) q.where({ gateway_account_id: filter.gatewayAccountId });
    if (filter.verified !== undefined) q.where({ verified: filter.verified });
    if (filter.processed !== undefined) q[filter.processed ? 'whereNotNull' : 'whereNull']('processed_at');
    return fetchPage<UpstreamWebhookRow>(q, page);
  },
  markProcessed: async (db: DbOrTx, id: string, error: string | null = null): Promise<void> => {
    await db('upstream_webhooks').where({ id }).update({ processed_at: db.fn.now(), process_error: error });
  },
  markFailed: async (db: DbOrTx, id: string, error: string): Promise<void> => {
    await db('upstream_webhooks').where({ id }).update({ process_error: error, process_attempts: db.raw('process_attempts + 1') });
  },
  /** Verified (or unsigned hints), acknowledged, not yet processed, older than the grace period: the sweeper queues them again. */
  listStale: async (db: DbOrTx, graceMs: number, maxAttempts: number, limit: number): Promise<string[]> =>
    (
      await db('upstream_webhooks')
        // Literal, so that the partial index upstream_webhooks_unprocessed (same predicate) applies.
        .whereRaw(`(verified OR verification_error = '${UNSIGNED_HINT}')`)
        .whereNull('processed_at')
        .andWhere('process_attempts', '<', maxAttempts)
        .andWhere('received_at', '<', db.raw(`now() - (? * interval '1 millisecond')`, [graceMs]))
        .orderBy('received_at')
        .limit(limit)
        .select('id')
    ).map((r: { id: string }) => r.id),
};
