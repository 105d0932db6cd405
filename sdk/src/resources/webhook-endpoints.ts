import type { Transport } from '../http.js';
import { newIdempotencyKey } from '../idempotency.js';
import { paginate } from '../pagination.js';
import type {
  DeletedWebhookEndpoint,
  Event,
  IdempotentRequestOptions,
  Page,
  RequestOptions,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointListQuery,
  WebhookEndpointUpdate,
  WebhookEndpointWithSecret,
} from '../types.js';

/** `/v1/webhook-endpoints`: where Switchyard sends your events. */
export class WebhookEndpoints {
  constructor(private readonly t: Transport) {}

  /** Registers an endpoint; the answer's `secret` (`whsec_…`) is shown only now: store it to verify webhooks. */
  create(body: WebhookEndpointCreate, opts: IdempotentRequestOptions = {}): Promise<WebhookEndpointWithSecret> {
    const key = opts.idempotencyKey ?? newIdempotencyKey();
    return this.t.call(
      (init) => this.t.api.POST('/v1/webhook-endpoints', { body, params: { header: { 'Idempotency-Key': key } }, ...init }),
      'safe',
      opts,
    );
  }

  get(id: string, opts?: RequestOptions): Promise<WebhookEndpoint> {
    return this.t.call((init) => this.t.api.GET('/v1/webhook-endpoints/{id}', { params: { path: { id } }, ...init }), 'safe', opts);
  }

  /** Every endpoint, newest first, across all pages. */
  list(query: WebhookEndpointListQuery = {}, opts?: RequestOptions): AsyncGenerator<WebhookEndpoint, void, undefined> {
    return paginate((q) => this.listPage(q, opts), query);
  }

  listPage(query: WebhookEndpointListQuery = {}, opts?: RequestOptions): Promise<Page<WebhookEndpoint>> {
    return this.t.call((init) => this.t.api.GET('/v1/webhook-endpoints', { params: { query }, ...init }), 'safe', opts);
  }

  /** Changes `url`, `events`, `description` or `enabled` (`enabled: true` re-enables a disabled endpoint). */
  update(id: string, body: WebhookEndpointUpdate, opts?: RequestOptions): Promise<WebhookEndpoint> {
    return this.t.call((init) => this.t.api.PATCH('/v1/webhook-endpoints/{id}', { params: { path: { id } }, body, ...init }), 'safe', opts);
  }

  delete(id: string, opts?: RequestOptions): Promise<DeletedWebhookEndpoint> {
    return this.t.call((init) => this.t.api.DELETE('/v1/webhook-endpoints/{id}', { params: { path: { id } }, ...init }), 'safe', opts);
  }

  /** A new secret; the old one stays valid for 24 h. Not retried on failure (a retry would rotate again). */
  rotateSecret(id: string, opts?: RequestOptions): Promise<WebhookEndpointWithSecret> {
    return this.t.call((init) => this.t.api.POST('/v1/webhook-endpoints/{id}/rotate-secret', { params: { path: { id } }, ...init }), 'once', opts);
  }

  /** Sends the endpoint a `webhook.test` event; answers that event. */
  test(id: string, opts?: RequestOptions): Promise<Event> {
    return this.t.call((init) => this.t.api.POST('/v1/webhook-endpoints/{id}/test', { params: { path: { id } }, ...init }), 'once', opts);
  }
}
