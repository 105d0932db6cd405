import type { Logger } from 'pino';
import type { Db, DbOrTx } from '../db/knex.js';
import { invoicesRepo, isDuplicateExternalId, type InvoiceRow, type TenantScope } from '../db/invoices-repo.js';
import { gatewayAccountsRepo, type GatewayAccountRow } from '../db/gateway-accounts-repo.js';
import type { PageRequest } from '../db/pagination.js';
import type { ConnectorRegistry } from '../connectors/registry.js';
import { createAccountContexts } from '../connectors/account-context.js';
import { accountCanSync, UpstreamError, type Connector, type PaidDetails, type UpstreamInvoice } from '../connectors/types.js';
import { canCancel, canExpire, canTransition, eventTypeForStatus, isClosedUnpaid, type InvoiceStatus, type PaymentException } from '../domain/invoice-status.js';
import { newId } from '../domain/ids.js';
import { findCurrency, type Currency } from '../domain/currencies.js';
import { checkAmount, compareAmounts } from '../domain/money.js';
import { InvoiceError, ValidationError } from '../domain/errors.js';
import type { SecretBox } from '../security/secret-box.js';
import { assetsFor, selectAccounts, type RejectedAccount } from '../routing/select-accounts.js';
import { tryCandidates, type CandidateTries } from '../routing/try-candidates.js';
import type { CircuitBreaker } from '../routing/circuit-breaker.js';
import type { Metrics } from '../metrics.js';
import { checkInvoiceSemantics, DEFAULT_EXPIRES_IN, type InvoiceCreateBody } from './invoice-input.js';
import { toInvoiceObject } from './invoice-view.js';
import { insertWithCreatedEvent, updateWithEvent, type NewInvoiceRow } from './invoice-writes.js';

export interface InvoiceServiceDeps {
  db: Db;
  connectors: ConnectorRegistry;
  secretBox: SecretBox;
  metrics: Metrics;
  logger: Logger;
  publicBaseUrl: string;
  breaker: CircuitBreaker;
}

/** What an upstream told us about an invoice, from a verified webhook, a sync or a simulation. */
export interface UpstreamUpdate {
  status: InvoiceStatus | 'unknown';
  paid: PaidDetails | null;
  raw: Record<string, unknown>;
}

