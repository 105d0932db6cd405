import type { SwitchyardError } from './errors.js';

/**
 * Whether a failed call may be sent again.
 * - `safe`: repeating it cannot do anything twice (reads, updates, deletes, and POSTs that carry
 *   an Idempotency-Key or only refresh state): retried on no answer, on 5xx and on 429.
 * - `once`: repeating it would act twice (rotate a secret, send a test event, redeliver):
 *   retried only on 429, which the API answers before doing anything.
 */
export type RetryPolicy = 'safe' | 'once';

export interface RetrySettings {
  maxRetries: number;
  /** No single wait is longer; an API asking for a longer one gets its error thrown at once. */
  maxDelayMs: number;
  /** The first backoff step; each next one doubles. */
  baseDelayMs: number;
}

/**
 * How long to wait before retrying after `error` (the `attempt`-th retry, from 0), or undefined
 * when it must not be retried.
 */
export function retryDelay(error: SwitchyardError, attempt: number, policy: RetryPolicy, settings: RetrySettings): number | undefined {
  if (attempt >= settings.maxRetries || !isRetryable(error, policy)) return undefined;
  const asked = serverDelayMs(error.headers, error.status);
  if (asked !== undefined) {
    if (asked > settings.maxDelayMs) return undefined;
    // A little jitter so that clients told the same time do not all come back at once.
    return Math.min(settings.maxDelayMs, asked + Math.random() * Math.min(1000, asked * 0.1));
  }
  // Exponential backoff with "equal jitter": half fixed, half random.
  const step = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** attempt);
  return step / 2 + Math.random() * (step / 2);
}

function isRetryable(error: SwitchyardError, policy: RetryPolicy): boolean {
  if (error.status === 429) return true;
  if (policy !== 'safe') return false;
  if (error.status === 0) return error.code === 'connection_error' || error.code === 'timeout';
  if (error.status >= 500) return true;
  // The same Idempotency-Key is still being worked on (our own earlier attempt, whose answer we lost).
  return error.status === 409 && error.code === 'idempotency_in_progress';
}

/** `Retry-After` (seconds or an HTTP date), else for a 429 `RateLimit-Reset` (seconds), in ms. */
export function serverDelayMs(headers: Headers, status: number, now = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  // Every answer carries RateLimit-Reset; it says when to come back only when the limit was hit.
  if (status !== 429) return undefined;
  const reset = headers.get('ratelimit-reset')?.trim();
  if (reset && /^\d+$/.test(reset)) return Number(reset) * 1000;
  return undefined;
}
