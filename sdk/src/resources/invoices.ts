import type { Transport } from '../http.js';
import { newIdempotencyKey } from '../idempotency.js';
import { paginate } from '../pagination.js';
import type {
  IdempotentRequestOptions,
  Invoice,
  InvoiceCheckout,
  InvoiceCreate,
  InvoiceListQuery,
  Page,
  RefundRequest,
  RequestOptions,
  SimulateRequest,
} from '../types.js';

/** `/v1/invoices`: create, read, follow and act on invoices. */
export class Invoices {
  constructor(private readonly t: Transport) {}

  /** Creates an invoice, routed to one of your gateway accounts (in test mode: the sandbox). */
  create(body: InvoiceCreate, opts: IdempotentRequestOptions = {}): Promise<Invoice> {
    const key = opts.idempotencyKey ?? newIdempotencyKey();
    return this.t.call((init) => this.t.api.POST('/v1/invoices', { body, params: { header: { 'Idempotency-Key': key } }, ...init }), 'safe', opts);
  }

  get(id: string, opts?: RequestOptions): Promise<Invoice> {
    return this.t.call((init) => this.t.api.GET('/v1/invoices/{id}', { params: { path: { id } }, ...init }), 'safe', opts);
  }

  /** Every invoice matching `query`, newest first, across all pages: `for await (const inv of sy.invoices.list())`. */
  list(query: InvoiceListQuery = {}, opts?: RequestOptions): AsyncGenerator<Invoice, void, undefined> {
    return paginate((q) => this.listPage(q, opts), query);
  }

  /** One page (`limit` 1–100, default 20); pass the last id as `starting_after` for the next. */
  listPage(query: InvoiceListQuery = {}, opts?: RequestOptions): Promise<Page<Invoice>> {
    return this.t.call((init) => this.t.api.GET('/v1/invoices', { params: { query }, ...init }), 'safe', opts);
  }

  /** Cancels a `pending` invoice (`409 invoice_not_cancellable` otherwise). */
  cancel(id: string, opts?: RequestOptions): Promise<Invoice> {
    return this.t.call((init) => this.t.api.POST('/v1/invoices/{id}/cancel', { params: { path: { id } }, ...init }), 'safe', opts);
  }

  /** Asks the upstream for the invoice's state now and applies it. */
  sync(id: string, opts?: RequestOptions): Promise<Invoice> {
    return this.t.call((init) => this.t.api.POST('/v1/invoices/{id}/sync', { params: { path: { id } }, ...init }), 'safe', opts);
  }

  /** Refunds the whole paid amount (where the upstream can). Sent with an Idempotency-Key, so a retry never refunds twice. */
  refund(id: string, body: RefundRequest = {}, opts: IdempotentRequestOptions = {}): Promise<Invoice> {
    const key = opts.idempotencyKey ?? newIdempotencyKey();
    return this.t.call(
      (init) => this.t.api.POST('/v1/invoices/{id}/refund', { params: { path: { id }, header: { 'Idempotency-Key': key } }, body, ...init }),
      'safe',
      opts,
    );
  }

  /** The invoice's hosted checkout as the buyer sees it: its options and upstream invoices. */
  checkout(id: string, opts?: RequestOptions): Promise<InvoiceCheckout> {
    return this.t.call((init) => this.t.api.GET('/v1/invoices/{id}/checkout', { params: { path: { id } }, ...init }), 'safe', opts);
  }

  /** Test mode only: moves a sandbox invoice to `processing`, `paid`, `expired` or `failed`. */
  simulate(id: string, body: SimulateRequest, opts?: RequestOptions): Promise<Invoice> {
    return this.t.call((init) => this.t.api.POST('/v1/invoices/{id}/simulate', { params: { path: { id } }, body, ...init }), 'once', opts);
  }
}
