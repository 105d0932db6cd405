/**
 * Every invoice write goes with the event it causes, in the same transaction (the outbox): the
 * relay sends exactly what was committed, never a change without its event or the reverse.
 */

import type { Db, DbOrTx } from '../db/knex.js';
import { invoicesRepo, type InvoiceRow } from '../db/invoices-repo.js';
import { eventsRepo } from '../db/events-repo.js';
import { AuthError } from '../domain/errors.js';
import { insertCreatedInvoice, type IdempotencyCompletion, type OwnUpstreamRow } from '../db/invoice-creation-repo.js';
import { IdempotencyClaimLost } from '../db/idempotency-repo.js';
import { writeStoredNothing } from '../db/statement-outcome.js';
import type { InvoiceEventType } from '../domain/invoice-status.js';
import { toInvoiceObject } from './invoice-view.js';
import type { OutboxWake } from '../webhooks/outbound/outbox-wake.js';

/** A new invoice's row, as the service builds it (timestamps and reconcile bookkeeping come from the database). */
export type NewInvoiceRow = Omit<InvoiceRow, 'created_at' | 'updated_at' | 'reconcile_attempts' | 'next_reconcile_at'>;

/**
 * Writes invoices with their events; the public base URL is what events' checkout links are built
 * from. Every write that adds an event wakes the outbox relays once it has committed.
 */
export function createInvoiceWrites(publicBaseUrl: string, outboxWake: OutboxWake) {
  return {
    /**
     * Stores a new invoice with everything that goes with it (its upstream invoice, the sandbox's
     * own row, its invoice.created event, the Idempotency-Key's answer) in one statement.
     * Timestamps are set here, so the event and the kept answer are the stored invoice exactly.
     */
    async insertWithCreatedEvent(
      db: Db,
      row: NewInvoiceRow,
      extra: {
        ownRow?: OwnUpstreamRow | undefined;
        idempotency?: { scope: IdempotencyCompletion['scope']; token: string; seal(body: unknown): unknown } | undefined;
        /** The API key asking: the statement writes nothing if it was revoked meanwhile (AuthError). */
        apiKeyId?: string | undefined;
      } = {},
    ): Promise<InvoiceRow> {
      const now = new Date();
      const invoice: InvoiceRow = { ...row, created_at: now, updated_at: now, reconcile_attempts: 0, next_reconcile_at: null };
      const event = toInvoiceObject(invoice, publicBaseUrl);
      const written = await insertCreatedInvoice(db, {
        invoice,
        event,
        ownRow: extra.ownRow,
        idempotency: extra.idempotency && { scope: extra.idempotency.scope, token: extra.idempotency.token, status: 201, sealedBody: extra.idempotency.seal(event) },
        apiKeyId: extra.apiKeyId,
      });
      if (written === 'claim_lost') throw new IdempotencyClaimLost();
      if (written === 'key_revoked') throw new AuthError('unauthorized', 'This API key has been revoked (or its tenant suspended); nothing was created');
      outboxWake.afterCommit(db);
      return invoice;
    },

    /** Writes a change to an invoice and the event it causes; call it inside the caller's transaction. */
    async updateWithEvent(trx: DbOrTx, row: InvoiceRow, patch: Partial<InvoiceRow>, type: InvoiceEventType): Promise<InvoiceRow> {
      const updated = await invoicesRepo.update(trx, row.id, patch);
      await eventsRepo.insert(trx, { tenant_id: row.tenant_id, livemode: row.livemode, type, invoice_id: row.id, data: toInvoiceObject(updated, publicBaseUrl) });
      outboxWake.afterCommit(trx);
      return updated;
    },
  };
}

export type InvoiceWrites = ReturnType<typeof createInvoiceWrites>;

/** Whether a failed insertWithCreatedEvent certainly stored nothing (it found the key revoked, or see writeStoredNothing). */
export function creationStoredNothing(err: unknown): boolean {
  return err instanceof AuthError || writeStoredNothing(err);
}
