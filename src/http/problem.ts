import type { Response } from 'express';
import { DomainError, type DomainErrorCode, type ErrorExtras, type FieldError } from '../domain/errors.js';

export type { FieldError };

/** Codes only the HTTP layer raises: the request could not be read or routed, or we failed. */
type HttpErrorCode =
  | 'malformed_json'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'not_found'
  | 'method_not_allowed'
  | 'unauthorized'
  | 'not_ready'
  | 'internal_error';

export type ProblemCode = DomainErrorCode | HttpErrorCode;

/**
 * The one map from an error code to its HTTP status and title. It is exhaustive: a code an area
 * adds without an entry here does not compile.
 */
export const PROBLEM_CODES: { readonly [C in ProblemCode]: { readonly status: number; readonly title: string } } = {
  validation_failed: { status: 422, title: 'Validation failed' },
  malformed_json: { status: 400, title: 'Malformed JSON' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  tenant_suspended: { status: 403, title: 'Tenant suspended' },
  rate_limited: { status: 429, title: 'Too many requests' },
  idempotency_conflict: { status: 422, title: 'Idempotency key reused with a different request' },
  idempotency_in_progress: { status: 409, title: 'A request with this idempotency key is still running' },
  duplicate_external_id: { status: 409, title: 'Duplicate external_id' },
  invoice_not_cancellable: { status: 409, title: 'Invoice cannot be cancelled' },
  invoice_not_refundable: { status: 409, title: 'Invoice cannot be refunded' },
  refund_not_supported: { status: 422, title: 'Refund not supported' },
  refund_declined: { status: 422, title: 'Refund declined by the upstream' },
  invalid_transition: { status: 409, title: 'Invalid status transition' },
  simulation_not_supported: { status: 422, title: 'Simulation not supported' },
  sync_not_supported: { status: 422, title: 'Status query not supported' },
  no_gateway_available: { status: 422, title: 'No gateway available' },
  checkout_closed: { status: 409, title: 'Checkout closed' },
  option_unavailable: { status: 422, title: 'Payment option unavailable' },
  url_not_allowed: { status: 422, title: 'URL not allowed' },
  upstream_credentials_invalid: { status: 422, title: 'Upstream refused the credentials' },
  balance_not_supported: { status: 422, title: 'Balance not supported' },
  endpoint_disabled: { status: 409, title: 'Webhook endpoint disabled' },
  no_endpoints: { status: 422, title: 'No webhook endpoints' },
  upstream_error: { status: 502, title: 'Upstream gateway error' },
  not_ready: { status: 503, title: 'Not ready' },
  internal_error: { status: 500, title: 'Internal server error' },
};

/** Any error that has an answer: an area's DomainError or the HTTP layer's own ApiError. */
export type Problem = DomainError<ProblemCode>;

/** Raised by the HTTP layer itself (routing, body parsing, a replayed answer). */
export class ApiError extends DomainError<ProblemCode> {
  get status(): number {
    return problemStatus(this);
  }
}

export function isProblem(err: unknown): err is Problem {
  return err instanceof DomainError && Object.hasOwn(PROBLEM_CODES, err.code);
}

export function problemStatus(err: Problem): number {
  return PROBLEM_CODES[err.code].status;
}

/** The answer for an error: status, headers and the problem+json body, members in a fixed order. */
export function renderProblem(err: Problem, requestId?: string): { status: number; headers: Record<string, string>; body: Record<string, unknown> } {
  const { errors, headers, ...rest }: ErrorExtras = err.extras;
  const status = problemStatus(err);
  return {
    status,
    headers: headers ?? {},
    body: {
      // Extras first, so no extra can overwrite the standard members.
      ...rest,
      type: `https://switchyard.dev/problems/${err.code.replaceAll('_', '-')}`,
      title: PROBLEM_CODES[err.code].title,
      status,
      detail: err.message,
      code: err.code,
      ...(errors ? { errors } : {}),
      ...(requestId ? { request_id: requestId } : {}),
    },
  };
}

export function sendProblem(res: Response, err: Problem, requestId?: string): void {
  const problem = renderProblem(err, requestId);
  if (Object.keys(problem.headers).length) res.set(problem.headers);
  res.status(problem.status).type('application/problem+json').json(problem.body);
}
