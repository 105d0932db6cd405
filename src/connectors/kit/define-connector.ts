import type { z } from 'zod';
import type {
  AccountContext,
  Connector,
  ConnectorManifest,
  CreateInvoiceInput,
  RefundRequest,
  RefundResult,
  InboundWebhookRequest,
  PaidAfter,
  UpstreamEvent,
  UpstreamIdentity,
  UpstreamInvoice,
  VerificationResult,
  WebhookAcknowledgement,
  WebhookForward,
  WebhookResponseContext,
} from '../types.js';
import { checkSettings, readSettings } from './settings.js';
import { upstreamErrorOfKind } from './failures.js';

/** An account as a connector's flows see it: credentials and config already parsed by its schemas. */
export type Account<C, K> = Omit<AccountContext, 'credentials' | 'config'> & { credentials: C; config: K };

/**
 * A connector is data plus a few small functions: its manifest, the schemas of its credentials
 * and config, the flows it supports, and how its webhooks are verified, read and acknowledged.
 */
export interface ConnectorDefinition<CS extends z.ZodType, KS extends z.ZodType> {
  manifest: ConnectorManifest;
  credentials: CS;
  config: KS;
  checkCredentials?(account: Account<z.output<CS>, z.output<KS>>): Promise<void | UpstreamIdentity>;
  /** See Connector.onAccountConnected: tell the upstream about a new or changed account; may complete its credentials. */
  onAccountConnected?(account: Account<z.output<CS>, z.output<KS>>, previous: Account<z.output<CS>, z.output<KS>> | null): Promise<{ credentials?: Record<string, string> } | void>;
  onAccountDeleted?(account: Account<z.output<CS>, z.output<KS>>): Promise<void>;
  createInvoice(account: Account<z.output<CS>, z.output<KS>>, input: CreateInvoiceInput): Promise<UpstreamInvoice>;
  /** `invoiceId`: our own id, for upstreams whose status query is keyed by the reference we sent. */
  getInvoice(account: Account<z.output<CS>, z.output<KS>>, upstreamId: string, invoiceId?: string): Promise<UpstreamInvoice>;
  /** Where a status query depends on the account's config (default: manifest capabilities.sync). */
  canSync?(account: Account<z.output<CS>, z.output<KS>>): boolean;
  getInvoices?(account: Account<z.output<CS>, z.output<KS>>, upstreamIds: string[]): Promise<UpstreamInvoice[]>;
  cancelInvoice?(account: Account<z.output<CS>, z.output<KS>>, upstreamId: string): Promise<void>;
  /** Only with manifest capabilities.refund (checked when the connector is defined). */
  refund?(account: Account<z.output<CS>, z.output<KS>>, request: RefundRequest): Promise<RefundResult>;
  getBalance?(account: Account<z.output<CS>, z.output<KS>>): Promise<Array<{ currency: string; available: string; onhold: string }>>;
  /** Long polls for payments (upstreams without webhooks); see PaymentWaits. */
  paymentWaits?: {
    latest(account: Account<z.output<CS>, z.output<KS>>, signal: AbortSignal): Promise<string>;
    next(account: Account<z.output<CS>, z.output<KS>>, cursor: string, signal: AbortSignal): Promise<PaidAfter | null>;
  };
  webhooks: {
    verify(account: Account<z.output<CS>, z.output<KS>>, request: InboundWebhookRequest): VerificationResult;
    /** Raw bytes of a verified webhook → normalized events; throws (naming the field) on a wrong shape. */
    parse(rawBody: Buffer): UpstreamEvent[];
    /** Exactly what the upstream expects back once a webhook is stored. */
    acknowledgement: WebhookAcknowledgement;
    /** Extra headers to keep out of storage (the upstream's own credential headers). */
    redactHeaders?: string[];
    /** See Connector.respondToWebhook: an answer the upstream waits for before the acknowledgement. */
    respond?(account: Account<z.output<CS>, z.output<KS>>, rawBody: Buffer, ctx: WebhookResponseContext): Promise<void>;
    /** See Connector.forwardWebhook: where a webhook that is not about our invoices goes next. */
    forward?(account: Account<z.output<CS>, z.output<KS>>, rawBody: Buffer): WebhookForward | null;
  };
}

