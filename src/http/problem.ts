import type { Response } from 'express';

/** The stable machine codes of the public contract, each with its one HTTP status. */
export const PROBLEM_CODES = {
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
  invalid_transition: { status: 409, title: 'Invalid status transition' },
  simulation_not_supported: { status: 422, title: 'Simulation not supported' },
  sync_not_supported: { status: 422, title: 'Status query not supported' },
  no_gateway_available: { status: 422, title: 'No gateway available' },
  url_not_allowed: { status: 422, title: 'URL not allowed' },
  upstream_credentials_invalid: { status: 422, title: 'Upstream refused the credentials' },
  balance_not_supported: { status: 422, title: 'Balance not supported' },
  endpoint_disabled: { status: 409, title: 'Webhook endpoint disabled' },
  no_endpoints: { status: 422, title: 'No webhook endpoints' },
  upstream_error: { status: 502, title: 'Upstream gateway error' },
  not_ready: { status: 503, title: 'Not ready' },
  internal_error: { status: 500, title: 'Internal server error' },
} as const;

export type ProblemCode = keyof typeof PROBLEM_CODES;

export interface FieldError {
  field: string;
  message: string;
  code?: string;
}

/** Thrown anywhere in request handling; the error handler renders it as problem+json. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    detail: string,
    readonly extras: { errors?: FieldError[]; headers?: Record<string, string>; [k: string]: unknown } = {},
  ) {
    super(detail);
    this.status = PROBLEM_CODES[code].status;
  }
}

export function validationError(errors: FieldError[], detail?: string): ApiError {
  return new ApiError('validation_failed', detail ?? errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
}

export function sendProblem(res: Response, err: ApiError, requestId?: string): void {
  const { errors, headers, ...rest } = err.extras;
  if (headers) res.set(headers);
  res
    .status(err.status)
    .type('application/problem+json')
    .json({
      // Extras first, so no extra can overwrite the standard members.
      ...rest,
      type: `https://switchyard.dev/problems/${err.code.replaceAll('_', '-')}`,
      title: PROBLEM_CODES[err.code].title,
      status: err.status,
      detail: err.message,
      code: err.code,
      ...(errors ? { errors } : {}),
      ...(requestId ? { request_id: requestId } : {}),
    });
}
