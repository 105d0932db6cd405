import type { Transport } from '../http.js';
import type { Connector, RequestOptions } from '../types.js';

/** `/v1/connectors`: the upstream gateways this Switchyard can route to. */
export class Connectors {
  constructor(private readonly t: Transport) {}

  /** Every connector (one answer: the list is not paged), as an async iterable like every `list()`. */
  async *list(opts?: RequestOptions): AsyncGenerator<Connector, void, undefined> {
    const page = await this.t.call((init) => this.t.api.GET('/v1/connectors', init), 'safe', opts);
    yield* page.data;
  }
}
