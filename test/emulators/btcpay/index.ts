/**
 * Loopback emulator of a BTCPay Server (Greenfield API v1, one store with one webhook), modelled
 * on the Greenfield documentation and BTCPay's source, and checked against a real delivery
 * (test/vectors).
 *
 * What it emulates:
 * - the server root at `serverUrl` (what a tenant puts in base_url); the API under `/api/v1`;
 * - auth `Authorization: token <apiKey>` with BTCPay's permission hierarchy and `perm:<storeId>`
 *   scoping, errors 401 `unauthenticated` / 403 `missing-permission` (with `missingPermission`);
 * - `POST /stores/{storeId}/invoices` (create, validation errors as HTTP 422 `[{path, message}]`),
 *   `GET /stores/{storeId}/invoices` (list: orderId/status repeatable, startDate, endDate,
 *   textSearch, skip, take; newest first), `GET /stores/{storeId}/invoices/{id}` and the flat
 *   `GET /invoices/{id}` (`?includePaymentMethods=true`), `GET …/invoices/{id}/payment-methods`
 *   (both forms; the BOLT11 lives there), 404 `invoice-not-found`;
 * - the invoice life cycle (New → Processing → Settled, New → Expired with PaidPartial/PaidLate,
 *   Processing → Invalid) driven by `pay` / `confirm` / `expire` / `invalidate`, each delivering the
 *   webhook events BTCPay sends in BTCPay's order (InvoiceWatcher: ReceivedPayment first, then
 *   PaidInFull → InvoiceProcessing, Confirmed → InvoiceSettled, Expired then ExpiredPaidPartial…);
 * - webhook deliveries: `JsonConvert.SerializeObject(evt, Formatting.Indented, camelCase)` bytes
 *   reproduced with `JSON.stringify(obj, null, 2)` and the WebhookInvoice*Event property order, `Content-Type:
 *   application/json`, `BTCPay-Sig: sha256=<hex HMAC-SHA256(secret, exact bytes)>`; redelivery like
 *   WebhookSender.CreateRedeliveryRequest (new deliveryId, isRedelivery true, originalDeliveryId and
 *   timestamp kept). The stored request is re-read as the *base* `WebhookEvent` class, whose
 *   `[JsonExtensionData]` is written after the declared properties, so a redelivered body lists
 *   `deliveryId, webhookId, originalDeliveryId, isRedelivery, type, timestamp` first and then the
 *   rest in the original order (`manuallyMarked`, …, `storeId`, `invoiceId`, `metadata`)
 *   [read from btcpayserver WebhookSender.cs + WebhookEvent.cs].
 *
 * Assumptions (where the documentation is silent or unclear), marked "assumption" in the code:
 * - a key with `btcpay.store.canmodifyinvoices` (or canmodifystoresettings, unrestricted) satisfies
 *   view and create; `canviewstoresettings` satisfies view (BTCPay Permissions.cs PolicyMap);
 *   `Authorization: Basic` is not emulated (401);
 * - an unknown storeId with a valid key → 403 missing-permission; the flat `/invoices/{id}` with an
 *   unknown id → 404 when the key may view this store's invoices, else 403;
 * - an unknown route → 404 with an empty body, a known path with another method → 405 empty body,
 *   a body over 1 MiB → 413 empty body (Kestrel-style); a body that is not a JSON object on create →
 *   400 `{"code":"invalid-json",…}`;
 * - amount is required (absent/null → 422: TopUp invoices are not emulated); the amount check's
 *   path is `amount` (the real controller uses `nameof(request.Amount)`, i.e. "Amount"); a numeric
 *   string keeps its scale ("5.00"), a JSON number prints shortest ("5"); amount 0 is accepted and
 *   stays New (a real server settles it at once — not emulated);
 * - currency is upper-cased, default "USD"; the rate is `options.rate` for every currency but BTC
 *   (rate "1"); BTC amounts are invoice amount / rate rounded up to 8 decimals (BTCPay rounds to
 *   the method's divisibility); paidAmount is rounded to the currency's digits (BTC 8, JPY/KRW… 0,
 *   others 2) and is "0" when nothing was paid (C# Math.Round keeps the scale of a non-zero sum);
 * - `checkout.expirationMinutes` / `monitoringMinutes` must be JSON integers (TimeSpan strings are
 *   refused too); checkout.paymentMethods entries must be strings; methods asked for but not enabled
 *   in the store (BTC-LNURL never is) are silently not offered — if none remain the invoice is still
 *   created with no payment methods;
 * - the `checkout` echo is the request's checkout object overlaid with what ToModel returns
 *   (expirationMinutes, monitoringMinutes, paymentTolerance 0, paymentMethods offered, speedPolicy
 *   "MediumSpeed", defaultPaymentMethod/defaultLanguage/redirectURL null, redirectAutomatically
 *   false when not given); receipt = `{enabled:true, showQR:true, showPayments:true}` overlaid with
 *   the request's receipt (store defaults);
 * - payment-methods: `due` is DueUncapped (negative when overpaid, as ToPaymentMethodModels does);
 *   BTC money as 8-decimal strings; `paymentMethodFee` "0"; on-chain destination `bc1q…`
 *   (42 chars), paymentLink `bitcoin:<addr>?amount=<due>`; Lightning destination a fake BOLT11
 *   `lnbc<n>n1p<200 bech32 chars>` (not decodable), regenerated for the remaining due after a partial
 *   payment; additionalData shapes as Greenfield documents them, with made-up values; with `legacyPaymentMethodIds` the
 *   1.x names `paymentMethod`, `cryptoCode` and `networkFee` are added besides the 2.x ones;
 * - Lightning paid in full delivers InvoiceReceivedPayment, InvoicePaymentSettled, InvoiceSettled
 *   (the sequence this emulator was first specified with). The InvoiceWatcher source sets PaidInFull (→ InvoiceProcessing) before
 *   Confirmed in the same pass, so a real server most likely sends InvoiceProcessing in between:
 *   set `options.lightningProcessingEvent` to get that. A Lightning payment on an Expired invoice is
 *   refused (the BOLT11 expires with the invoice);
 * - a payment on an Expired invoice that covers the amount → PaidLate + InvoicePaidAfterExpiration;
 *   one that does not → PaidPartial and only InvoiceReceivedPayment (InvoiceWatcher logic);
 *   payments on Settled/Invalid invoices only deliver InvoiceReceivedPayment;
 * - InvoicePaidAfterExpiration / InvoiceExpiredPaidPartial carry no extra fields; webhook
 *   `metadata` is the invoice metadata (`{}` when none); legacy mode keeps the 2.x field name
 *   `paymentMethodId` in webhooks (1.x servers are believed to have used `paymentMethod`);
 * - InvoiceCreated is only delivered for API-created invoices when `options.deliverInvoiceCreated`
 *   (default false; asynchronously, like BTCPay); automatic redelivery is not emulated — a failed
 *   delivery (network error → status 0, responseBody = the error message) is just recorded;
 * - ids: invoice/delivery/webhook ids are 22 base58 chars, the default storeId 44 base58 chars, the
 *   default API key 40 hex chars, the default webhook secret 27 base58 chars.
 *
 * Layout: types.ts (public shapes), store.ts (state), invoice-create.ts and invoice-views.ts (the
 * invoice API), payment-methods.ts, permissions.ts, lifecycle.ts (state changes → events),
 * webhook-events.ts and webhook-sender.ts (bytes, signing, deliveries), errors.ts, server.ts (HTTP).
 */
