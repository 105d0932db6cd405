import type { Logger } from 'pino';
import type { Db, DbOrTx } from '../db/knex.js';
import { invoicesRepo, isDuplicateExternalId, type InvoiceRow, type TenantScope } from '../db/invoices-repo.js';
import { gatewayAccountsRepo, type GatewayAccountRow } from '../db/gateway-accounts-repo.js';
import type { PageRequest } from '../db/pagination.js';
import type { ConnectorRegistry } from '../connectors/registry.js';
import { createAccountContexts } from '../connectors/account-context.js';
import { accountCanSync, UpstreamError, type Connector, type PaidDetails, type RefundResult, type UpstreamInvoice, type UpstreamRefund } from '../connectors/types.js';
import { canCancel, canExpire, canRefund, canTransition, eventTypeForStatus, hasBeenPaid, isClosedUnpaid, type InvoiceStatus, type PaymentException } from '../domain/invoice-status.js';
import type { RefundRecord } from '../db/invoices-repo.js';
import { newId } from '../domain/ids.js';
import { findCurrency, type Currency } from '../domain/currencies.js';
import { checkAmount, compareAmounts } from '../domain/money.js';
import { CheckoutError, InvoiceError, ValidationError } from '../domain/errors.js';
import type { SecretBox } from '../security/secret-box.js';
import { assetsFor, selectAccounts, whyNoAccountConsidered, type RejectedAccount } from '../routing/select-accounts.js';
import { tryCandidates, type CandidateTries } from '../routing/try-candidates.js';
import type { CircuitBreaker } from '../routing/circuit-breaker.js';
import type { Metrics } from '../metrics.js';
import { checkInvoiceSemantics, DEFAULT_EXPIRES_IN, type InvoiceCreateBody } from './invoice-input.js';
import { toInvoiceObject } from './invoice-view.js';
import type { OutboxWake } from '../webhooks/outbound/outbox-wake.js';
import { createInvoiceWrites, creationStoredNothing, type NewInvoiceRow } from './invoice-writes.js';
import { ownRowsRepo } from '../db/invoice-creation-repo.js';
import { idempotencyRepo, type IdempotencyFinish } from '../db/idempotency-repo.js';
import { accountCacheTags, type SharedCache } from '../security/shared-cache.js';
import { upstreamInvoicesRepo, type UpstreamInvoiceRow } from '../db/upstream-invoices-repo.js';
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';

/** Equal as JSON documents (what a jsonb column keeps): key order and undefined members do not count. */
const sameJson = (a: unknown, b: unknown) => isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));

export interface InvoiceServiceDeps {
  /** Each tenant's usable accounts, cached per process and dropped everywhere when they change. */
  accountsCache?: SharedCache<{ rows: GatewayAccountRow[] }>;
  db: Db;
  connectors: ConnectorRegistry;
  secretBox: SecretBox;
  metrics: Metrics;
  logger: Logger;
  publicBaseUrl: string;
  breaker: CircuitBreaker;
  /** Wakes the outbox relays after a write that added an event commits. */
  outboxWake: OutboxWake;
}

/** What an upstream told us about an invoice, from a verified webhook, a sync or a simulation. */
export interface UpstreamUpdate {
  status: InvoiceStatus | 'unknown';
  paid: PaidDetails | null;
  /** With status `refunded`: what the upstream gave back. */
  refund?: UpstreamRefund | null;
  raw: Record<string, unknown>;
}

/** A checkout token: 192 random bits, URL-safe. */
export function newCheckoutToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Whether an object carries a value at a body path such as `customer.telegram_user_id`. */
function carries(source: unknown): (path: string) => boolean {
  return (path) => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], source) !== undefined;
}

/** Money seen upstream: the payment has started, so the buyer may no longer switch away from it. */
function reportsMoney(update: UpstreamUpdate): boolean {
  return update.paid !== null || update.status === 'processing' || update.status === 'paid';
}

