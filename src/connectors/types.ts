import type { InvoiceStatus, PaymentException } from '../domain/invoice-status.js';
import type { CurrencyKind } from '../domain/currencies.js';
import type { ConnectorId } from './connector-ids.js';

export type { ConnectorId } from './connector-ids.js';
export { UpstreamError } from './kit/failures.js';

export interface CredentialField {
  name: string;
  secret: boolean;
  description: string;
  /** Absent means required; an optional one (Telegram Stars' webhook_secret) says so. */
  required?: boolean;
}

export interface ConfigField {
  name: string;
  description: string;
  required: boolean;
  /**
   * A tenant-supplied address Switchyard will call (besides base_url, which is always one):
   * checked like base_url when the account is saved (http(s), no credentials, the outbound
   * address guard).
   */
  url?: boolean;
}

/** What a connector can do, served by GET /v1/connectors (hyperswitch-style capability manifest). */
export interface ConnectorManifest {
  id: ConnectorId;
  name: string;
  modes: Array<'live' | 'test'>;
  credentialFields: CredentialField[];
  configFields: ConfigField[];
  capabilities: {
    /** Currency codes the upstream accepts; empty means every code in our currency table of the kinds below. */
    currencies: string[];
    currencyKinds: CurrencyKind[];
    /**
     * The accepted_assets entries this upstream understands, where it is choosy (BTCPay: BTC,
     * BTC-CHAIN, BTC-LN). Absent: any plain crypto asset code is passed on.
     */
    paymentAssets?: string[];
    minExpiresIn: number;
    maxExpiresIn: number;
    cancel: boolean;
    /** The upstream can give a paid invoice's money back (POST /v1/invoices/{id}/refund). */
    refund: boolean;
    sync: boolean;
    balance: boolean;
    webhooks: boolean;
    /** Smallest amount per currency the upstream takes (checked before calling it). */
    minAmounts?: Record<string, string>;
  };
  /** Invoice fields this upstream cannot do without, as body paths (e.g. customer.telegram_user_id). */
  requiredFields?: string[];
}

/** One configured upstream account, with credentials already decrypted for this call only. */
export interface AccountContext {
  accountId: string;
  livemode: boolean;
  credentials: Record<string, string>;
  config: Record<string, unknown>;
  /** Where the upstream should send its webhooks for this account. */
  webhookUrl: string;
}

export interface CreateInvoiceInput {
  invoiceId: string;
  amount: string;
  currency: string;
  acceptedAssets: string[];
  description: string | null;
  expiresAt: Date;
  expiresInSeconds: number;
  customer: { telegram_user_id?: number; email?: string } | null;
  returnUrl: string | null;
  failReturnUrl: string | null;
}

export interface PaymentDetails {
  address?: string;
  network?: string;
  asset?: string;
  amount?: string;
  bolt11?: string;
}

export interface PaidDetails {
  amount: string;
  currency: string;
  paidAt: Date;
  fee: string | null;
  /** How the payment differs from the invoice, when the upstream says so (else derived from the amounts). */
  exception?: PaymentException | null;
}

/** A refund the upstream reports (or confirms), in the invoice's terms. */
export interface UpstreamRefund {
  amount: string;
  currency: string;
  reference: string | null;
}

/** What Switchyard asks an upstream to give back: always the whole paid amount. */
export interface RefundRequest {
  upstreamId: string;
  /** Our invoice id. */
  invoiceId: string;
  /** What was paid (the invoice's `paid`). */
  amount: string;
  currency: string;
  /** The upstream's own fields we kept for the invoice (e.g. the charge id and payer a refund needs). */
  upstreamData: Record<string, unknown>;
  reason: string | null;
}

export interface RefundResult {
  /** succeeded: the money went back; pending: the buyer still has to claim it at `claimUrl`. */
  status: 'succeeded' | 'pending';
  reference: string | null;
  claimUrl: string | null;
  raw: Record<string, unknown>;
}

/**
 * A row the sandbox (whose fake upstream lives in our own database) keeps for a new upstream
 * invoice: written in the same statement as the invoice it belongs to, never on its own.
 */
export interface OwnUpstreamRow {
  table: 'sandbox_invoices';
  values: Record<string, unknown>;
}

