/**
 * The errors services raise, free of any transport: each carries a stable code (the public
 * contract's machine code), a human detail and extras the caller may need (ids, attempts…).
 * How a code is answered over HTTP is decided in one place, src/http/problem.ts.
 */

export interface FieldError {
  field: string;
  message: string;
  code?: string;
}

/** Named members added to the answer (`invoice_id`, `attempts`, …), field errors, and headers to send with it. */
export interface ErrorExtras {
  errors?: FieldError[];
  headers?: Record<string, string>;
  [member: string]: unknown;
}

export abstract class DomainError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    detail: string,
    readonly extras: ErrorExtras = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

/** Input that passed the schema but breaks a rule of the domain (any area). */
export class ValidationError extends DomainError<'validation_failed'> {
  constructor(errors: FieldError[], detail?: string) {
    super('validation_failed', detail ?? errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  }
}

export type InvoiceErrorCode =
  | 'not_found'
  | 'forbidden'
  | 'duplicate_external_id'
  | 'invoice_not_cancellable'
  | 'invoice_not_refundable'
  | 'refund_not_supported'
  | 'refund_declined'
  | 'invalid_transition'
  | 'simulation_not_supported'
  | 'sync_not_supported'
  | 'no_gateway_available'
  | 'upstream_error';
export class InvoiceError extends DomainError<InvoiceErrorCode> {}

/**
 * The buyer's page: the token names no invoice, the invoice no longer takes a choice (paid,
 * expired, cancelled, payment seen, or routed at creation), the option is not on offer, or the
 * upstream could not open the payment. (Choosing too often is the shared `rate_limited`.)
 */
export type CheckoutErrorCode = 'not_found' | 'checkout_closed' | 'option_unavailable' | 'upstream_error';
export class CheckoutError extends DomainError<CheckoutErrorCode> {}

export type GatewayAccountErrorCode = 'not_found' | 'upstream_credentials_invalid' | 'balance_not_supported' | 'upstream_error';
export class GatewayAccountError extends DomainError<GatewayAccountErrorCode> {}

export type WebhookEndpointErrorCode = 'not_found' | 'endpoint_disabled' | 'no_endpoints';
export class WebhookEndpointError extends DomainError<WebhookEndpointErrorCode> {}

/** Upstream webhook ingress: the call names no known account, or is not genuine. */
export type UpstreamWebhookErrorCode = 'not_found' | 'unauthorized';
export class UpstreamWebhookError extends DomainError<UpstreamWebhookErrorCode> {}

export type TenantErrorCode = 'not_found';
export class TenantError extends DomainError<TenantErrorCode> {}

/** Who is calling and whether they may: API keys, operator tokens, the rate limit. */
export type AuthErrorCode = 'unauthorized' | 'forbidden' | 'tenant_suspended' | 'rate_limited';
export class AuthError extends DomainError<AuthErrorCode> {}

export type IdempotencyErrorCode = 'idempotency_conflict' | 'idempotency_in_progress';
export class IdempotencyError extends DomainError<IdempotencyErrorCode> {}

/** A tenant-supplied URL the operator's outbound policy refuses. */
export type UrlPolicyErrorCode = 'url_not_allowed';
export class UrlPolicyError extends DomainError<UrlPolicyErrorCode> {}

/** Every code a service can raise; the HTTP layer maps each one (and only these plus its own). */
export type DomainErrorCode =
  | ValidationError['code']
  | InvoiceErrorCode
  | CheckoutErrorCode
  | GatewayAccountErrorCode
  | WebhookEndpointErrorCode
  | UpstreamWebhookErrorCode
  | TenantErrorCode
  | AuthErrorCode
  | IdempotencyErrorCode
  | UrlPolicyErrorCode;
