import type { Knex } from 'knex';
import type { Db, DbOrTx } from './knex.js';

export interface IdempotencyRow {
  tenant_id: string;
  livemode: boolean;
  key: string;
  request_hash: string;
  state: 'in_progress' | 'completed';
  response_status: number | null;
  response_body: unknown;
  created_at: Date;
  /** Who holds an in-progress claim (a random token per request). */
  claim_token: string | null;
  /** An in-progress claim whose holder stopped renewing it by then is abandoned (the request died). */
  locked_until: Date | null;
}

export type IdempotencyScope = { tenant_id: string; livemode: boolean; key: string };

/**
 * A claimed key handed to a service that writes its answer itself, in the same statement or
 * transaction as what it creates (invoice create: one statement; see writeWithAnswer for the
 * others): a crash can then never leave the object without its completed key, which a retry after
 * the claim's lease would otherwise take as never written, and write again.
 */
export interface IdempotencyFinish {
  scope: IdempotencyScope;
  /** The claim's holder: the statement writes nothing unless this request still holds the key. */
  token: string;
  /** The kept answer as stored (encrypted). */
  seal(body: unknown): unknown;
  /** Tells the caller the key is completed, so it does not complete it again. */
  done(): void;
}

/**
 * The claim was taken over (its lease ran out while the request stalled) before the change was
 * written: nothing was written; the key's new holder answers.
 */
export class IdempotencyClaimLost extends Error {
  constructor() {
    super('the Idempotency-Key was taken over by a retry before this request finished');
  }
}

export const IDEMPOTENCY_TTL_HOURS = 24;
/** Claims from before leases existed (no locked_until): abandoned after this long, as they always were. */
export const ABANDONED_AFTER_SECONDS = 120;

export type ClaimResult = { claimed: true } | { claimed: false; row: IdempotencyRow | undefined };

export const idempotencyRepo = {
  /**
   * Claims the key for this request under `token`, leased for `leaseMs`. A row older than the
   * TTL, or an in-progress claim whose lease ran out (its request died), is taken over as if it
   * had never existed; otherwise resolves the row that holds the key.
   */
  claim: async (db: DbOrTx, scope: IdempotencyScope, requestHash: string, token: string, leaseMs: number): Promise<ClaimResult> => {
    const claimed = await db.raw(
      `INSERT INTO idempotency_keys (tenant_id, livemode, key, request_hash, state, claim_token, locked_until)
       VALUES (?, ?, ?, ?, 'in_progress', ?, now() + make_interval(secs => ?))
       ON CONFLICT (tenant_id, livemode, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, state = 'in_progress', response_status = NULL,
             response_body = NULL, created_at = now(), completed_at = NULL,
             claim_token = EXCLUDED.claim_token, locked_until = EXCLUDED.locked_until
         WHERE idempotency_keys.created_at < now() - interval '${IDEMPOTENCY_TTL_HOURS} hours'
            OR (idempotency_keys.state = 'in_progress' AND (
                  idempotency_keys.locked_until < now()
               OR (idempotency_keys.locked_until IS NULL AND idempotency_keys.created_at < now() - interval '${ABANDONED_AFTER_SECONDS} seconds')))
       RETURNING key`,
      [scope.tenant_id, scope.livemode, scope.key, requestHash, token, leaseMs / 1000],
    );
    if (claimed.rows.length) return { claimed: true };
    return { claimed: false, row: await db('idempotency_keys').where(scope).first() };
  },
  /** Extends the claim's lease while its request runs; resolves whether the claim is still this request's. */
  renew: async (db: DbOrTx, scope: IdempotencyScope, token: string, leaseMs: number): Promise<boolean> =>
    (await db('idempotency_keys')
      .where({ ...scope, claim_token: token, state: 'in_progress' })
      .update({ locked_until: db.raw(`now() + make_interval(secs => ?)`, [leaseMs / 1000]) })) > 0,
  /** Keeps the answer, if the claim is still this request's; resolves whether it was. */
  complete: async (db: DbOrTx, scope: IdempotencyScope, token: string, status: number, body: unknown): Promise<boolean> =>
    (await db('idempotency_keys')
      .where({ ...scope, claim_token: token, state: 'in_progress' })
      .update({ state: 'completed', response_status: status, response_body: JSON.stringify(body), completed_at: db.fn.now(), locked_until: null })) > 0,
  /** Frees the key after a failure the client may retry (a 5xx), if the claim is still this request's. */
  release: async (db: DbOrTx, scope: IdempotencyScope, token: string) => {
    await db('idempotency_keys').where({ ...scope, claim_token: token, state: 'in_progress' }).delete();
  },
  find: async (db: DbOrTx, scope: IdempotencyScope): Promise<IdempotencyRow | undefined> => db('idempotency_keys').where(scope).first(),
};

/**
 * Runs a create's write and resolves with the answer it yields; with an Idempotency-Key, the key
 * is completed with that answer in the same transaction as the write: a commit whose answer is
 * lost (or a crash right after it) leaves the key completed, so the client's retry is replayed the
 * object rather than writing a second one. Throws IdempotencyClaimLost, writing nothing, when a
 * retry took the key over meanwhile.
 */
export async function writeWithAnswer<T, A>(
  db: Db,
  finish: IdempotencyFinish | undefined,
  write: (trx: DbOrTx) => Promise<T>,
  answer: { status: number; of: (written: T) => A | Promise<A> },
): Promise<A> {
  if (!finish) return answer.of(await write(db));
  const shown = await db.transaction(async (trx: Knex.Transaction) => {
    const body = await answer.of(await write(trx));
    if (!(await idempotencyRepo.complete(trx, finish.scope, finish.token, answer.status, finish.seal(body)))) throw new IdempotencyClaimLost();
    return body;
  });
  finish.done();
  return shown;
}