/** The upstream's view of one invoice, already mapped to our status table. */
export interface UpstreamInvoice {
  upstreamId: string;
  status: InvoiceStatus | 'unknown';
  payUrl: string | null;
  payment: PaymentDetails | null;
  paid: PaidDetails | null;
  /** Set with status `refunded`: what the upstream gave back. */
  refund?: UpstreamRefund | null;
  /** The upstream's own fields worth keeping for support and disputes. */
  raw: Record<string, unknown>;
  /** Only from createInvoice, only the sandbox: its row, stored with the invoice. */
  ownRow?: OwnUpstreamRow;
}

/** A normalized upstream event parsed from a verified webhook. */
export interface UpstreamEvent {
  /** Unique per upstream event, for idempotent processing (e.g. invoice id + status). */
  dedupeKey: string;
  upstreamId: string;
  /**
   * Our own invoice id, for upstreams whose webhooks carry only the reference we sent (XthonPay's
   * external_id): the invoice is then found by it, within the account, instead of by upstreamId.
   */
  invoiceId?: string;
  status: InvoiceStatus | 'unknown';
  paid: PaidDetails | null;
  /** Set with status `refunded`: what the upstream gave back. */
  refund?: UpstreamRefund | null;
  raw: Record<string, unknown>;
  /**
   * The webhook only says that something changed (BTCPay's events carry no amounts): ask the
   * upstream for the invoice (getInvoice) and apply its answer instead of this event's status.
   */
  refetch?: boolean;
}

/** A payment a long poll returned, and the position to wait from next. */
export interface PaidAfter {
  cursor: string;
  invoice: UpstreamInvoice;
}

/**
 * For upstreams without webhooks that hold a request open until a payment arrives (Core
 * Lightning's waitanyinvoice): the worker keeps one such wait per account
 * (`jobs/payment-waiters.ts`). Positions are opaque to Switchyard and only move forward.
 */
export interface PaymentWaits {
  /** The position of the newest payment now: waiting from it sees only later payments. */
  latest(account: AccountContext, signal: AbortSignal): Promise<string>;
  /** The first payment after `cursor`, waiting for it at most the account's wait time (null: none came). */
  next(account: AccountContext, cursor: string, signal: AbortSignal): Promise<PaidAfter | null>;
}

export interface InboundWebhookRequest {
  method: string;
  /** The path the upstream called, as seen from outside (PUBLIC_BASE_URL's path prefix included). */
  publicPath: string;
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
  sourceAddress: string;
  receivedAt: Date;
}

/**
 * `unsignedHint`: the upstream signs nothing (LNbits), so the request proves nothing. It is stored
 * unverified (`verification_error: unsigned_hint`), acknowledged, and only makes Switchyard ask
 * the upstream about the invoice it names; its body never moves an invoice.
 */
export type VerificationResult =
  | { ok: true; unsignedHint?: true }
  | { ok: false; reason: 'missing_signature' | 'bad_signature' | 'stale' | 'source_not_allowed' | 'malformed' };

export interface WebhookAcknowledgement {
  status: number;
  contentType?: string;
  body?: string;
}

/** What a credential check learnt about the upstream account, to show on ours. */
export interface UpstreamIdentity {
  /** A name for the account when the tenant gave none (a Telegram bot's @username). */
  name?: string;
}

/** One invoice as an upstream's synchronous webhook answer needs to see it (see `respondToWebhook`). */
export interface InvoiceSnapshot {
  id: string;
  status: InvoiceStatus;
  amount: string;
  currency: string;
  expiresAt: Date;
  /** The invoice's current upstream invoice is at this account (not abandoned for another pick). */
  currentHere: boolean;
}

export interface WebhookResponseContext {
  /** Our invoice by id, as long as this account ever opened an upstream invoice for it; else null. */
  lookup(invoiceId: string): Promise<InvoiceSnapshot | null>;
  /** Epoch milliseconds by which the answer must be given (upstream calls should time out before). */
  deadline: number;
}

/** A webhook to pass on, unchanged, to another receiver of the tenant's (Telegram updates that are not ours). */
export interface WebhookForward {
  url: string;
  /** Headers to send with the body besides content-type (recomputed from the account at every attempt). */
  headers: Record<string, string>;
}