import { randomBytes } from 'node:crypto';
import { createFailureQueue, stopServer, variantSwitches, type InvoiceLookup } from '../emulator-kit.js';
import { base58Id } from './formats.js';
import { createLifecycle } from './lifecycle.js';
import { createKeyring } from './permissions.js';
import { startBtcPayServer } from './server.js';
import { createStore } from './store.js';
import type { BtcPayEmulator, BtcPayEmulatorOptions, BtcPayEventType, BtcPayFailure, BtcPayInvoice, BtcPayRequest, BtcPayStatus } from './types.js';
import { eventBuilder } from './webhook-events.js';
import { createWebhookSender } from './webhook-sender.js';

export type * from './types.js';
export { parseBtcPayPaymentMethodId } from './payment-methods.js';
export { btcPaySignature } from './webhook-sender.js';

/** The event that reports an invoice's current status, for the shared `sendInvoiceWebhook`. */
const STATUS_EVENT: Record<BtcPayStatus, BtcPayEventType> = {
  New: 'InvoiceCreated',
  Processing: 'InvoiceProcessing',
  Settled: 'InvoiceSettled',
  Expired: 'InvoiceExpired',
  Invalid: 'InvoiceInvalid',
};

/** BTCPay signs the body only (its `timestamp` field is kept on redelivery), so no stale variant. */
const WEBHOOK_VARIANTS = ['genuine', 'forged', 'unsigned', 'tampered'] as const;

