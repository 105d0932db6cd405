import type { Transport } from '../http.js';
import { paginate } from '../pagination.js';
import type { DeliveryList, Event, EventListQuery, Page, RedeliverRequest, RequestOptions } from '../types.js';

/** `/v1/events`: the event log, every delivery attempt, and redelivery. */
export class Events {
  constructor(private readonly t: Transport) {}

  get(id: string, opts?: RequestOptions): Promise<Event> {
    return this.t.call((init) => this.t.api.GET('/v1/events/{id}', { params: { path: { id } }, ...init }), 'safe', opts);
  }

  /** Every event (of `type`, when given), newest first, across all pages. */
  list(query: EventListQuery = {}, opts?: RequestOptions): AsyncGenerator<Event, void, undefined> {
    return paginate((q) => this.listPage(q, opts), query);
  }

  listPage(query: EventListQuery = {}, opts?: RequestOptions): Promise<Page<Event>> {
    return this.t.call((init) => this.t.api.GET('/v1/events', { params: { query }, ...init }), 'safe', opts);
  }

  /** Every delivery of the event, with each of its attempts. */
  deliveries(id: string, opts?: RequestOptions): Promise<DeliveryList> {
    return this.t.call((init) => this.t.api.GET('/v1/events/{id}/deliveries', { params: { path: { id } }, ...init }), 'safe', opts);
  }

  /** Sends the event again (to one endpoint, or to every subscribed one). Not retried on failure (a retry would send it twice). */
  redeliver(id: string, body: RedeliverRequest = {}, opts?: RequestOptions): Promise<DeliveryList> {
    return this.t.call((init) => this.t.api.POST('/v1/events/{id}/redeliver', { params: { path: { id } }, body, ...init }), 'once', opts);
  }
}