export function createInvoiceService(deps: InvoiceServiceDeps) {
  const { db, connectors, metrics, logger, publicBaseUrl } = deps;

  const accountContext = createAccountContexts(deps);
  const { insertWithCreatedEvent, updateWithEvent } = createInvoiceWrites(publicBaseUrl, deps.outboxWake);
  const view = (row: InvoiceRow) => toInvoiceObject(row, publicBaseUrl);

  /** The tenant's enabled accounts of a mode (read on every create: cached, see InvoiceServiceDeps). */
  async function usableAccounts(tenantId: string, livemode: boolean): Promise<GatewayAccountRow[]> {
    const load = async () => ({ value: { rows: await gatewayAccountsRepo.listUsable(db, tenantId, livemode) }, tags: [accountCacheTags.tenant(tenantId)] });
    if (!deps.accountsCache) return (await load()).value.rows;
    return (await deps.accountsCache.get(`${tenantId}:${livemode}`, load))!.rows;
  }

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

  async function loadAccountAndConnector(ref: { gateway_account_id: string | null; connector: string | null }): Promise<{ account: GatewayAccountRow; connector: Connector }> {
    const account = ref.gateway_account_id ? await gatewayAccountsRepo.findById(db, ref.gateway_account_id) : undefined;
    const connector = ref.connector ? connectors.get(ref.connector) : undefined;
    if (!account || !connector) throw new Error(`upstream reference ${ref.gateway_account_id}/${ref.connector} points at a missing account or connector`);
    return { account, connector };
  }

  /**
   * The one place an invoice changes status: under a row lock, only forward, and with its
   * event written in the same transaction (the outbox).
   */
  async function transition(trx: DbOrTx, row: InvoiceRow, to: InvoiceStatus, patch: Partial<InvoiceRow> = {}): Promise<InvoiceRow> {
    const updated = await updateWithEvent(trx, row, { ...patch, status: to }, eventTypeForStatus(to));
    metrics.invoiceTransitions.inc({ connector: updated.connector ?? 'none', status: to });
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
   *
   * `source` names the upstream invoice the news is about (absent: the current one). News from an
   * upstream invoice the buyer abandoned counts only when it reports money: the invoice then moves
   * back to that upstream invoice and settles from it; a second payment on an invoice already paid
   * elsewhere is an `invoice.late_payment` (recorded on that upstream invoice, `paid` unchanged).
   * `scheduledAt` (reconciliation only): apply nothing if the invoice was rescheduled since the
   * pass read it (another pass got there, or reconciliation is held off it).
   */
  async function applyUpstreamUpdate(
    invoiceId: string,
    update: UpstreamUpdate,
    source?: Pick<UpstreamInvoiceRow, 'gateway_account_id' | 'upstream_id'>,
    opts: { scheduledAt?: Date | null } = {},
  ): Promise<InvoiceRow> {
    const applied = await applyUnderLock(invoiceId, update, source, opts);
    // Paid: withdraw the buyer's other picks where the upstream can, so nobody pays twice.
    if (applied.justPaid) {
      await withdrawAbandoned((await upstreamInvoicesRepo.listWatched(db, [invoiceId])).filter((u) => u.state === 'abandoned' && u.status === 'pending'));
    }
    return applied.row;
  }

  /**
   * Stores the upstream's latest raw data when it says something new. The same answer again (a
   * reconciliation pass, a redelivered webhook) leaves the row, and its updated_at, alone.
   */
  async function keepUpstreamData(trx: DbOrTx, row: InvoiceRow, upstream_data: Record<string, unknown>): Promise<InvoiceRow> {
    if (sameJson(row.upstream_data ?? {}, upstream_data)) return row;
    return invoicesRepo.update(trx, row.id, { upstream_data });
  }

  async function applyUnderLock(
    invoiceId: string,
    update: UpstreamUpdate,
    source: Pick<UpstreamInvoiceRow, 'gateway_account_id' | 'upstream_id'> | undefined,
    opts: { scheduledAt?: Date | null },
  ): Promise<{ row: InvoiceRow; justPaid: boolean }> {
    let before: InvoiceStatus | undefined;
    const result = await db.transaction(async (trx) => {
      let row = await invoicesRepo.findForUpdate(trx, invoiceId);
      if (!row) throw new Error(`invoice ${invoiceId} vanished`);
      before = row.status;
      // A reconciliation answer counts only while the invoice is still scheduled as that pass read it.
      if (opts.scheduledAt !== undefined && row.next_reconcile_at?.getTime() !== opts.scheduledAt?.getTime()) return row;
      // Read under the invoice's lock: choices and adoptions change upstream states only while holding it.
      const upstream = source
        ? await upstreamInvoicesRepo.findByUpstream(trx, source.gateway_account_id, source.upstream_id)
        : row.gateway_account_id && row.upstream_id
          ? await upstreamInvoicesRepo.findByUpstream(trx, row.gateway_account_id, row.upstream_id)
          : undefined;
      // Paid without saying how much (LNbits shows a fiat invoice's payment in msat only): paid in full, in the invoice's currency.
      const reported = update.paid ?? (update.status === 'paid' ? { amount: row.amount, currency: row.currency, paidAt: new Date(), fee: null } : null);
      const paid = reported ? paidRecord(row, reported) : null;
      if (upstream) {
        const forward = update.status !== 'unknown' && update.status !== upstream.status && canTransition(upstream.status, update.status);
        if (forward || (paid && paid.amount !== upstream.paid?.amount)) {
          await upstreamInvoicesRepo.update(trx, upstream.id, { ...(forward ? { status: update.status as InvoiceStatus } : {}), ...(paid ? { paid } : {}) });
        }
      }
      if (upstream && upstream.state !== 'current') {
        if (!reportsMoney(update)) return row;
        if (hasBeenPaid(row.status)) {
          if (!paid || upstream.paid?.amount === paid.amount) return row;
          logger.warn({ invoice: row.id, upstream: upstream.upstream_id, paid: paid.amount }, 'second payment on an abandoned upstream invoice of a paid invoice');
          metrics.latePayments.inc({ connector: upstream.connector });
          return updateWithEvent(trx, row, {}, 'invoice.late_payment');
        }
        // The buyer paid where they first chose: that upstream invoice is the invoice's again.
        row = await adopt(trx, row, upstream, update);
      }
      const upstream_data = { ...(row.upstream_data ?? {}), ...update.raw };
      if (update.status === 'unknown') return keepUpstreamData(trx, row, upstream_data);

      // Money reported for a closed invoice: a late payment, or a partial one whose news lost the race with our expiry.
      if (paid && isClosedUnpaid(row.status)) {
        // The upstream's own word (BTCPay PaidPartial, PaidLate) if it has one, else `late`: the amount shows any difference.
        const late = { ...paid, exception: reported!.exception ?? 'late' };
        if (row.paid && row.paid.amount === late.amount && row.paid.exception === late.exception) return keepUpstreamData(trx, row, upstream_data);
        logger.warn({ invoice: row.id, status: row.status, paid: late.amount, currency: late.currency }, 'payment arrived for an invoice that no longer takes payments');
        metrics.latePayments.inc({ connector: row.connector ?? 'none' });
        return updateWithEvent(trx, row, { upstream_data, paid: late }, 'invoice.late_payment');
      }
      if (update.status === row.status || !canTransition(row.status, update.status)) {
        return keepUpstreamData(trx, row, upstream_data);
      }
      if (update.status === 'refunded') {
        // Refunded at the upstream (not through us): recorded like a refund we asked for.
        const refund = update.refund ?? { amount: row.paid?.amount ?? row.amount, currency: row.paid?.currency ?? row.currency, reference: null };
        const record: RefundRecord = { ...refund, status: 'succeeded', claim_url: null, reason: null, source: 'upstream', created_at: new Date().toISOString() };
        return transition(trx, row, 'refunded', { upstream_data, refunds: [...row.refunds, record] });
      }
      // `paid` is set when an invoice is paid, or expires after a partial payment; never while it is open.
      const recorded = paid && (update.status === 'paid' || update.status === 'expired') ? paid : row.paid;
      if (recorded?.exception) logger.warn({ invoice: row.id, expected: row.amount, paid: recorded.amount, exception: recorded.exception }, 'paid amount differs from the invoice amount');
      return transition(trx, row, update.status, { upstream_data, paid: recorded });
    });
    return { row: result, justPaid: result.status === 'paid' && before !== 'paid' };
  }

  /**
   * Points the invoice at `target` (an upstream invoice already stored, or a new one to store) and
   * abandons the one it pointed at; inside the invoice's lock. Resolves with the updated invoice
   * and what was abandoned (for the caller to withdraw after the commit).
   */
  async function makeCurrent(
    trx: DbOrTx,
    invoiceId: string,
    target: UpstreamInvoiceRow | Pick<UpstreamInvoiceRow, 'invoice_id' | 'gateway_account_id' | 'connector' | 'upstream_id' | 'pay_url' | 'payment'>,
    patch: Partial<InvoiceRow>,
  ): Promise<{ row: InvoiceRow; abandoned: UpstreamInvoiceRow[] }> {
    const abandoned = await upstreamInvoicesRepo.abandonCurrent(trx, invoiceId);
    if ('id' in target) await upstreamInvoicesRepo.update(trx, target.id, { state: 'current' });
    else await upstreamInvoicesRepo.insert(trx, { ...target, state: 'current' });
    const row = await invoicesRepo.update(trx, invoiceId, {
      gateway_account_id: target.gateway_account_id,
      connector: target.connector,
      upstream_id: target.upstream_id,
      pay_url: target.pay_url,
      payment: target.payment,
      ...patch,
    });
    return { row, abandoned };
  }

  /** Makes an abandoned upstream invoice the invoice's current one again (money arrived there); inside the invoice's lock. */
  async function adopt(trx: DbOrTx, row: InvoiceRow, upstream: UpstreamInvoiceRow, update: UpstreamUpdate): Promise<InvoiceRow> {
    logger.info({ invoice: row.id, upstream: upstream.upstream_id, connector: upstream.connector }, 'payment on an abandoned upstream invoice: it becomes current again');
    return (await makeCurrent(trx, row.id, upstream, { upstream_data: update.raw })).row;
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
   * and applies its answer; where this account cannot be asked, applies the event itself. With no
   * event (an unsigned hint, whose body proves nothing) such an account changes nothing.
   */
  async function refresh(invoiceId: string, event: UpstreamUpdate | null, source: UpstreamInvoiceRow): Promise<InvoiceRow | undefined> {
    const { account, connector } = await loadAccountAndConnector(source);
    const ctx = accountContext(account);
    if (!accountCanSync(connector, ctx)) return event ? applyUpstreamUpdate(invoiceId, event, source) : undefined;
    const upstream = await callUpstream(source.connector, 'get_invoice', () => connector.getInvoice(ctx, source.upstream_id, invoiceId));
    return applyUpstreamUpdate(invoiceId, upstream, source);
  }

  /** Opens the invoice at the first of `candidates` that takes it (routing/try-candidates): routing's pick at creation, or the buyer's. */
  function openUpstream(candidates: GatewayAccountRow[], invoice: { id: string; amount: string; currency: string; accepted_assets: string[]; description: string | null; customer: InvoiceRow['customer']; return_url: string | null; fail_return_url: string | null; expiresAt: Date }, selectedBy: 'routing' | 'buyer') {
    const expiresInSeconds = Math.max(0, Math.floor((invoice.expiresAt.getTime() - Date.now()) / 1000));
    return tryCandidates(
      candidates,
      (account) => {
        const connector = connectors.get(account.connector)!;
        return callUpstream(account.connector, 'create_invoice', () =>
          connector.createInvoice(accountContext(account), {
            invoiceId: invoice.id,
            amount: invoice.amount,
            currency: invoice.currency,
            acceptedAssets: assetsFor(connector, invoice.accepted_assets),
            description: invoice.description,
            expiresAt: invoice.expiresAt,
            expiresInSeconds,
            customer: invoice.customer,
            returnUrl: invoice.return_url,
            failReturnUrl: invoice.fail_return_url,
          }),
        );
      },
      deps,
      selectedBy,
    );
  }

  /**
   * POST /v1/invoices: check the input, pick the accounts that may take it, try them in order
   * (routing/try-candidates), then store the invoice with its invoice.created event. With
   * `gateway_selection: buyer` nothing is opened upstream yet: the buyer picks on the checkout page.
   */
  async function create(scope: TenantScope, body: InvoiceCreateBody, idempotency?: IdempotencyFinish) {
    const { currency, errors } = checkInvoiceSemantics(body);
    if (errors.length || !currency) throw new ValidationError(errors);
    const selection = body.gateway_selection ?? 'auto';
    if (selection === 'buyer' && (body.gateway || body.gateway_account_id)) {
      const field = body.gateway ? 'gateway' : 'gateway_account_id';
      throw new ValidationError([{ field: `/body/${field}`, message: 'cannot be combined with gateway_selection "buyer": the buyer picks among your eligible accounts', code: 'not_allowed' }]);
    }
    if (body.external_id) {
      const existing = await invoicesRepo.findByExternalId(db, scope, body.external_id);
      if (existing) throw duplicateExternalId(existing.id, body.external_id);
    }
    const expiresIn = body.expires_in ?? DEFAULT_EXPIRES_IN;
    const { candidates, rejected } = await candidatesFor(scope, body, currency, expiresIn);

    const base = {
      id: newId('inv'),
      tenant_id: scope.tenantId,
      livemode: scope.livemode,
      status: 'pending' as const,
      amount: body.amount,
      currency: currency.code,
      accepted_assets: body.accepted_assets ?? [],
      description: body.description ?? null,
      external_id: body.external_id ?? null,
      metadata: body.metadata ?? {},
      customer: body.customer ?? null,
      gateway_selection: selection,
      checkout_token: newCheckoutToken(),
      paid: null,
      refunds: [],
      return_url: body.return_url ?? null,
      fail_return_url: body.fail_return_url ?? null,
      expires_at: new Date(Date.now() + expiresIn * 1000),
    };
    if (selection === 'buyer') {
      return store(scope, body, idempotency, null, {
        ...base,
        gateway_account_id: null,
        connector: null,
        upstream_id: null,
        gateway_attempts: [],
        pay_url: null,
        payment: null,
        upstream_data: null,
      });
    }
    const tries = await openUpstream(candidates, { ...base, expiresAt: base.expires_at }, 'routing');
    if (!tries.created) throw nothingCreated(tries, rejected);

    const { account, result: upstream } = tries.created;
    return store(scope, body, idempotency, { account, upstream }, {
      ...base,
      gateway_account_id: account.id,
      connector: account.connector,
      upstream_id: upstream.upstreamId,
      gateway_attempts: tries.attempts,
      pay_url: upstream.payUrl,
      payment: upstream.payment ? { ...upstream.payment } : null,
      upstream_data: upstream.raw,
    });
  }

  /** The accounts that may take this invoice, or the reason none may (a missing field, or no account at all). */
  async function candidatesFor(scope: TenantScope, body: InvoiceCreateBody, currency: Currency, expiresIn: number) {
    const accounts = await usableAccounts(scope.tenantId, scope.livemode);
    const request = {
      currency,
      amount: body.amount,
      livemode: scope.livemode,
      expiresIn,
      acceptedAssets: body.accepted_assets ?? [],
      gateway: body.gateway,
      gatewayAccountId: body.gateway_account_id,
      provided: carries(body),
    };
    const { candidates, rejected } = selectAccounts(accounts, connectors.get, request);
    if (candidates.length) return { candidates, rejected };
    // A forced gateway that needs a field the invoice lacks is the caller's input problem: name the field.
    const needs = (body.gateway || body.gateway_account_id) && rejected.find((r) => r.missing_field)?.missing_field;
    if (needs) throw new ValidationError([{ field: `/body/${needs.replaceAll('.', '/')}`, message: `is required by ${body.gateway ?? 'the chosen gateway account'}`, code: 'required' }]);
    // With nothing in `rejected` (no account was even considered), the detail says why.
    const why = rejected.length ? 'none of your accounts fits it (see rejected)' : whyNoAccountConsidered(accounts, connectors.get, request);
    throw new InvoiceError('no_gateway_available', `No gateway account can take this invoice: ${why}`, { rejected });
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

  /** Stores the invoice (and the upstream invoice routing opened, if any); losing a race on external_id withdraws that upstream invoice. */
  async function store(
    scope: TenantScope,
    body: InvoiceCreateBody,
    idempotency: IdempotencyFinish | undefined,
    opened: { account: GatewayAccountRow; upstream: UpstreamInvoice } | null,
    newRow: NewInvoiceRow,
  ) {
    try {
      const row = await insertWithCreatedEvent(db, newRow, { ownRow: opened?.upstream.ownRow, idempotency, apiKeyId: scope.keyId });
      idempotency?.done();
      metrics.invoicesCreated.inc({ connector: row.connector ?? 'buyer_choice', status: row.status });
      return view(row);
    } catch (err) {
      // Certainly nothing was stored (a lost race on external_id, a key revoked meanwhile…): withdraw the upstream invoice nobody will
      // be shown. Not when the answer was merely lost (a cut connection): the invoice may be stored, and a retry will be shown it.
      if (opened && creationStoredNothing(err)) await connectors.get(opened.account.connector)?.cancelInvoice?.(accountContext(opened.account), opened.upstream.upstreamId).catch(() => undefined);
      if (body.external_id && isDuplicateExternalId(err)) {
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

  /**
   * Cancels a pending invoice: every upstream invoice that can still take money is withdrawn where
   * the upstream can cancel. The current one must be withdrawn (else the cancel fails); abandoned
   * ones are best effort and stay watched when the upstream refuses.
   */
  async function cancel(scope: TenantScope, id: string) {
    const row = await find(scope, id);
    if (!canCancel(row.status)) throw new InvoiceError('invoice_not_cancellable', `Invoice ${id} is ${row.status}; only pending invoices can be cancelled`, { invoice_status: row.status });
    const watched = await upstreamInvoicesRepo.listWatched(db, [row.id]);
    const current = watched.find((u) => u.state === 'current');
    if (current) {
      try {
        await withdraw(current);
      } catch (err) {
        throw new InvoiceError('upstream_error', `${current.connector} refused to cancel the invoice: ${(err as Error).message}`);
      }
    }
    const updated = await db.transaction(async (trx) => {
      const locked = (await invoicesRepo.findForUpdate(trx, id))!;
      // It may have been paid while we were asking the upstream.
      if (!canCancel(locked.status)) throw new InvoiceError('invoice_not_cancellable', `Invoice ${id} is ${locked.status}`, { invoice_status: locked.status });
      return transition(trx, locked, 'cancelled');
    });
    await withdrawAbandoned(watched.filter((u) => u.state === 'abandoned'));
    return view(updated);
  }

  /** Cancels one upstream invoice where its upstream can, and records it as withdrawn. */
  async function withdraw(upstream: UpstreamInvoiceRow): Promise<void> {
    const { account, connector } = await loadAccountAndConnector(upstream);
    if (!connector.cancelInvoice) return;
    await callUpstream(upstream.connector, 'cancel_invoice', () => connector.cancelInvoice!(accountContext(account), upstream.upstream_id));
    await upstreamInvoicesRepo.update(db, upstream.id, { state: 'cancelled' });
  }

  /** Best effort: an abandoned upstream invoice the upstream will not cancel stays watched, so money arriving there is still seen. */
  async function withdrawAbandoned(abandoned: UpstreamInvoiceRow[]): Promise<void> {
    for (const upstream of abandoned) {
      await withdraw(upstream).catch((err: unknown) =>
        logger.warn({ err: (err as Error).message, upstream: upstream.upstream_id, connector: upstream.connector }, 'could not cancel an abandoned upstream invoice; it stays watched'),
      );
    }
  }

  /**
   * Asks the upstream(s) for the invoice's state now: the current upstream invoice, and any
   * abandoned one still watched (a buyer may have paid there).
   */
  async function sync(scope: TenantScope, id: string) {
    const row = await find(scope, id);
    const watched = await upstreamInvoicesRepo.listWatched(db, [row.id]);
    if (!watched.length) return view(row);
    let latest = row;
    let asked = 0;
    for (const upstream of watched.sort((a, b) => (a.state === 'current' ? 1 : 0) - (b.state === 'current' ? 1 : 0))) {
      const { account, connector } = await loadAccountAndConnector(upstream);
      if (!accountCanSync(connector, accountContext(account))) continue;
      let answer: UpstreamInvoice;
      try {
        answer = await callUpstream(upstream.connector, 'get_invoice', () => connector.getInvoice(accountContext(account), upstream.upstream_id, row.id));
      } catch (err) {
        throw new InvoiceError('upstream_error', `${upstream.connector} did not answer the status query: ${(err as Error).message}`);
      }
      asked++;
      latest = await applyUpstreamUpdate(row.id, answer, upstream);
    }
    if (!asked) {
      const name = connectors.get(row.connector ?? watched[0]!.connector)?.manifest.name ?? row.connector;
      throw new InvoiceError('sync_not_supported', `${name} cannot be asked for an invoice's state; its webhooks update the invoice`);
    }
    return view(latest);
  }

  async function simulate(scope: TenantScope, id: string, body: { status: 'processing' | 'paid' | 'expired' | 'failed'; paid_amount?: string }) {
    if (scope.livemode) throw new InvoiceError('forbidden', 'simulate needs a test-mode key (sy_test_…)');
    return view(await simulateOn(await find(scope, id), body));
  }

  /** Moves a sandbox invoice as a payer would (the API's simulate and the checkout page's test buttons). */
  async function simulateOn(row: InvoiceRow, body: { status: 'processing' | 'paid' | 'expired' | 'failed'; paid_amount?: string }): Promise<InvoiceRow> {
    const id = row.id;
    if (row.livemode) throw new InvoiceError('forbidden', 'only test-mode invoices can be simulated');
    if (row.connector !== 'sandbox' || !row.upstream_id || !row.gateway_account_id) {
      throw new InvoiceError('simulation_not_supported', `Invoice ${id} is on ${row.connector ?? 'no gateway yet'}; only sandbox invoices can be simulated`);
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
    return applyUpstreamUpdate(row.id, event, { gateway_account_id: row.gateway_account_id, upstream_id: row.upstream_id });
  }

  /**
   * POST /v1/invoices/{id}/refund: gives the whole paid amount back through the invoice's upstream.
   * The invoice stays locked while the upstream is asked, so two refunds of one invoice can never
   * both reach the upstream; the invoice becomes `refunded` (with its event) only if it agreed.
   */
  async function refund(scope: TenantScope, id: string, body: { reason?: string }, finish?: IdempotencyFinish) {
    const found = await find(scope, id);
    assertRefundable(found);
    const { account, connector } = await loadAccountAndConnector(found);
    if (!connector.refund || !connector.manifest.capabilities.refund) {
      throw new InvoiceError('refund_not_supported', `${connector.manifest.name} cannot refund; give the money back there by hand`, { connector: connector.manifest.id });
    }
    const refundFlow = connector.refund;
    let keyCompleted = false;
    const updated = await db.transaction(async (trx) => {
      const row = (await invoicesRepo.findForUpdate(trx, id))!;
      assertRefundable(row);
      const paid = row.paid ?? { amount: row.amount, currency: row.currency };
      let result: RefundResult;
      try {
        result = await callUpstream(connector.manifest.id, 'refund', () =>
          refundFlow(accountContext(account), {
            upstreamId: row.upstream_id!,
            invoiceId: row.id,
            amount: paid.amount,
            currency: paid.currency,
            upstreamData: row.upstream_data ?? {},
            reason: body.reason ?? null,
          }),
        );
      } catch (err) {
        const e = err as UpstreamError;
        if (e.kind === 'decline') throw new InvoiceError('refund_declined', `${connector.manifest.name} refused the refund: ${e.message}`, { upstream_code: e.upstreamCode ?? null });
        throw new InvoiceError('upstream_error', `${connector.manifest.name} could not be asked for the refund: ${e.message}`, { upstream_code: e.upstreamCode ?? null });
      }
      const record: RefundRecord = {
        amount: paid.amount,
        currency: paid.currency,
        status: result.status,
        reference: result.reference,
        claim_url: result.claimUrl,
        reason: body.reason ?? null,
        source: 'api',
        created_at: new Date().toISOString(),
      };
      const refunded = await transition(trx, row, 'refunded', { refunds: [...row.refunds, record], upstream_data: { ...(row.upstream_data ?? {}), refund: result.raw } });
      // The Idempotency-Key's answer commits with the refund, so a retry after a lost answer is replayed it. The upstream
      // has refunded: should a retry have taken the key over meanwhile, the refund is still recorded (that retry is refused).
      keyCompleted = !!finish && (await idempotencyRepo.complete(trx, finish.scope, finish.token, 200, finish.seal(view(refunded))));
      return refunded;
    });
    if (keyCompleted) finish!.done();
    return view(updated);
  }

  function assertRefundable(row: InvoiceRow): void {
    if (!canRefund(row.status) || !row.upstream_id) {
      throw new InvoiceError('invoice_not_refundable', `Invoice ${row.id} is ${row.status}; only paid invoices can be refunded`, { invoice_status: row.status });
    }
  }

  /**
   * The accounts a buyer may pick for this invoice now (checkout page): what routing would
   * consider (currency, amount, mode, enabled, the time left within the upstream's expiry
   * limits, the fields it needs), minus accounts whose circuit is open.
   */
  async function eligibleAccounts(row: InvoiceRow): Promise<GatewayAccountRow[]> {
    const currency = findCurrency(row.currency);
    if (!currency) return [];
    const accounts = await usableAccounts(row.tenant_id, row.livemode);
    const { candidates } = selectAccounts(accounts, connectors.get, {
      currency,
      amount: row.amount,
      livemode: row.livemode,
      expiresIn: Math.floor((row.expires_at.getTime() - Date.now()) / 1000),
      acceptedAssets: row.accepted_assets,
      provided: carries({ customer: row.customer ?? undefined }),
    });
    const open = await Promise.all(candidates.map((a) => deps.breaker.isOpen(a.id)));
    return candidates.filter((_, i) => !open[i]);
  }

  /**
   * The buyer's pick on the checkout page: opens the invoice at that upstream through the same
   * routing, breaker and failover as an API create (among the tenant's accounts of that
   * connector). The earlier upstream invoice, if any, is abandoned: cancelled where the upstream
   * can, otherwise kept watched. Every try is appended to `gateway.attempts` (`selected_by: buyer`).
   */
  async function chooseGateway(row: InvoiceRow, connectorId: string): Promise<InvoiceRow> {
    assertChoosable(row);
    if (row.connector === connectorId && row.upstream_id) return row;
    const candidates = (await eligibleAccounts(row)).filter((a) => a.connector === connectorId);
    if (!candidates.length) throw new CheckoutError('option_unavailable', `${connectorId} is not offered for this invoice`, { option: connectorId });
    // Back to an earlier pick that is still open there: show it again rather than open a second one.
    const earlier = (await upstreamInvoicesRepo.listWatched(db, [row.id])).find((u) => u.state === 'abandoned' && u.status === 'pending' && candidates.some((a) => a.id === u.gateway_account_id));
    if (earlier) return returnTo(row, earlier);
    const tries = await openUpstream(candidates, { ...row, expiresAt: row.expires_at }, 'buyer');
    const created = tries.created;
    const outcome = await db.transaction(async (trx) => {
      const locked = (await invoicesRepo.findForUpdate(trx, row.id))!;
      const gateway_attempts = [...locked.gateway_attempts, ...tries.attempts];
      if (!created) return { row: await invoicesRepo.update(trx, row.id, { gateway_attempts }), closed: false, abandoned: [] as UpstreamInvoiceRow[] };
      const base = { invoice_id: row.id, gateway_account_id: created.account.id, connector: created.account.connector, upstream_id: created.result.upstreamId, pay_url: created.result.payUrl, payment: created.result.payment ? { ...created.result.payment } : null };
      if (!choosable(locked)) {
        // Paid or closed while the upstream was answering: keep the record, then withdraw it.
        if (created.result.ownRow) await ownRowsRepo.insert(trx, created.result.ownRow);
        const stray = await upstreamInvoicesRepo.insert(trx, { ...base, state: 'abandoned' });
        return { row: await invoicesRepo.update(trx, row.id, { gateway_attempts }), closed: true, abandoned: [stray] };
      }
      if (created.result.ownRow) await ownRowsRepo.insert(trx, created.result.ownRow);
      return { ...(await makeCurrent(trx, row.id, base, { upstream_data: created.result.raw, gateway_attempts })), closed: false };
    });
    await withdrawAbandoned(outcome.abandoned);
    if (outcome.closed) assertChoosable(outcome.row);
    if (!created) {
      throw tries.attempts.length
        ? new CheckoutError('upstream_error', `${connectorId} could not open the payment; try again or pick another way to pay`, { option: connectorId })
        : new CheckoutError('option_unavailable', `${connectorId} is paused after repeated upstream failures; pick another way to pay`, { option: connectorId });
    }
    return outcome.row;
  }

  /** The buyer goes back to an upstream invoice they abandoned earlier: it becomes current again, recorded as a pick. */
  async function returnTo(row: InvoiceRow, earlier: UpstreamInvoiceRow): Promise<InvoiceRow> {
    const attempt = { account_id: earlier.gateway_account_id, connector: earlier.connector, outcome: 'succeeded' as const, code: null, duration_ms: 0, selected_by: 'buyer' as const, attempted_at: new Date().toISOString() };
    const outcome = await db.transaction(async (trx) => {
      const locked = (await invoicesRepo.findForUpdate(trx, row.id))!;
      if (!choosable(locked)) return { row: locked, abandoned: [] };
      return makeCurrent(trx, row.id, earlier, { gateway_attempts: [...locked.gateway_attempts, attempt] });
    });
    assertChoosable(outcome.row);
    await withdrawAbandoned(outcome.abandoned);
    return outcome.row;
  }

  /** A buyer may (re)choose while the invoice is pending with nothing paid, and only when the buyer picks at all. */
  function choosable(row: InvoiceRow): boolean {
    return row.gateway_selection === 'buyer' && row.status === 'pending' && !row.paid;
  }

  function assertChoosable(row: InvoiceRow): void {
    if (choosable(row)) return;
    const why = row.gateway_selection !== 'buyer' ? 'its gateway was chosen when it was created' : `it is ${row.status}`;
    throw new CheckoutError('checkout_closed', `This invoice no longer takes a choice of gateway: ${why}`, { invoice_status: row.status });
  }

  /** Expires overdue pending invoices in small locked batches; safe to run on many workers at once. */
  async function expireOverdue(batchSize = 100): Promise<number> {
    let total = 0;
    for (;;) {
      const expired = await db.transaction(async (trx) => {
        const rows = await invoicesRepo.lockOverdue(trx, batchSize);
        for (const row of rows) if (canExpire(row.status)) await transition(trx, row, 'expired');
        // Upstream invoices stay watched after expiry (late money is still seen) until reconciliation stops asking.
        return rows.length;
      });
      total += expired;
      if (expired < batchSize) return total;
    }
  }

  return {
    create,
    get: async (scope: TenantScope, id: string) => view(await find(scope, id)),
    find,
    view,
    list: async (scope: TenantScope, page: PageRequest, filter: { status?: InvoiceStatus; externalId?: string }) => {
      const result = await invoicesRepo.list(db, scope, page, filter);
      return { object: 'list' as const, data: result.data.map(view), has_more: result.has_more };
    },
    cancel,
    refund,
    sync,
    simulate,
    simulateOn,
    eligibleAccounts,
    chooseGateway,
    choosable,
    applyUpstreamUpdate,
    refresh,
    expireOverdue,
  };
}

export type InvoiceService = ReturnType<typeof createInvoiceService>;
