import type { Transport } from '../http.js';
import type { CheckoutSettings, CheckoutSettingsUpdate, RequestOptions } from '../types.js';

/** `/v1/checkout-settings`: what the hosted checkout shows buyers (your display name, support link). */
export class CheckoutSettingsResource {
  constructor(private readonly t: Transport) {}

  get(opts?: RequestOptions): Promise<CheckoutSettings> {
    return this.t.call((init) => this.t.api.GET('/v1/checkout-settings', init), 'safe', opts);
  }

  update(body: CheckoutSettingsUpdate, opts?: RequestOptions): Promise<CheckoutSettings> {
    return this.t.call((init) => this.t.api.PATCH('/v1/checkout-settings', { body, ...init }), 'safe', opts);
  }
}
