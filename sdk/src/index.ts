// @switchyard/client: a typed client for the Switchyard API (README.md tells the whole story).
export { Switchyard, type SwitchyardOptions } from './client.js';
export { SwitchyardError, WebhookVerificationError, type ClientErrorCode, type FieldError } from './errors.js';
export { verifyWebhook, type VerifyOptions, type WebhookHeaders } from './webhooks.js';
export { newIdempotencyKey } from './idempotency.js';
export type { RetryPolicy } from './retry.js';
export type * from './types.js';
/** Every type generated from the OpenAPI document, for what the named types above do not cover. */
export type { paths, components, operations } from './generated/schema.js';
