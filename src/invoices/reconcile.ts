import type { Logger } from 'pino';
import type { Db } from '../db/knex.js';
import { invoicesRepo } from '../db/invoices-repo.js';
import { upstreamInvoicesRepo, type UpstreamInvoiceRow } from '../db/upstream-invoices-repo.js';
import { gatewayAccountsRepo } from '../db/gateway-accounts-repo.js';
import type { ConnectorRegistry } from '../connectors/registry.js';
import { accountCanSync, type UpstreamInvoice } from '../connectors/types.js';
import { createAccountContexts } from '../connectors/account-context.js';
import type { SecretBox } from '../security/secret-box.js';
import type { InvoiceService } from './invoice-service.js';

const BATCH = 100;

/**
 * Seconds until an invoice is asked about again: the base interval for its first checks, then
 * doubling up to 16× so long-lived pending invoices cost little.
 */
export function reconcileBackoffSeconds(intervalSeconds: number, attempts: number): number {
  return intervalSeconds * Math.min(16, 2 ** Math.max(0, Math.floor(attempts / 5)));
}

/**
 * Asks upstreams about invoices still open, so one whose webhook never came is still settled.
 * Every upstream invoice of an open invoice that can still take money is asked about, the ones a
 * buyer abandoned on the checkout page included. Bounded per run (maxInvoices); batched where the
 * upstream can (Crypto Pay getInvoices).
 */
export function createReconciler(deps: {
  db: Db;
  connectors: ConnectorRegistry;
  invoices: InvoiceService;
  secretBox: SecretBox;
  publicBaseUrl: string;
  logger: Logger;
  intervalSeconds: number;
}) {
  const accountContext = createAccountContexts(deps);
  // Connectors that can never be asked; those whose accounts may opt in (canSync) are checked per account.
  const noStatusQuery = deps.connectors
    .all()
    .filter((c) => !c.manifest.capabilities.sync && !c.canSync)
    .map((c) => c.manifest.id);
  return async function reconcile(maxInvoices = 500): Promise<{ checked: number; changed: number }> {
    // Upstreams without a status query (and the sandbox) are settled by their webhooks only.
    const excluded = ['sandbox', ...noStatusQuery];
    const due = await invoicesRepo.listDueForReconcile(deps.db, excluded, maxInvoices);
    const watched = (await upstreamInvoicesRepo.listWatched(deps.db, due.map((r) => r.id))).filter((u) => !excluded.includes(u.connector));
    const byAccount = new Map<string, UpstreamInvoiceRow[]>();
    for (const u of watched) byAccount.set(u.gateway_account_id, [...(byAccount.get(u.gateway_account_id) ?? []), u]);
    const byId = new Map(due.map((r) => [r.id, r]));
    const changedIds = new Set<string>();
    for (const [accountId, rows] of byAccount) {
      const account = await gatewayAccountsRepo.findById(deps.db, accountId);
      const connector = account && deps.connectors.get(account.connector);
      if (!account || !connector) continue;
      const ctx = accountContext(account);
      const queryable = accountCanSync(connector, ctx);
      for (let i = 0; i < rows.length; i += BATCH) {
        const chunk = rows.slice(i, i + BATCH);
        let answers: UpstreamInvoice[] = [];
        try {
          // An account without a status query only gets its back-off moved on.
          answers = !queryable
            ? []
            : connector.getInvoices
            ? await connector.getInvoices(ctx, chunk.map((u) => u.upstream_id))
            : await Promise.all(chunk.map((u) => connector.getInvoice(ctx, u.upstream_id, u.invoice_id)));
        } catch (err) {
          deps.logger.warn({ err: (err as Error).message, account: accountId }, 'reconciliation query failed; will retry later');
        }
        const byUpstream = new Map(answers.map((a) => [a.upstreamId, a]));
        for (const u of chunk) {
          const answer = byUpstream.get(u.upstream_id);
          if (!answer) continue;
          const before = byId.get(u.invoice_id)!;
          const updated = await deps.invoices.applyUpstreamUpdate(u.invoice_id, answer, u, { scheduledAt: before.next_reconcile_at });
          if (updated.status !== before.status) changedIds.add(u.invoice_id);
        }
      }
    }
    for (const row of due) {
      const attempts = row.reconcile_attempts + 1;
      await invoicesRepo.scheduleReconcile(deps.db, row.id, attempts, new Date(Date.now() + reconcileBackoffSeconds(deps.intervalSeconds, attempts) * 1000), row.next_reconcile_at);
    }
    return { checked: due.length, changed: changedIds.size };
  };
}
