import pg from 'pg';
import { IdempotencyClaimLost } from './idempotency-repo.js';

/**
 * Whether a statement that failed certainly wrote nothing. Only when PostgreSQL itself answered
 * with an ERROR: a statement run on its own is then rolled back. A lost connection, a FATAL from
 * the server (it is going away) or a client-side timeout leave the outcome unknown: the commit
 * may have happened and only its answer was lost, so nothing that assumes "not stored" (such as
 * cancelling the upstream invoice it points at) may follow.
 */
export function certainlyRolledBack(err: unknown): boolean {
  return err instanceof pg.DatabaseError && err.severity === 'ERROR' && !err.code?.startsWith('08');
}

/**
 * Whether a failed write certainly stored nothing: PostgreSQL refused it, or it found its
 * Idempotency-Key taken over and wrote nothing. Only then may what was done upstream for it be undone.
 */
export function writeStoredNothing(err: unknown): boolean {
  return err instanceof IdempotencyClaimLost || certainlyRolledBack(err);
}
