import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Db } from '../db/knex.js';
import { gatewayAccountsRepo } from '../db/gateway-accounts-repo.js';
import { paymentWaitersRepo } from '../db/payment-waiters-repo.js';
import { upstreamInvoicesRepo } from '../db/upstream-invoices-repo.js';
import type { ConnectorRegistry } from '../connectors/registry.js';
import { createAccountContexts } from '../connectors/account-context.js';
import { UpstreamError, type AccountContext, type Connector, type PaymentWaits, type UpstreamInvoice } from '../connectors/types.js';
import type { SecretBox } from '../security/secret-box.js';
import type { InvoiceService } from './invoice-service.js';

/** Upstream invoices read directly when an account's waiter starts for the first time (see startingCursor). */
const CATCH_UP_LIMIT = 1000;

export interface WaiterBackoff {
  /** First wait after a failure that may pass (node down, 5xx, network); doubles per failure up to maxMs. */
  baseMs: number;
  maxMs: number;
  /** After the upstream refused the credentials (a revoked rune): nothing changes until someone fixes them. */
  refusedMs: number;
}

export const DEFAULT_BACKOFF: WaiterBackoff = { baseMs: 1000, maxMs: 60_000, refusedMs: 300_000 };

/** Credentials or permissions refused (401/403 and the like): not worth asking again soon. */
export function isRefusal(err: unknown): boolean {
  return err instanceof UpstreamError && err.kind === 'integration' && !err.retryable;
}

/** How long to wait after the `failures`-th failure in a row, with ±20 % jitter. */
export function waiterBackoffMs(err: unknown, failures: number, backoff: WaiterBackoff = DEFAULT_BACKOFF, random = Math.random): number {
  const base = isRefusal(err) ? backoff.refusedMs : Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export interface PaymentWaiterDeps {
  db: Db;
  connectors: ConnectorRegistry;
  invoices: InvoiceService;
  secretBox: SecretBox;
  publicBaseUrl: string;
  logger: Logger;
  backoff?: WaiterBackoff;
}

/**
 * One account's waiter: long-polls the upstream for the next payment after the stored cursor,
 * applies it to our invoice (if the upstream invoice is one of ours), and only then stores the
 * new cursor. A crash between the two re-reads that payment, which is harmless (the invoice only
 * moves forward). Returns when `signal` aborts or the account is deleted or disabled.
 */
export async function runPaymentWaiter(deps: PaymentWaiterDeps, accountId: string, signal: AbortSignal): Promise<void> {
  const { db, logger } = deps;
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;
  const accountContext = createAccountContexts(deps);
  const log = logger.child({ account: accountId });
  let failures = 0;
  let refusedLogged = false;

  while (!signal.aborted) {
    // Read every round: credentials may have been replaced, the account disabled or deleted.
    const row = await gatewayAccountsRepo.findById(db, accountId).catch(() => undefined);
    const connector = row && deps.connectors.get(row.connector);
    if (row && (!row.enabled || row.deleted_at || !connector?.paymentWaits)) return;
    try {
      if (!row || !connector?.paymentWaits) throw new Error(`gateway account ${accountId} could not be read`);
      const ctx = accountContext(row);
      const waits = connector.paymentWaits;
      const cursor = (await paymentWaitersRepo.cursor(db, accountId)) ?? (await startingCursor(deps, connector, waits, ctx, signal));
      const paid = await waits.next(ctx, cursor, signal);
      if (paid) {
        await applyPayment(deps, accountId, paid.invoice);
        await paymentWaitersRepo.save(db, accountId, paid.cursor);
      }
      if (failures) log.info({ failures }, 'payment waiter reaches the upstream again');
      failures = 0;
      refusedLogged = false;
    } catch (err) {
      if (signal.aborted) return;
      failures++;
      const wait = waiterBackoffMs(err, failures, backoff);
      const refusal = isRefusal(err);
      // A refusal is logged once until it clears; other failures on the first and every tenth.
      if (refusal ? !refusedLogged : failures === 1 || failures % 10 === 0) {
        log.warn({ err: (err as Error).message, failures, retry_in_ms: wait }, refusal ? 'the upstream refuses the payment waiter’s credentials; waiting for them to change' : 'payment waiter failed; retrying');
      }
      if (refusal) refusedLogged = true;
      await sleep(wait, undefined, { signal }).catch(() => undefined);
    }
  }
}

/**
 * The first start for an account: the upstream's newest payment position now, and every open
 * upstream invoice of ours read directly. A payment after that position is seen by waiting from
 * it; one before it already happened, so the direct read sees it. None of ours is missed, and a
 * node's older payments are not walked one by one.
 */
async function startingCursor(deps: PaymentWaiterDeps, connector: Connector, waits: PaymentWaits, ctx: AccountContext, signal: AbortSignal): Promise<string> {
  const cursor = await waits.latest(ctx, signal);
  for (const upstream of await upstreamInvoicesRepo.listOpenForAccount(deps.db, ctx.accountId, CATCH_UP_LIMIT)) {
    let answer: UpstreamInvoice;
    try {
      answer = await connector.getInvoice(ctx, upstream.upstream_id, upstream.invoice_id);
    } catch (err) {
      // Gone at the upstream (deleted): nothing to read; anything else: start again later.
      if (err instanceof UpstreamError && err.kind === 'decline') continue;
      throw err;
    }
    await deps.invoices.applyUpstreamUpdate(upstream.invoice_id, answer, upstream);
  }
  await paymentWaitersRepo.save(deps.db, ctx.accountId, cursor);
  deps.logger.info({ account: ctx.accountId, cursor }, 'payment waiter starts from the upstream’s newest payment');
  return cursor;
}

/** A paid upstream invoice: ours (any upstream invoice we ever opened at this account) is applied; others are not our business. */
async function applyPayment(deps: PaymentWaiterDeps, accountId: string, invoice: UpstreamInvoice): Promise<void> {
  const upstream = await upstreamInvoicesRepo.findByUpstream(deps.db, accountId, invoice.upstreamId);
  if (!upstream) {
    deps.logger.debug({ account: accountId, upstream_id: invoice.upstreamId }, 'payment waiter: a payment for an invoice we did not open');
    return;
  }
  const row = await deps.invoices.applyUpstreamUpdate(upstream.invoice_id, invoice, upstream);
  deps.logger.info({ account: accountId, invoice: row.id, upstream_id: invoice.upstreamId, status: row.status }, 'payment waiter applied a payment');
}
