import { Transport } from './http.js';
import { CheckoutSettingsResource } from './resources/checkout-settings.js';
import { Connectors } from './resources/connectors.js';
import { Events } from './resources/events.js';
import { GatewayAccounts } from './resources/gateway-accounts.js';
import { Invoices } from './resources/invoices.js';
import { WebhookEndpoints } from './resources/webhook-endpoints.js';
import { Webhooks } from './webhooks.js';

export interface SwitchyardOptions {
  /** A tenant API key: `sy_test_…` (test mode) or `sy_live_…`. */
  apiKey: string;
  /** Where Switchyard answers, e.g. `https://pay.example.com` (without `/v1`). */
  baseUrl: string;
  /** Retries after no answer, 429 and 5xx (see the README for which calls); default 2. */
  maxRetries?: number;
  /** Per attempt; default 30 000. */
  timeoutMs?: number;
  /** The longest wait between two attempts, also when the API asks for more (then the error is thrown at once); default 60 000. */
  maxRetryDelayMs?: number;
  /** Default `globalThis.fetch`. */
  fetch?: (input: Request) => Promise<Response>;
}

/**
 * The Switchyard API client.
 *
 * ```ts
 * const sy = new Switchyard({ apiKey: process.env.SWITCHYARD_API_KEY!, baseUrl: 'https://pay.example.com' });
 * const invoice = await sy.invoices.create({ amount: '9.99', currency: 'USD' });
 * ```
 */
export class Switchyard {
  readonly invoices: Invoices;
  readonly webhookEndpoints: WebhookEndpoints;
  readonly gatewayAccounts: GatewayAccounts;
  readonly events: Events;
  readonly connectors: Connectors;
  readonly checkoutSettings: CheckoutSettingsResource;
  /** Verifies the webhooks Switchyard sends you. */
  readonly webhooks: Webhooks;

  constructor(options: SwitchyardOptions) {
    if (!options || typeof options.apiKey !== 'string' || !options.apiKey) throw new TypeError('Switchyard: apiKey is required');
    if (typeof options.baseUrl !== 'string' || !/^https?:\/\//.test(options.baseUrl)) {
      throw new TypeError('Switchyard: baseUrl must be an absolute http(s) URL, such as https://pay.example.com');
    }
    const fetchFn = options.fetch ?? ((input: Request) => globalThis.fetch(input));
    const transport = new Transport({
      apiKey: options.apiKey,
      baseUrl: options.baseUrl,
      maxRetries: nonNegative(options.maxRetries, 2, 'maxRetries'),
      timeoutMs: nonNegative(options.timeoutMs, 30_000, 'timeoutMs'),
      maxRetryDelayMs: nonNegative(options.maxRetryDelayMs, 60_000, 'maxRetryDelayMs'),
      fetch: fetchFn,
    });
    this.invoices = new Invoices(transport);
    this.webhookEndpoints = new WebhookEndpoints(transport);
    this.gatewayAccounts = new GatewayAccounts(transport);
    this.events = new Events(transport);
    this.connectors = new Connectors(transport);
    this.checkoutSettings = new CheckoutSettingsResource(transport);
    this.webhooks = new Webhooks();
  }
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`Switchyard: ${name} must be a number >= 0`);
  return value;
}
