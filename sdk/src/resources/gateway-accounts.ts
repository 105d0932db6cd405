import type { Transport } from '../http.js';
import { newIdempotencyKey } from '../idempotency.js';
import { paginate } from '../pagination.js';
import type {
  Balance,
  DeletedGatewayAccount,
  GatewayAccount,
  GatewayAccountCreate,
  GatewayAccountListQuery,
  GatewayAccountUpdate,
  IdempotentRequestOptions,
  Page,
  RequestOptions,
} from '../types.js';

/** `/v1/gateway-accounts`: your upstream gateway accounts that invoices are routed to. */
export class GatewayAccounts {
  constructor(private readonly t: Transport) {}

  /** Connects an account (credentials are checked with the upstream where it can). */
  create(body: GatewayAccountCreate, opts: IdempotentRequestOptions = {}): Promise<GatewayAccount> {
    const key = opts.idempotencyKey ?? newIdempotencyKey();
    return this.t.call(
      (init) => this.t.api.POST('/v1/gateway-accounts', { body, params: { header: { 'Idempotency-Key': key } }, ...init }),
      'safe',
      opts,
    );
  }

  get(id: string, opts?: RequestOptions): Promise<GatewayAccount> {
    return this.t.call((init) => this.t.api.GET('/v1/gateway-accounts/{id}', { params: { path: { id } }, ...init }), 'safe', opts);
  }

  /** Every account (of `connector`, when given), newest first, across all pages. */
  list(query: GatewayAccountListQuery = {}, opts?: RequestOptions): AsyncGenerator<GatewayAccount, void, undefined> {
    return paginate((q) => this.listPage(q, opts), query);
  }

  listPage(query: GatewayAccountListQuery = {}, opts?: RequestOptions): Promise<Page<GatewayAccount>> {
    return this.t.call((init) => this.t.api.GET('/v1/gateway-accounts', { params: { query }, ...init }), 'safe', opts);
  }

  update(id: string, body: GatewayAccountUpdate, opts?: RequestOptions): Promise<GatewayAccount> {
    return this.t.call((init) => this.t.api.PATCH('/v1/gateway-accounts/{id}', { params: { path: { id } }, body, ...init }), 'safe', opts);
  }

  delete(id: string, opts?: RequestOptions): Promise<DeletedGatewayAccount> {
    return this.t.call((init) => this.t.api.DELETE('/v1/gateway-accounts/{id}', { params: { path: { id } }, ...init }), 'safe', opts);
  }

  /** The account's balance as its upstream reports it now (`422 balance_not_supported` where it cannot). */
  balance(id: string, opts?: RequestOptions): Promise<Balance> {
    return this.t.call((init) => this.t.api.GET('/v1/gateway-accounts/{id}/balance', { params: { path: { id } }, ...init }), 'safe', opts);
  }
}
