// Friendly names for the generated schema types (src/generated/schema.ts, from openapi/openapi.yaml).
import type { components, operations } from './generated/schema.js';

type Schemas = components['schemas'];
/** The query parameters of an operation, all optional. */
type QueryOf<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;

export type Invoice = Schemas['Invoice'];
export type InvoiceCreate = Schemas['InvoiceCreate'];
export type InvoiceStatus = Schemas['InvoiceStatus'];
export type InvoiceCheckout = Schemas['InvoiceCheckout'];
export type InvoiceListQuery = QueryOf<'listInvoices'>;
export type RefundRequest = Schemas['RefundRequest'];
export type SimulateRequest = Schemas['SimulateRequest'];

export type WebhookEndpoint = Schemas['WebhookEndpoint'];
/** A webhook endpoint with its `whsec_…` signing secret: only create and rotateSecret answer it. */
export type WebhookEndpointWithSecret = Schemas['WebhookEndpointWithSecret'];
export type WebhookEndpointCreate = Schemas['WebhookEndpointCreate'];
export type WebhookEndpointUpdate = Schemas['WebhookEndpointUpdate'];
export type WebhookEndpointListQuery = QueryOf<'listWebhookEndpoints'>;
export type DeletedWebhookEndpoint = Schemas['DeletedWebhookEndpoint'];

export type Event = Schemas['Event'];
export type EventType = Schemas['EventType'];
export type EventListQuery = QueryOf<'listEvents'>;
export type Delivery = Schemas['Delivery'];
export type DeliveryList = Schemas['DeliveryList'];
export type RedeliverRequest = Schemas['RedeliverRequest'];

export type GatewayAccount = Schemas['GatewayAccount'];
export type GatewayAccountCreate = Schemas['GatewayAccountCreate'];
export type GatewayAccountUpdate = Schemas['GatewayAccountUpdate'];
export type GatewayAccountListQuery = QueryOf<'listGatewayAccounts'>;
export type DeletedGatewayAccount = Schemas['DeletedGatewayAccount'];
export type Balance = Schemas['Balance'];

export type Connector = Schemas['Connector'];
export type ConnectorId = Schemas['ConnectorId'];
export type CheckoutSettings = Schemas['CheckoutSettings'];
export type CheckoutSettingsUpdate = Schemas['CheckoutSettingsUpdate'];

export type Problem = Schemas['Problem'];
export type ProblemFieldError = Schemas['ProblemFieldError'];

/** One page of a list: `data` newest first; ask for the next one while `has_more`. */
export interface Page<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
}

/** Options every call takes. */
export interface RequestOptions {
  /** Aborts the call (and its retries); the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Options of the calls that honour an `Idempotency-Key` (create, refund). */
export interface IdempotentRequestOptions extends RequestOptions {
  /**
   * Sent as `Idempotency-Key`. Without one the client makes a UUID for the call; either way the
   * same key goes with each of the client's own retries. Pass your own (an order id, say) to make
   * retries across restarts of your process safe too.
   */
  idempotencyKey?: string;
}

// ---------------------------------------------------------------- webhook events ----

/** The envelope of every webhook Switchyard sends: `{ id, type, timestamp, data }`. */
interface WebhookEnvelope<Type extends EventType, Data> {
  /** The event id (`evt_…`), also sent as the `webhook-id` header: deduplicate on it. */
  id: string;
  type: Type;
  /** When the event happened (RFC 3339), the event's `created_at`. */
  timestamp: string;
  data: Data;
}

export type InvoiceEventType = Extract<EventType, `invoice.${string}`>;

/** `invoice.<status>` and `invoice.late_payment`: `data` is the invoice as it was then. */
export type InvoiceEvent = { [T in InvoiceEventType]: WebhookEnvelope<T, Invoice> }[InvoiceEventType];

/** Switchyard disabled one of your endpoints: `data` is that endpoint. */
export type WebhookEndpointDisabledEvent = WebhookEnvelope<'webhook_endpoint.disabled', WebhookEndpoint>;

/** Sent only by `webhookEndpoints.test()`. */
export type WebhookTestEvent = WebhookEnvelope<'webhook.test', { object: 'webhook_test'; endpoint_id: string }>;

/**
 * A verified webhook, discriminated by `type`: `if (event.type === 'invoice.paid') event.data.paid`.
 * New types may be added to the API: keep a default branch.
 */
export type WebhookEvent = InvoiceEvent | WebhookEndpointDisabledEvent | WebhookTestEvent;
