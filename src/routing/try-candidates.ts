import type { GatewayAccountRow } from '../db/gateway-accounts-repo.js';
import type { GatewayAttempt } from '../db/invoices-repo.js';
import { UpstreamError } from '../connectors/types.js';
import type { Metrics } from '../metrics.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { orderByPriorityAndWeight } from './weighted-order.js';

/** An account left out while trying, and why. */
export interface PassedOver {
  account_id: string;
  reason: string;
}

export interface CandidateTries<T> {
  /** The account that took the request and its answer; absent when none did. */
  created?: { account: GatewayAccountRow; result: T };
  /** Every call made, in order: what the invoice records as its gateway attempts. */
  attempts: GatewayAttempt[];
  /** Accounts not called because their circuit is open. */
  skipped: PassedOver[];
  /** Accounts that answered they cannot take this request; nothing was created there. */
  unsuitable: PassedOver[];
}

export interface TryCandidatesDeps {
  breaker: CircuitBreaker;
  metrics: Pick<Metrics, 'routingSkipped' | 'circuitOpened'>;
}

/**
 * Calls the candidate accounts, priority first and weighted among equals, until one takes the
 * request. Accounts with an open circuit are skipped; an `unsuitable` answer moves on like an
 * ineligible account; a retryable failure counts against the account's circuit and fails over;
 * a decline or non-retryable failure is about the request itself and stops here. Used alike for
 * an API create (`routing`) and a buyer's pick on the checkout page (`buyer`).
 * `call` must reject with UpstreamError only.
 */
export async function tryCandidates<T>(
  candidates: GatewayAccountRow[],
  call: (account: GatewayAccountRow) => Promise<T>,
  deps: TryCandidatesDeps,
  selectedBy: 'routing' | 'buyer' = 'routing',
): Promise<CandidateTries<T>> {
  const tries: CandidateTries<T> = { attempts: [], skipped: [], unsuitable: [] };
  for (const account of orderByPriorityAndWeight(candidates)) {
    if (!(await deps.breaker.allow(account.id))) {
      tries.skipped.push({ account_id: account.id, reason: 'circuit open after repeated upstream failures' });
      deps.metrics.routingSkipped.inc({ connector: account.connector });
      continue;
    }
    const attempted_at = new Date().toISOString();
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const result = await call(account);
      tries.attempts.push({ account_id: account.id, connector: account.connector, outcome: 'succeeded', code: null, duration_ms: elapsed(), selected_by: selectedBy, attempted_at });
      await deps.breaker.recordSuccess(account.id);
      tries.created = { account, result };
      return tries;
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      if (err.kind === 'unsuitable') {
        // The upstream answered, so the account is healthy; it just cannot take this one.
        await deps.breaker.recordSuccess(account.id);
        tries.unsuitable.push({ account_id: account.id, reason: err.message });
        continue;
      }
      tries.attempts.push({
        account_id: account.id,
        connector: account.connector,
        outcome: err.kind === 'decline' ? 'declined' : 'failed',
        code: err.upstreamCode ?? null,
        duration_ms: elapsed(),
        selected_by: selectedBy,
        attempted_at,
      });
      if (!err.retryable) return tries;
      if (await deps.breaker.recordFailure(account.id)) deps.metrics.circuitOpened.inc({ connector: account.connector });
    }
  }
  return tries;
}