export interface SettingError {
  /** A pointer below the account body: `/credentials/token`, `/config/speed_policy`. */
  field: string;
  message: string;
}

/**
 * What the rest of Switchyard sees of an upstream. Connectors are built with the kit
 * (`kit/define-connector.ts`), which derives the settings checks from the manifest and schemas.
 */
export interface Connector {
  manifest: ConnectorManifest;
  /** Checks the credentials against the manifest and the connector's schema; returns field errors (empty when fine). */
  validateCredentials(credentials: unknown): SettingError[];
  /** Checks account config against the manifest (undeclared keys are refused) and the schema; base_url's address is checked by the caller. */
  validateConfig(config: Record<string, unknown>): SettingError[];
  /** Inbound webhook headers never stored beyond the ones ingress always drops: this upstream's own credential headers. */
  redactHeaders: readonly string[];
  /** Asks the upstream whether the credentials work, where it offers a check; may say what the upstream calls the account. */
  checkCredentials?(account: AccountContext): Promise<void | UpstreamIdentity>;
  /**
   * An account is created, or its credentials or config are replaced (`previous`: the account as it
   * was), after the credential check and before it is saved: tells the upstream what it must know
   * (Telegram: where the bot's updates go) and may complete the credentials (a generated webhook
   * secret), returned to be saved instead. A rejection refuses the change; nothing is saved.
   */
  onAccountConnected?(account: AccountContext, previous: AccountContext | null): Promise<{ credentials?: Record<string, string> } | void>;
  /** An account was deleted: undo what onAccountConnected told the upstream. Best effort (failures are logged). */
  onAccountDeleted?(account: AccountContext): Promise<void>;
  createInvoice(account: AccountContext, input: CreateInvoiceInput): Promise<UpstreamInvoice>;
  /**
   * The upstream's view of one invoice. `invoiceId` is our own id, for upstreams whose status
   * query is keyed by the reference we sent (XthonPay's external_id); Switchyard always passes it.
   */
  getInvoice(account: AccountContext, upstreamId: string, invoiceId?: string): Promise<UpstreamInvoice>;
  /** Whether this account can be asked for an invoice's state, where that depends on its config (default: capabilities.sync). */
  canSync?(account: AccountContext): boolean;
  /** Batched status query for reconciliation, where the upstream has one. */
  getInvoices?(account: AccountContext, upstreamIds: string[]): Promise<UpstreamInvoice[]>;
  cancelInvoice?(account: AccountContext, upstreamId: string): Promise<void>;
  /** Gives a paid invoice's money back, where the manifest says `refund: true`. Rejects with UpstreamError (a decline carries the upstream's reason). */
  refund?(account: AccountContext, request: RefundRequest): Promise<RefundResult>;
  getBalance?(account: AccountContext): Promise<Array<{ currency: string; available: string; onhold: string }>>;
  /** Long polls for payments, where the upstream has them instead of webhooks. */
  paymentWaits?: PaymentWaits;
  verifyWebhook(account: AccountContext, request: InboundWebhookRequest): VerificationResult;
  parseWebhook(rawBody: Buffer): UpstreamEvent[];
  /** Exactly what the upstream expects back once a webhook is stored. */
  acknowledgement(): WebhookAcknowledgement;
  /**
   * For upstreams that wait for an answer inside the webhook's time (Telegram's pre-checkout
   * query): runs after a verified webhook is stored and queued, before it is acknowledged, and
   * must finish by `ctx.deadline`. A failure or an overrun is logged and changes nothing else:
   * the stored webhook is acknowledged and processed as usual.
   */
  respondToWebhook?(account: AccountContext, rawBody: Buffer, ctx: WebhookResponseContext): Promise<void>;
  /**
   * Where a verified webhook that is not about our invoices goes next, unchanged (a tenant's bot
   * whose webhook Switchyard owns), or null. Decided when the webhook is processed; delivered
   * with retries (webhooks/inbound/upstream-forwarder.ts).
   */
  forwardWebhook?(account: AccountContext, rawBody: Buffer): WebhookForward | null;
}

/** Whether getInvoice works for this account (sync, reconciliation). */
export function accountCanSync(connector: Connector, account: AccountContext): boolean {
  return connector.canSync ? connector.canSync(account) : connector.manifest.capabilities.sync;
}
