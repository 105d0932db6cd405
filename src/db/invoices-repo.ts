import type { DbOrTx } from './knex.js';
import { fetchPage, type PageRequest } from './pagination.js';
import type { InvoiceStatus, PaymentException } from '../domain/invoice-status.js';

export interface GatewayAttempt {
  account_id: string;
  connector: string;
  outcome: 'succeeded' | 'failed' | 'declined';
  code: string | null;
  duration_ms: number;
  /** Who picked the gateway: routing at creation, or the buyer on the checkout page. Absent on rows older than the checkout. */
  selected_by?: 'routing' | 'buyer';
  /** RFC 3339; absent on rows older than the checkout. */
  attempted_at?: string;
}

export type GatewaySelection = 'auto' | 'buyer';

/** One refund of an invoice: asked for through the API, or reported by the upstream. */
export interface RefundRecord {
  amount: string;
  currency: string;
  /** succeeded: the money went back; pending: the buyer still has to claim it (BTCPay's pull payment). */
  status: 'pending' | 'succeeded';
  /** The upstream's own reference (a pull payment id, a Telegram charge id). */
  reference: string | null;
  /** Where the buyer claims the refund, when the upstream makes one to claim. */
  claim_url: string | null;
  reason: string | null;
  source: 'api' | 'upstream';
  created_at: string;
}

export interface InvoiceRow {
  id: string;
  tenant_id: string;
  livemode: boolean;
  status: InvoiceStatus;
  amount: string;
  currency: string;
  accepted_assets: string[];
  description: string | null;
  external_id: string | null;
  metadata: Record<string, unknown>;
  customer: { telegram_user_id?: number; email?: string } | null;
  /** The current upstream invoice's account and connector; null until a 'buyer' invoice's gateway is chosen. */
  gateway_account_id: string | null;
  connector: string | null;
  upstream_id: string | null;
  gateway_selection: GatewaySelection;
  /** The hosted checkout page's secret path segment (192 random bits). */
  checkout_token: string;
  gateway_attempts: GatewayAttempt[];
  pay_url: string | null;
  payment: Record<string, string> | null;
  paid: { amount: string; currency: string; paid_at: string; fee: string | null; exception?: PaymentException | null } | null;
  return_url: string | null;
  fail_return_url: string | null;
  upstream_data: Record<string, unknown> | null;
  refunds: RefundRecord[];
  reconcile_attempts: number;
  next_reconcile_at: Date | null;
  expires_at: Date;
  created_at: Date;
  updated_at: Date;
}

export interface TenantScope {
  tenantId: string;
  livemode: boolean;
  /** The API key making the request, where the write must re-check it is still live (invoice create). */
  keyId?: string;
}

const JSON_COLUMNS = ['metadata', 'customer', 'gateway_attempts', 'payment', 'paid', 'upstream_data', 'refunds'] as const;

/** pg sends JS arrays as Postgres arrays, so jsonb values are serialized explicitly. */
export function invoiceToDb(row: Partial<InvoiceRow>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  for (const col of JSON_COLUMNS) if (col in row) out[col] = row[col] === null ? null : JSON.stringify(row[col]);
  return out;
}

/** Whether an insert failed because the tenant already has an invoice with this external_id (a lost race). */
export function isDuplicateExternalId(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === 'invoices_external_id_unique';
}

export const invoicesRepo = {
  insert: async (db: DbOrTx, row: Omit<InvoiceRow, 'created_at' | 'updated_at' | 'reconcile_attempts' | 'next_reconcile_at'>): Promise<InvoiceRow> =>
    ((await db('invoices').insert(invoiceToDb(row)).returning('*')) as InvoiceRow[])[0]!,
  /** Scoped lookup: another tenant's (or the other mode's) invoice simply does not exist. */
  find: async (db: DbOrTx, scope: TenantScope, id: string): Promise<InvoiceRow | undefined> =>
    db('invoices').where({ id, tenant_id: scope.tenantId, livemode: scope.livemode }).first(),
  findById: async (db: DbOrTx, id: string): Promise<InvoiceRow | undefined> => db('invoices').where({ id }).first(),
  findForUpdate: async (db: DbOrTx, id: string): Promise<InvoiceRow | undefined> => db('invoices').where({ id }).forUpdate().first(),
  findByCheckoutToken: async (db: DbOrTx, token: string): Promise<InvoiceRow | undefined> => db('invoices').where({ checkout_token: token }).first(),
  findByExternalId: async (db: DbOrTx, scope: TenantScope, externalId: string): Promise<InvoiceRow | undefined> =>
    db('invoices').where({ tenant_id: scope.tenantId, livemode: scope.livemode, external_id: externalId }).first(),
  list: (db: DbOrTx, scope: TenantScope, page: PageRequest, filter: { status?: InvoiceStatus; externalId?: string }) => {
    const q = db('invoices').select('*').where({ tenant_id: scope.tenantId, livemode: scope.livemode });
    if (filter.status) q.where({ status: filter.status });
    if (filter.externalId) q.where({ external_id: filter.externalId });
    return fetchPage<InvoiceRow>(q, page);
  },
  update: async (db: DbOrTx, id: string, patch: Partial<InvoiceRow>): Promise<InvoiceRow> =>
    ((await db('invoices')
      .where({ id })
      .update({ ...invoiceToDb(patch), updated_at: db.fn.now() })
      .returning('*')) as InvoiceRow[])[0]!,
  /**
   * Open invoices (pending, processing) whose next status check is due and that have an upstream
   * invoice still watched (current or abandoned by the buyer) on a connector that can be asked,
   * least recently scheduled first; `excludeConnectors` are settled by their webhooks only.
   */
  listDueForReconcile: async (db: DbOrTx, excludeConnectors: string[], limit: number): Promise<InvoiceRow[]> =>
    db('invoices as i')
      .select('i.*')
      .whereIn('i.status', ['pending', 'processing'])
      .andWhere((q) => q.whereNull('i.next_reconcile_at').orWhere('i.next_reconcile_at', '<=', db.fn.now()))
      .whereExists((q) =>
        q
          .select(db.raw('1'))
          .from('upstream_invoices as u')
          .whereRaw('u.invoice_id = i.id')
          .whereNot('u.state', 'cancelled')
          .whereNotIn('u.connector', excludeConnectors),
      )
      .orderByRaw('i.next_reconcile_at NULLS FIRST')
      .limit(limit),
  /**
   * Records one more status check and when the next one is due, unless someone rescheduled the
   * invoice since `expectedAt` was read (another pass, or a hold): their schedule stands.
   */
  scheduleReconcile: async (db: DbOrTx, id: string, attempts: number, nextAt: Date, expectedAt: Date | null): Promise<void> => {
    await db('invoices')
      .where({ id })
      .whereRaw('next_reconcile_at IS NOT DISTINCT FROM ?', [expectedAt])
      .update({ reconcile_attempts: attempts, next_reconcile_at: nextAt });
  },
  /** Brings an open invoice's next status check forward to `at` at the latest (a check already due sooner stands). */
  reconcileBy: async (db: DbOrTx, id: string, at: Date): Promise<void> => {
    await db('invoices').where({ id }).whereIn('status', ['pending', 'processing']).andWhere('next_reconcile_at', '>', at).update({ next_reconcile_at: at });
  },
  /** Pending invoices past their expiry, locked for this transaction; other workers skip them. */
  lockOverdue: async (db: DbOrTx, limit: number): Promise<InvoiceRow[]> =>
    db('invoices').where({ status: 'pending' }).andWhere('expires_at', '<=', db.fn.now()).orderBy('expires_at').limit(limit).forUpdate().skipLocked(),
};
