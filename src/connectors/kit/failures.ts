/**
 * Every upstream failure is one of three kinds, decided here by ONE table for every connector:
 *
 * - `decline`: the upstream answered and said no to this request (bad amount, unknown invoice…).
 *   Another account would likely say no too, so routing does not fail over; the tenant sees it.
 * - `retryable`: our integration failed in a way that may pass on another try or another account
 *   (network, timeout, 408/425/429, 5xx, an unreadable answer). Routing fails over and the
 *   account's circuit breaker counts it.
 * - `fatal`: our integration failed and retrying will not help (401/403: the credentials or their
 *   permissions are wrong; a redirect: base_url points at the wrong place).
 *
 * A connector may map its own error codes on top (Wallet Pay's `ACCESS_DENIED` inside a 200),
 * nothing more.
 */
export type FailureKind = 'decline' | 'retryable' | 'fatal';

/**
 * An upstream call that did not give us what we asked for. `unsuitable`: the account cannot take
 * this invoice at all, found out before anything was created upstream (no network for the
 * currency); routing treats it like an ineligible account.
 */
export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly kind: 'decline' | 'integration' | 'unsuitable',
    readonly retryable: boolean,
    readonly upstreamCode?: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

/** The kind of an HTTP answer that was not a success, by status alone. */
export function failureKindForStatus(status: number): FailureKind {
  if (status === 401 || status === 403) return 'fatal';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retryable';
  if (status >= 400) return 'decline';
  // A 2xx whose envelope reports an error is the upstream saying no; 1xx/3xx mean a wrong base_url.
  if (status >= 200 && status < 300) return 'decline';
  return 'fatal';
}

export function upstreamErrorOfKind(kind: FailureKind, message: string, code?: string): UpstreamError {
  return kind === 'decline' ? new UpstreamError(message, 'decline', false, code) : new UpstreamError(message, 'integration', kind === 'retryable', code);
}

/** The one classifier: the connector's own code table first, then the status table. */
export function classifyFailure(opts: { status: number; code?: string | undefined; message: string; codes?: Readonly<Record<string, FailureKind>> | undefined }): UpstreamError {
  const kind = (opts.code !== undefined ? opts.codes?.[opts.code] : undefined) ?? failureKindForStatus(opts.status);
  return upstreamErrorOfKind(kind, opts.message, opts.code ?? `HTTP_${opts.status}`);
}

/** The upstream could not be reached or did not answer in time: always worth another try. */
export function networkFailure(err: unknown): UpstreamError {
  const e = err as Error & { code?: unknown };
  // Node's error codes are strings (ECONNREFUSED); an aborted signal's DOMException has a number (23).
  const code = typeof e.code === 'string' ? e.code : e.name === 'TimeoutError' || e.name === 'AbortError' ? 'timeout' : 'network_error';
  return new UpstreamError(`could not reach the upstream: ${code}: ${e.message}`, 'integration', true, code);
}

/** The upstream answered 2xx with something we cannot read: treated like a 5xx. */
export function badResponse(message: string): UpstreamError {
  return new UpstreamError(message, 'integration', true, 'bad_response');
}
