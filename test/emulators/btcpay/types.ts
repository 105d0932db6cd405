/** The BTCPay emulator's public shapes: invoices as the Greenfield API models them, requests, deliveries. */
import type { RecordedRequest, UpstreamEmulator } from '../emulator-kit.js';

export type BtcPayStatus = 'New' | 'Processing' | 'Settled' | 'Expired' | 'Invalid';
export type BtcPayAdditionalStatus = 'None' | 'PaidLate' | 'PaidPartial' | 'Marked' | 'Invalid' | 'PaidOver';
export type BtcPayMethodId = 'BTC-CHAIN' | 'BTC-LN';

export interface BtcPayPayment {
  id: string;
  receivedDate: number;
  value: string;
  fee: string;
  status: 'Invalid' | 'Processing' | 'Settled';
  destination: string;
}

export interface BtcPayPaymentMethod {
  paymentMethodId: BtcPayMethodId;
  destination: string;
  /** In BTC, 8 decimals. */
  amount: string;
  rate: string;
  payments: BtcPayPayment[];
  activated: boolean;
}

export interface BtcPayInvoice {
  /** base58-like, 22 chars (e.g. 'HMprBnL9BTXWuPvpoKBS6e'). */
  id: string;
  storeId: string;
  /** Decimal string as created ("5.00" stays "5.00"; a JSON number 5 → "5"). */
  amount: string;
  /** Decimal string, in the invoice currency. */
  paidAmount: string;
  currency: string;
  type: 'Standard';
  /** `${serverUrl}/i/${id}` */
  checkoutLink: string;
  createdTime: number;
  expirationTime: number;
  monitoringExpiration: number;
  status: BtcPayStatus;
  additionalStatus: BtcPayAdditionalStatus;
  metadata: Record<string, unknown>;
  /** Echo of the request's checkout object with defaults filled (payment method ids canonical here; mapped on output). */
  checkout: Record<string, unknown>;
  /** Internal; served only by the payment-methods endpoint or ?includePaymentMethods=true. */
  paymentMethods: BtcPayPaymentMethod[];
}

export interface BtcPayRequest extends RecordedRequest {
  /** Relative to /api/v1 (other paths as received). */
  path: string;
  /** Parsed JSON; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  /** The answer's HTTP status. */
  status: number;
}

export type BtcPayEventType =
  | 'InvoiceCreated'
  | 'InvoiceReceivedPayment'
  | 'InvoicePaymentSettled'
  | 'InvoiceProcessing'
  | 'InvoiceExpired'
  | 'InvoiceSettled'
  | 'InvoiceInvalid'
  | 'InvoicePaidAfterExpiration'
  | 'InvoiceExpiredPaidPartial';

export interface BtcPayDelivery {
  deliveryId: string;
  originalDeliveryId: string;
  /** The bytes put on the wire. */
  body: Buffer;
  /** The receiver's HTTP status; 0 when the request failed (network error). */
  status: number;
  responseBody: string;
}

export interface BtcPayFailure {
  status: number;
  code?: string;
  raw?: string;
  times?: number;
}

export interface BtcPayEmulator extends UpstreamEmulator {
  /** 'http://127.0.0.1:<port>' — the server root (what a tenant puts in config.base_url); the API is under /api/v1. */
  serverUrl: string;
  storeId: string;
  /** An API key holding every store permission for storeId. */
  apiKey: string;
  /** A new key for the store with only these permissions (e.g. ['btcpay.store.canviewinvoices']). Permission strings may be plain or scoped `perm:<storeId>`. */
  addApiKey(permissions: string[]): string;
  /** Refunds made through the API (pull payments), by id. */
  readonly pullPayments: ReadonlyMap<string, import('./refunds.js').BtcPayPullPayment>;
  /** The store webhook's secret (deliveries are signed with it). */
  webhookSecret: string;
  /** The store webhook's id (in every delivery). */
  webhookId: string;
  /** Where the store's webhook delivers (like the BTCPay store webhook's URL); null = no webhook configured. */
  webhookUrl: string | null;
  /** Every API request received, in order (auth failures included). */
  requests: BtcPayRequest[];
  invoices: Map<string, BtcPayInvoice>;
  /** Every webhook delivery made (first deliveries and redeliveries), in order. */
  deliveries: BtcPayDelivery[];
  options: BtcPayOptions;

  /** A payment of `amount` (in the invoice currency; default the remaining due) by 'BTC-CHAIN' (default) or 'BTC-LN'. */
  pay(invoiceId: string, opts?: { amount?: string; method?: BtcPayMethodId }): Promise<BtcPayDelivery[]>;
  /** The on-chain payment confirms: Processing → Settled (events InvoicePaymentSettled, InvoiceSettled with overPaid flag). */
  confirm(invoiceId: string): Promise<BtcPayDelivery[]>;
  /** Expiry: New → Expired (InvoiceExpired with partiallyPaid, then InvoiceExpiredPaidPartial if a partial payment came). */
  expire(invoiceId: string): Promise<BtcPayDelivery[]>;
  /** Processing never confirmed → Invalid (InvoiceInvalid, manuallyMarked false). */
  invalidate(invoiceId: string): Promise<BtcPayDelivery[]>;

  /** The exact bytes BTCPay would put on the wire for this event of this invoice now (new deliveryId). */
  webhookBody(invoiceId: string, type: BtcPayEventType): { deliveryId: string; body: Buffer };
  /** POSTs one event to url (default webhookUrl) signed over the exact bytes sent. */
  sendWebhook(
    invoiceId: string,
    type: BtcPayEventType,
    opts?: { url?: string; forge?: boolean; tamper?: boolean; unsigned?: boolean; body?: Buffer },
  ): Promise<BtcPayDelivery>;
  /** Redelivers a past delivery like BTCPay's redeliver (to opts.url, else webhookUrl, else the original URL). */
  redeliver(deliveryId: string, opts?: { url?: string }): Promise<BtcPayDelivery>;
  /** The next call(s) to a path (relative to /api/v1) fail with this HTTP status and a Greenfield error body (or a raw non-JSON body). */
  failNext(path: string, failure: BtcPayFailure): void;
}

/** Behaviour switches a test may flip at any time (emu.options.legacyPaymentMethodIds = true). */
export interface BtcPayOptions {
  /** Payment methods the store has enabled (default both). */
  enabledPaymentMethods: BtcPayMethodId[];
  /** Answer like a 1.x server: emit 'BTC' and 'BTC-LightningNetwork' as paymentMethodId (and in checkout.paymentMethods echo). Default false. */
  legacyPaymentMethodIds: boolean;
  /** BTC price in the invoice currency used to compute the BTC amounts (default "50000"). */
  rate: string;
  /** Lightning paid in full also delivers InvoiceProcessing before InvoiceSettled (likely what a real server does). Default false. */
  lightningProcessingEvent: boolean;
  /** Deliver InvoiceCreated (asynchronously) when an invoice is created through the API. Default false. */
  deliverInvoiceCreated: boolean;
}

export interface BtcPayEmulatorOptions {
  storeId?: string;
  apiKey?: string;
  webhookSecret?: string;
  webhookUrl?: string | null;
  enabledPaymentMethods?: BtcPayMethodId[];
  legacyPaymentMethodIds?: boolean;
  rate?: string;
  lightningProcessingEvent?: boolean;
  deliverInvoiceCreated?: boolean;
}