export function createInvoiceService(deps: InvoiceServiceDeps) {
  const { db, connectors, metrics, logger } = deps;

  const accountContext = createAccountContexts(deps);

  /** Times one upstream call and turns anything unexpected into an integration error. */
  async function callUpstream<T>(connectorId: string, operation: string, fn: () => Promise<T>): Promise<T> {
    const end = metrics.upstreamCalls.startTimer({ connector: connectorId, operation });
    try {
      const result = await fn();
      end({ outcome: 'ok' });
      return result;
    } catch (err) {
      end({ outcome: 'error' });
      if (err instanceof UpstreamError) throw err;
      logger.error({ err, connector: connectorId, operation }, 'upstream call failed');
      throw new UpstreamError(`${connectorId} ${operation} failed`, 'integration', true);
    }
  }

  async function loadAccountAndConnector(row: InvoiceRow): Promise<{ account: GatewayAccountRow; connector: Connector }> {
    const account = await gatewayAccountsRepo.findById(db, row.gateway_account_id);
    const connector = connectors.get(row.connector);
    if (!account || !connector) throw new Error(`invoice ${row.id} points at a missing account or connector`);
    return { account, connector };
  }

  /**
   * The one place an invoice changes status: under a row lock, only forward, and with its
   * event written in the same transaction (the outbox).
   */
  async function transition(trx: DbOrTx, row: InvoiceRow, to: InvoiceStatus, patch: Partial<InvoiceRow> = {}): Promise<InvoiceRow> {
    const updated = await updateWithEvent(trx, row, { ...patch, status: to }, eventTypeForStatus(to));
    metrics.invoiceTransitions.inc({ connector: row.connector, status: to });
    return updated;
  }

  async function find(scope: TenantScope, id: string): Promise<InvoiceRow> {
    const row = await invoicesRepo.find(db, scope, id);
    if (!row) throw new InvoiceError('not_found', `No invoice ${id}`);
    return row;
  }

  /**
   * Applies an upstream's view; repeated or backward news changes nothing. Money reported for an
   * invoice that no longer takes it (expired, cancelled, failed) keeps the status and is
   * surfaced as `invoice.late_payment` instead of being dropped.
   */
  async function applyUpstreamUpdate(invoiceId: string, update: UpstreamUpdate): Promise<InvoiceRow> {
    return db.transaction(async (trx) => {
      const row = await invoicesRepo.findForUpdate(trx, invoiceId);
      if (!row) throw new Error(`invoice ${invoiceId} vanished`);
      const upstream_data = { ...(row.upstream_data ?? {}), ...update.raw };
      if (update.status === 'unknown') return invoicesRepo.update(trx, row.id, { upstream_data });
      const paid = update.paid ? paidRecord(row, update.paid) : null;

      // Money reported for a closed invoice: a late payment, or a partial one whose news lost the race with our expiry.
      if (paid && isClosedUnpaid(row.status)) {
        // The upstream's own word (BTCPay PaidPartial, PaidLate) if it has one, else `late`: the amount shows any difference.
        const late = { ...paid, exception: update.paid!.exception ?? 'late' };
        if (row.paid && row.paid.amount === late.amount && row.paid.exception === late.exception) return invoicesRepo.update(trx, row.id, { upstream_data });
        logger.warn({ invoice: row.id, status: row.status, paid: late.amount, currency: late.currency }, 'payment arrived for an invoice that no longer takes payments');
        metrics.latePayments.inc({ connector: row.connector });
        return updateWithEvent(trx, row, { upstream_data, paid: late }, 'invoice.late_payment');
      }
      if (update.status === row.status || !canTransition(row.status, update.status)) {
        return invoicesRepo.update(trx, row.id, { upstream_data });
      }
      // `paid` is set when an invoice is paid, or expires after a partial payment; never while it is open.
      const recorded = paid && (update.status === 'paid' || update.status === 'expired') ? paid : row.paid;
      if (recorded?.exception) logger.warn({ invoice: row.id, expected: row.amount, paid: recorded.amount, exception: recorded.exception }, 'paid amount differs from the invoice amount');
      return transition(trx, row, update.status, { upstream_data, paid: recorded });
    });
  }

  /** The stored `paid`: the upstream's exception when it names one, else derived from the amounts (same currency only). */
  function paidRecord(row: InvoiceRow, p: PaidDetails): NonNullable<InvoiceRow['paid']> {
    let exception: PaymentException | null = p.exception ?? null;
    if (!exception && p.currency.toUpperCase() === row.currency.toUpperCase()) {
      const cmp = compareAmounts(p.amount, row.amount);
      exception = cmp < 0 ? 'underpaid' : cmp > 0 ? 'overpaid' : null;
    }
    return { amount: p.amount, currency: p.currency, paid_at: p.paidAt.toISOString(), fee: p.fee, exception };
  }

  /**
   * For a webhook that only says "something changed" (BTCPay): asks the upstream for the invoice
   * and applies its answer; where this account cannot be asked, applies the event itself.
   */
  async function refresh(invoiceId: string, event: UpstreamUpdate): Promise<InvoiceRow> {
    const row = await invoicesRepo.findById(db, invoiceId);
    if (!row?.upstream_id) throw new Error(`invoice ${invoiceId} has no upstream invoice`);
    const { account, connector } = await loadAccountAndConnector(row);
    const ctx = accountContext(account);
    if (!accountCanSync(connector, ctx)) return applyUpstreamUpdate(row.id, event);
    const upstreamId = row.upstream_id;
    const upstream = await callUpstream(row.connector, 'get_invoice', () => connector.getInvoice(ctx, upstreamId, row.id));
    return applyUpstreamUpdate(row.id, upstream);
  }

  /**
   * POST /v1/invoices: check the input, pick the accounts that may take it, try them in order
   * (routing/try-candidates), then store the invoice with its invoice.created event.
   */
  async function create(scope: TenantScope, body: InvoiceCreateBody) {
    const { currency, errors } = checkInvoiceSemantics(body);
    if (errors.length || !currency) throw new ValidationError(errors);
    if (body.external_id) {
      const existing = await invoicesRepo.findByExternalId(db, scope, body.external_id);
      if (existing) throw duplicateExternalId(existing.id, body.external_id);
    }
    const expiresIn = body.expires_in ?? DEFAULT_EXPIRES_IN;
    const { candidates, rejected } = await candidatesFor(scope, body, currency, expiresIn);

    const invoiceId = newId('inv');
    const expiresAt = new Date(Date.now() + expiresIn * 1000);
    const tries = await tryCandidates(
      candidates,
      (account) => {
        const connector = connectors.get(account.connector)!;
        return callUpstream(account.connector, 'create_invoice', () =>
          connector.createInvoice(accountContext(account), {
            invoiceId,
            amount: body.amount,
            currency: currency.code,
            acceptedAssets: assetsFor(connector, body.accepted_assets ?? []),
            description: body.description ?? null,
            expiresAt,
            expiresInSeconds: expiresIn,
            customer: body.customer ?? null,
            returnUrl: body.return_url ?? null,
            failReturnUrl: body.fail_return_url ?? null,
          }),
        );
      },
      deps,
    );
    if (!tries.created) throw nothingCreated(tries, rejected);

    const { account, result: upstream } = tries.created;
    return store(scope, body, account, upstream, {
      id: invoiceId,
      tenant_id: scope.tenantId,
      livemode: scope.livemode,
      status: 'pending',
      amount: body.amount,
      currency: currency.code,
      accepted_assets: body.accepted_assets ?? [],
      description: body.description ?? null,
      external_id: body.external_id ?? null,
      metadata: body.metadata ?? {},
      customer: body.customer ?? null,
      gateway_account_id: account.id,
      connector: account.connector,
      upstream_id: upstream.upstreamId,
      gateway_attempts: tries.attempts,
      pay_url: upstream.payUrl,
      payment: upstream.payment ? { ...upstream.payment } : null,
      paid: null,
      return_url: body.return_url ?? null,
      fail_return_url: body.fail_return_url ?? null,
      upstream_data: upstream.raw,
      expires_at: expiresAt,
    });
  }

  /** The accounts that may take this invoice, or the reason none may (a missing field, or no account at all). */
  async function candidatesFor(scope: TenantScope, body: InvoiceCreateBody, currency: Currency, expiresIn: number) {
    const accounts = await gatewayAccountsRepo.listUsable(db, scope.tenantId, scope.livemode);
    const { candidates, rejected } = selectAccounts(accounts, connectors.get, {
      currency,
      amount: body.amount,
      livemode: scope.livemode,
      expiresIn,
      acceptedAssets: body.accepted_assets ?? [],
      gateway: body.gateway,
      gatewayAccountId: body.gateway_account_id,
      provided: (path) => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], body) !== undefined,
    });
    if (candidates.length) return { candidates, rejected };
    // A forced gateway that needs a field the invoice lacks is the caller's input problem: name the field.
    const needs = (body.gateway || body.gateway_account_id) && rejected.find((r) => r.missing_field)?.missing_field;
    if (needs) throw new ValidationError([{ field: `/body/${needs.replaceAll('.', '/')}`, message: `is required by ${body.gateway ?? 'the chosen gateway account'}`, code: 'required' }]);
    throw new InvoiceError(
      'no_gateway_available',
      accounts.length
        ? 'No connected gateway account can take this invoice'
        : scope.livemode
          ? 'No gateway account is connected in live mode yet'
          : 'No gateway account is available in test mode',
      { rejected },
    );
  }

  /** Why no account created the invoice: none could be tried (paused or unsuitable), or every try failed. */
  function nothingCreated(tries: CandidateTries<unknown>, rejected: RejectedAccount[]): InvoiceError {
    if (!tries.attempts.length) {
      return new InvoiceError(
        'no_gateway_available',
        tries.skipped.length
          ? 'Every gateway that could take this invoice is paused after repeated upstream failures; retry shortly'
          : 'No connected gateway account can take this invoice',
        { rejected: [...rejected, ...tries.unsuitable, ...tries.skipped] },
      );
    }
    return new InvoiceError('upstream_error', 'The gateway(s) tried could not create the invoice; nothing was created', { attempts: tries.attempts });
  }

  /** Stores the invoice the upstream created; losing a race on external_id withdraws that upstream invoice. */
  async function store(scope: TenantScope, body: InvoiceCreateBody, account: GatewayAccountRow, upstream: UpstreamInvoice, newRow: NewInvoiceRow) {
    try {
      const row = await insertWithCreatedEvent(db, newRow);
      metrics.invoicesCreated.inc({ connector: row.connector, status: row.status });
      return toInvoiceObject(row);
    } catch (err) {
      if (body.external_id && isDuplicateExternalId(err)) {
        // Lost a race on external_id: withdraw the upstream invoice nobody will be shown.
        await connectors.get(account.connector)?.cancelInvoice?.(accountContext(account), upstream.upstreamId).catch(() => undefined);
        const existing = await invoicesRepo.findByExternalId(db, scope, body.external_id);
        throw duplicateExternalId(existing?.id ?? 'unknown', body.external_id);
      }
      throw err;
    }
  }

  function duplicateExternalId(existingId: string, externalId: string) {
    return new InvoiceError('duplicate_external_id', `An invoice with external_id ${JSON.stringify(externalId)} already exists`, {
      invoice_id: existingId,
    });
  }

  async function cancel(scope: TenantScope, id: string) {
    const row = await find(scope, id);
    if (!canCancel(row.status)) throw new InvoiceError('invoice_not_cancellable', `Invoice ${id} is ${row.status}; only pending invoices can be cancelled`, { invoice_status: row.status });
    const { account, connector } = await loadAccountAndConnector(row);
    if (connector.cancelInvoice && row.upstream_id) {
      const upstreamId = row.upstream_id;
      try {
        await callUpstream(row.connector, 'cancel_invoice', () => connector.cancelInvoice!(accountContext(account), upstreamId));
      } catch (err) {
        throw new InvoiceError('upstream_error', `${row.connector} refused to cancel the invoice: ${(err as Error).message}`);
      }
    }
    const updated = await db.transaction(async (trx) => {
      const locked = (await invoicesRepo.findForUpdate(trx, id))!;
      // It may have been paid while we were asking the upstream.
      if (!canCancel(locked.status)) throw new InvoiceError('invoice_not_cancellable', `Invoice ${id} is ${locked.status}`, { invoice_status: locked.status });
      return transition(trx, locked, 'cancelled');
    });
    return toInvoiceObject(updated);
  }

  async function sync(scope: TenantScope, id: string) {
    const row = await find(scope, id);
    if (!row.upstream_id) return toInvoiceObject(row);
    const { account, connector } = await loadAccountAndConnector(row);
    if (!accountCanSync(connector, accountContext(account))) {
      throw new InvoiceError('sync_not_supported', `${connector.manifest.name} cannot be asked for an invoice's state; its webhooks update the invoice`);
    }
    const upstreamId = row.upstream_id;
    let upstream: UpstreamInvoice;
    try {
      upstream = await callUpstream(row.connector, 'get_invoice', () => connector.getInvoice(accountContext(account), upstreamId, row.id));
    } catch (err) {
      throw new InvoiceError('upstream_error', `${row.connector} did not answer the status query: ${(err as Error).message}`);
    }
    return toInvoiceObject(await applyUpstreamUpdate(row.id, upstream));
  }

  async function simulate(scope: TenantScope, id: string, body: { status: 'processing' | 'paid' | 'expired' | 'failed'; paid_amount?: string }) {
    if (scope.livemode) throw new InvoiceError('forbidden', 'simulate needs a test-mode key (sy_test_…)');
    const row = await find(scope, id);
    if (row.connector !== 'sandbox' || !row.upstream_id) {
      throw new InvoiceError('simulation_not_supported', `Invoice ${id} is on ${row.connector}; only sandbox invoices can be simulated`);
    }
    if (!canTransition(row.status, body.status)) {
      throw new InvoiceError('invalid_transition', `Invoice ${id} is ${row.status} and cannot become ${body.status}`, { invoice_status: row.status });
    }
    if (body.paid_amount !== undefined) {
      if (body.status !== 'paid') throw new ValidationError([{ field: '/body/paid_amount', message: 'only allowed with status paid' }]);
      const check = checkAmount(body.paid_amount, findCurrency(row.currency)!);
      if (!check.ok) throw new ValidationError([{ field: '/body/paid_amount', message: check.reason }]);
    }
    const event = await connectors.sandbox.simulate(row.upstream_id, body.status, body.paid_amount);
    if (!event) throw new InvoiceError('not_found', `No invoice ${id}`);
    return toInvoiceObject(await applyUpstreamUpdate(row.id, event));
  }

  /** Expires overdue pending invoices in small locked batches; safe to run on many workers at once. */
  async function expireOverdue(batchSize = 100): Promise<number> {
    let total = 0;
    for (;;) {
      const expired = await db.transaction(async (trx) => {
        const rows = await invoicesRepo.lockOverdue(trx, batchSize);
        for (const row of rows) if (canExpire(row.status)) await transition(trx, row, 'expired');
        return rows.length;
      });
      total += expired;
      if (expired < batchSize) return total;
    }
  }

  return {
    create,
    get: async (scope: TenantScope, id: string) => toInvoiceObject(await find(scope, id)),
    list: async (scope: TenantScope, page: PageRequest, filter: { status?: InvoiceStatus; externalId?: string }) => {
      const result = await invoicesRepo.list(db, scope, page, filter);
      return { object: 'list' as const, data: result.data.map(toInvoiceObject), has_more: result.has_more };
    },
    cancel,
    sync,
    simulate,
    applyUpstreamUpdate,
    refresh,
    expireOverdue,
  };
}

export type InvoiceService = ReturnType<typeof createInvoiceService>;
