/** What happened on one attempt, as far as scheduling the next one cares. */
export interface AttemptOutcome {
  statusCode: number | null;
  timedOut: boolean;
  /** Seconds the receiver asked us to wait (Retry-After), if it said. */
  retryAfterSeconds: number | null;
}

/** Retry-After is honoured, but never below the schedule nor above this. */
export const MAX_RETRY_AFTER_SECONDS = 24 * 3600;
/** A receiver that is overloaded (429) or too slow gets at least this much breathing room. */
export const MIN_BACKOFF_WHEN_THROTTLED_SECONDS = 30;

/**
 * Seconds until attempt `nextAttempt` (1-based), or null when the schedule is exhausted.
 * schedule[i] is the wait before attempt i+1 (svix / Standard Webhooks: 0, 5 s, 5 min, …).
 * `random` is injectable so tests are exact.
 */
export function delayBeforeAttempt(
  schedule: readonly number[],
  nextAttempt: number,
  outcome: AttemptOutcome,
  random: () => number = Math.random,
): number | null {
  const base = schedule[nextAttempt - 1];
  if (base === undefined) return null;
  // ±20 % jitter so endpoints that failed together do not retry together.
  let delay = base === 0 ? 0 : base * (0.8 + 0.4 * random());
  // A schedule step of 0 (an operator's choice, e.g. in tests) stays immediate.
  if ((outcome.statusCode === 429 || outcome.timedOut) && base > 0) delay = Math.max(delay * 2, MIN_BACKOFF_WHEN_THROTTLED_SECONDS);
  if (outcome.retryAfterSeconds !== null) delay = Math.max(delay, Math.min(outcome.retryAfterSeconds, MAX_RETRY_AFTER_SECONDS));
  return Math.round(delay * 1000) / 1000;
}

/** Retry-After as seconds: either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.round((at - now) / 1000));
}
