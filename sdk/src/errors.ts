import type { Problem } from './types.js';

/** One invalid field of a `validation_failed` error. */
export interface FieldError {
  /** Where, rooted at the request part: `/body/amount`, `/query/limit`, `/headers/idempotency-key`. */
  field: string;
  /** The same as `field` (kept for callers that read `path`). */
  path: string;
  /** What is wrong, for people. */
  message: string;
  /** The failed rule (`required`, `pattern`, `maximum`, …), for programs. */
  code?: string;
}

/** Codes the client gives failures that are not an answer of the API. */
export type ClientErrorCode =
  /** The request never got an answer: refused, reset, DNS, TLS… (`status` 0). */
  | 'connection_error'
  /** No answer within `timeoutMs` (`status` 0). */
  | 'timeout'
  /** An error answer whose body is not a problem document (a proxy's HTML page, say). */
  | 'http_error';

interface SwitchyardErrorInit {
  status: number;
  code: string;
  title: string;
  type?: string;
  detail?: string;
  errors?: FieldError[];
  requestId?: string;
  headers?: Headers;
  problem?: Problem;
  cause?: unknown;
}

/**
 * Every failed call throws this: an error answer of the API (its RFC 9457 problem document), or a
 * failure to get one (`connection_error`, `timeout`). Branch on `code`, never on `title`/`detail`.
 */
export class SwitchyardError extends Error {
  // The optional fields are `declare`d: set only when present, so an error logs without `errors: undefined`.
  override readonly name = 'SwitchyardError';
  /** The HTTP status; 0 when there was no answer. */
  readonly status: number;
  /** Stable machine-readable code: the API's (`validation_failed`, `not_found`, …) or a {@link ClientErrorCode}. */
  readonly code: string;
  readonly title: string;
  /** The problem type URI (`about:blank` for the client's own codes). */
  readonly type: string;
  declare readonly detail?: string;
  /** For `validation_failed`: every offending field. */
  declare readonly errors?: FieldError[];
  /** The answer's `request_id` (or `X-Request-Id` header): quote it when asking the operator. */
  declare readonly requestId?: string;
  /** The answer's headers (empty when there was no answer). */
  readonly headers: Headers;
  /** The whole problem document as answered, with extras such as `invoice_id` of `duplicate_external_id`. */
  declare readonly problem?: Problem;

  constructor(init: SwitchyardErrorInit) {
    super(init.detail ? `${init.title}: ${init.detail}` : init.title, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.type = init.type ?? 'about:blank';
    if (init.detail !== undefined) this.detail = init.detail;
    if (init.errors !== undefined) this.errors = init.errors;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    this.headers = init.headers ?? new Headers();
    if (init.problem !== undefined) this.problem = init.problem;
  }

  /** The error for an answer that is not 2xx, whatever its body (parsed JSON, text or nothing). */
  static fromResponse(response: Response, body: unknown): SwitchyardError {
    const headerId = response.headers.get('x-request-id') ?? undefined;
    if (isProblem(body)) {
      const requestId = typeof body.request_id === 'string' ? body.request_id : headerId;
      return new SwitchyardError({
        status: response.status,
        code: body.code,
        title: body.title,
        type: body.type,
        ...(typeof body.detail === 'string' ? { detail: body.detail } : {}),
        ...(Array.isArray(body.errors) ? { errors: body.errors.map(fieldError) } : {}),
        ...(requestId ? { requestId } : {}),
        headers: response.headers,
        problem: body,
      });
    }
    const text = typeof body === 'string' ? body.trim() : '';
    return new SwitchyardError({
      status: response.status,
      code: 'http_error',
      title: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
      // The start of whatever came back, to tell a proxy's page from an empty answer.
      ...(text ? { detail: text.length > 300 ? `${text.slice(0, 300)}…` : text } : {}),
      ...(headerId ? { requestId: headerId } : {}),
      headers: response.headers,
    });
  }

  /** The error for a request that got no answer. */
  static fromNetwork(cause: unknown, timedOut: { afterMs: number } | undefined): SwitchyardError {
    if (timedOut) {
      return new SwitchyardError({ status: 0, code: 'timeout', title: 'Request timed out', detail: `No answer within ${timedOut.afterMs} ms`, cause });
    }
    const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
    return new SwitchyardError({ status: 0, code: 'connection_error', title: 'Connection error', detail: reason, cause });
  }
}

function isProblem(body: unknown): body is Problem {
  if (!body || typeof body !== 'object') return false;
  const b = body as Record<string, unknown>;
  return typeof b.code === 'string' && typeof b.title === 'string' && typeof b.status === 'number';
}

function fieldError(e: { field?: unknown; message?: unknown; code?: unknown }): FieldError {
  const field = typeof e.field === 'string' ? e.field : '';
  return { field, path: field, message: typeof e.message === 'string' ? e.message : '', ...(typeof e.code === 'string' ? { code: e.code } : {}) };
}

/** A webhook that must not be trusted: missing or malformed headers, a bad signature, a stale timestamp, or a body that is not an event. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