export async function startBtcPayEmulator(opts: BtcPayEmulatorOptions = {}): Promise<BtcPayEmulator> {
  const storeId = opts.storeId ?? base58Id(44);
  const apiKey = opts.apiKey ?? randomBytes(20).toString('hex');
  const webhookSecret = opts.webhookSecret ?? base58Id(27);
  const webhookId = base58Id();
  const store = createStore(storeId, {
    enabledPaymentMethods: opts.enabledPaymentMethods ?? ['BTC-CHAIN', 'BTC-LN'],
    legacyPaymentMethodIds: opts.legacyPaymentMethodIds ?? false,
    rate: opts.rate ?? '50000',
    lightningProcessingEvent: opts.lightningProcessingEvent ?? false,
    deliverInvoiceCreated: opts.deliverInvoiceCreated ?? false,
  });
  const keyring = createKeyring(storeId, apiKey);
  const requests: BtcPayRequest[] = [];
  const failures = createFailureQueue<Omit<BtcPayFailure, 'times'>>();
  const background = new Set<Promise<unknown>>();
  const buildEvent = eventBuilder(store, webhookId);
  const sender = createWebhookSender({ store, webhookSecret, webhookId, webhookUrl: () => emu.webhookUrl, buildEvent });
  const lifecycle = createLifecycle(store, buildEvent);
  /** The event sendInvoiceWebhook sent per invoice and status: sent again, it is the same bytes (like BTCPay retrying a delivery). */
  const statusEvents = new Map<string, Buffer>();

  /** InvoiceCreated goes out asynchronously after the API answered, like BTCPay's. */
  function onCreated(created: BtcPayInvoice): void {
    if (!store.options.deliverInvoiceCreated || !emu.webhookUrl) return;
    const url = emu.webhookUrl;
    const p = new Promise<void>((r) => setImmediate(r)).then(() => sender.deliverEvent(url, buildEvent(created, 'InvoiceCreated'))).catch(() => undefined);
    background.add(p);
    void p.finally(() => background.delete(p));
  }

  const { server, serverUrl } = await startBtcPayServer({ store, keyring, failures, requests, onCreated });
  store.serverUrl = serverUrl;

  function findInvoice(by: InvoiceLookup) {
    const inv = 'invoiceId' in by ? [...store.invoices.values()].find((i) => i.metadata.orderId === by.invoiceId) : store.invoices.get(by.upstreamId);
    return inv && { upstreamId: inv.id, invoiceId: typeof inv.metadata.orderId === 'string' ? inv.metadata.orderId : null };
  }

  /** Paid in full and settled at once: by Lightning where offered, else on-chain and confirmed. No delivery. */
  async function payInFull(upstreamId: string): Promise<void> {
    const lightning = store.invoices.get(upstreamId)?.paymentMethods.some((m) => m.paymentMethodId === 'BTC-LN');
    lifecycle.pay(upstreamId, { method: lightning ? 'BTC-LN' : 'BTC-CHAIN' });
    if (!lightning) lifecycle.confirm(upstreamId);
  }

  const emu: BtcPayEmulator = {
    serverUrl,
    baseUrl: serverUrl,
    storeId,
    apiKey,
    addApiKey: keyring.add,
    pullPayments: store.pullPayments,
    webhookSecret,
    webhookId,
    webhookUrl: opts.webhookUrl ?? null,
    requests,
    invoices: store.invoices,
    deliveries: sender.deliveries,
    options: store.options,
    pay: async (invoiceId, o) => sender.deliverAll(lifecycle.pay(invoiceId, o)),
    confirm: async (invoiceId) => sender.deliverAll(lifecycle.confirm(invoiceId)),
    expire: async (invoiceId) => sender.deliverAll(lifecycle.expire(invoiceId)),
    invalidate: async (invoiceId) => sender.deliverAll(lifecycle.invalidate(invoiceId)),
    webhookBody: sender.webhookBody,
    sendWebhook: sender.sendWebhook,
    redeliver: sender.redeliver,
    failNext(path, failure) {
      const { times, ...rest } = failure;
      failures.add(path, rest, times ?? 1);
    },
    account: { credentials: { api_key: apiKey, store_id: storeId, webhook_secret: webhookSecret }, config: { base_url: serverUrl } },
    refusedCredentials: { api_key: randomBytes(20).toString('hex'), store_id: storeId, webhook_secret: webhookSecret },
    findInvoice,
    payInFull,
    expireUnpaid: async (upstreamId) => void lifecycle.expire(upstreamId),
    webhookVariants: WEBHOOK_VARIANTS,
    async sendInvoiceWebhook(upstreamId, to, variant = 'genuine') {
      const inv = store.invoices.get(upstreamId);
      if (!inv) throw new Error(`no BTCPay invoice ${upstreamId}`);
      const type = STATUS_EVENT[inv.status];
      const key = `${upstreamId}:${type}`;
      const body = statusEvents.get(key) ?? sender.webhookBody(upstreamId, type).body;
      statusEvents.set(key, body);
      const delivery = await sender.sendWebhook(upstreamId, type, { url: to.url, body, ...variantSwitches(variant, WEBHOOK_VARIANTS) });
      return { status: delivery.status, body: delivery.responseBody };
    },
    async stop() {
      await Promise.allSettled([...background]);
      await stopServer(server);
    },
  };
  return emu;
}