export function defineConnector<CS extends z.ZodType, KS extends z.ZodType>(def: ConnectorDefinition<CS, KS>): Connector {
  const { manifest } = def;
  assertSchemaMatchesManifest(manifest, 'credentials', def.credentials);
  assertSchemaMatchesManifest(manifest, 'config', def.config);
  if (manifest.capabilities.refund !== Boolean(def.refund)) throw new Error(`${manifest.id}: capabilities.refund says ${manifest.capabilities.refund} but the connector ${def.refund ? 'has' : 'has no'} refund flow`);
  const typed = (ctx: AccountContext): Account<z.output<CS>, z.output<KS>> => {
    try {
      return { ...ctx, credentials: readSettings(def.credentials, ctx.credentials, 'credentials'), config: readSettings(def.config, ctx.config, 'config') };
    } catch (err) {
      // Stored settings were checked on the way in; this means a schema changed under them.
      throw upstreamErrorOfKind('fatal', `${manifest.name} account ${ctx.accountId}: ${(err as Error).message}`, 'invalid_account_settings');
    }
  };
  // An optional flow, called with the account parsed like the required ones.
  const withAccount =
    <A extends unknown[], R>(fn: (account: Account<z.output<CS>, z.output<KS>>, ...args: A) => R) =>
    (ctx: AccountContext, ...args: A) =>
      fn(typed(ctx), ...args);

  const connector: Connector = {
    manifest,
    validateCredentials: (credentials) => checkSettings(manifest, 'credentials', def.credentials, credentials),
    validateConfig: (config) => checkSettings(manifest, 'config', def.config, config),
    redactHeaders: (def.webhooks.redactHeaders ?? []).map((h) => h.toLowerCase()),
    createInvoice: (ctx, input) => def.createInvoice(typed(ctx), input),
    getInvoice: (ctx, upstreamId, invoiceId) => def.getInvoice(typed(ctx), upstreamId, invoiceId),
    verifyWebhook(ctx, request) {
      let account;
      try {
        account = typed(ctx);
      } catch {
        return { ok: false, reason: 'malformed' };
      }
      return def.webhooks.verify(account, request);
    },
    parseWebhook: (rawBody) => def.webhooks.parse(rawBody),
    acknowledgement: () => def.webhooks.acknowledgement,
  };
  if (def.checkCredentials) connector.checkCredentials = withAccount(def.checkCredentials);
  if (def.canSync) connector.canSync = withAccount(def.canSync);
  if (def.getInvoices) connector.getInvoices = withAccount(def.getInvoices);
  if (def.cancelInvoice) connector.cancelInvoice = withAccount(def.cancelInvoice);
  if (def.getBalance) connector.getBalance = withAccount(def.getBalance);
  if (def.refund) connector.refund = withAccount(def.refund);
  if (def.paymentWaits) connector.paymentWaits = { latest: withAccount(def.paymentWaits.latest), next: withAccount(def.paymentWaits.next) };
  const { onAccountConnected, onAccountDeleted } = def;
  if (onAccountConnected) connector.onAccountConnected = (ctx, previous) => onAccountConnected(typed(ctx), previous ? typed(previous) : null);
  if (onAccountDeleted) connector.onAccountDeleted = withAccount(onAccountDeleted);
  if (def.webhooks.respond) connector.respondToWebhook = withAccount(def.webhooks.respond);
  if (def.webhooks.forward) connector.forwardWebhook = withAccount(def.webhooks.forward);
  return connector;
}

/** The manifest (what GET /v1/connectors lists) and the schema (what is checked) name the same fields. */
function assertSchemaMatchesManifest(manifest: ConnectorManifest, kind: 'credentials' | 'config', schema: z.ZodType): void {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  if (!shape) return;
  const inSchema = Object.keys(shape).sort().join(', ');
  const inManifest = (kind === 'credentials' ? manifest.credentialFields : manifest.configFields).map((f) => f.name).sort().join(', ');
  if (inSchema !== inManifest) throw new Error(`${manifest.id}: ${kind} schema fields (${inSchema}) differ from the manifest's (${inManifest})`);
}
