import { createHash } from 'node:crypto';
import type { DbOrTx } from './knex.js';
import { newId } from '../domain/ids.js';
import { invoiceToDb, type InvoiceRow } from './invoices-repo.js';

import type { OwnUpstreamRow } from '../connectors/types.js';

export type { OwnUpstreamRow };

/** Marks an Idempotency-Key completed with this (sealed) answer, in the same statement. */
export interface IdempotencyCompletion {
  scope: { tenant_id: string; livemode: boolean; key: string };
  /** The request's claim on the key: nothing is written unless it still holds it. */
  token: string;
  status: number;
  sealedBody: unknown;
}

export interface InvoiceCreation {
  invoice: InvoiceRow;
  /** The invoice.created event's payload (the public invoice object). */
  event: Record<string, unknown>;
  ownRow?: OwnUpstreamRow | undefined;
  idempotency?: IdempotencyCompletion | undefined;
  /** The API key making the request: nothing is written unless it is still live and its tenant active. */
  apiKeyId?: string | undefined;
}

/** `INSERT INTO t (a, b) SELECT ?, ? WHERE <condition>` for one row, with its bindings. */
function insertOf(table: string, values: Record<string, unknown>, condition: string): { sql: string; bindings: unknown[] } {
  const columns = Object.keys(values);
  return {
    sql: `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) SELECT ${columns.map(() => '?').join(', ')} WHERE ${condition}`,
    bindings: columns.map((c) => values[c]),
  };
}

/** The key may still write: not revoked, its tenant not suspended (checked in the write itself, whatever a cache said). */
const KEY_IS_LIVE = `EXISTS (SELECT 1 FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE k.id = ? AND k.revoked_at IS NULL AND t.status = 'active')`;
const INVOICE_WRITTEN = 'EXISTS (SELECT 1 FROM inv)';
/** With an Idempotency-Key: this request still holds the key (locked, so a retry taking it over waits for this statement). */
const CLAIM_HELD = 'EXISTS (SELECT 1 FROM claim)';

/**
 * The statement has a handful of shapes (with or without an Idempotency-Key, an upstream row, a
 * connector's own row), each sent as a named prepared statement: after its first use on a
 * connection PostgreSQL neither receives its text again nor parses and plans it anew.
 */
const preparedNames = new Map<string, string>();
function preparedName(sql: string): string {
  let name = preparedNames.get(sql);
  if (name === undefined) {
    name = `invoice_create_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
    preparedNames.set(sql, name);
  }
  return name;
}

/** What became of the statement: written, or nothing because the key was revoked or the Idempotency-Key's claim was lost. */
export type CreationOutcome = 'written' | 'key_revoked' | 'claim_lost';

/**
 * Creating an invoice is one statement: the invoice, its current upstream invoice, the sandbox's
 * own row, the invoice.created event (the outbox) and the Idempotency-Key's completion commit
 * together or not at all, in one round trip. So a crash can never leave an invoice whose key a
 * retry could claim again, nor an upstream row without its invoice. Resolves false (nothing
 * written) when the API key was revoked or its tenant suspended before the statement ran.
 */
export async function insertCreatedInvoice(db: DbOrTx, c: InvoiceCreation): Promise<CreationOutcome> {
  const { invoice } = c;
  const parts: Array<{ sql: string; bindings: unknown[] }> = [];
  if (c.idempotency) {
    const { scope, token } = c.idempotency;
    parts.push({
      sql: `claim AS (SELECT 1 FROM idempotency_keys WHERE tenant_id = ? AND livemode = ? AND key = ? AND claim_token = ? AND state = 'in_progress' FOR UPDATE)`,
      bindings: [scope.tenant_id, scope.livemode, scope.key, token],
    });
  }
  const condition = [c.apiKeyId ? KEY_IS_LIVE : 'TRUE', ...(c.idempotency ? [CLAIM_HELD] : [])].join(' AND ');
  const inv = insertOf('invoices', invoiceToDb(invoice), condition);
  parts.push({ sql: `inv AS (${inv.sql} RETURNING id)`, bindings: [...inv.bindings, ...(c.apiKeyId ? [c.apiKeyId] : [])] });
  if (invoice.upstream_id && invoice.gateway_account_id && invoice.connector) {
    const up = insertOf('upstream_invoices', {
      id: newId('upi'),
      invoice_id: invoice.id,
      gateway_account_id: invoice.gateway_account_id,
      connector: invoice.connector,
      upstream_id: invoice.upstream_id,
      state: 'current',
      status: invoice.status,
      pay_url: invoice.pay_url,
      payment: invoice.payment === null ? null : JSON.stringify(invoice.payment),
      created_at: invoice.created_at,
      updated_at: invoice.updated_at,
    }, INVOICE_WRITTEN);
    parts.push({ sql: `up AS (${up.sql})`, bindings: up.bindings });
  }
  if (c.ownRow) {
    const own = insertOf(c.ownRow.table, c.ownRow.values, INVOICE_WRITTEN);
    parts.push({ sql: `own AS (${own.sql})`, bindings: own.bindings });
  }
  const ev = insertOf('events', {
    id: newId('evt'),
    tenant_id: invoice.tenant_id,
    livemode: invoice.livemode,
    type: 'invoice.created',
    invoice_id: invoice.id,
    data: JSON.stringify(c.event),
    created_at: invoice.created_at,
  }, INVOICE_WRITTEN);
  parts.push({ sql: `ev AS (${ev.sql})`, bindings: ev.bindings });
  if (c.idempotency) {
    const { scope, token, status, sealedBody } = c.idempotency;
    parts.push({
      sql: `idem AS (UPDATE idempotency_keys SET state = 'completed', response_status = ?, response_body = ?, completed_at = now(), locked_until = NULL
        WHERE tenant_id = ? AND livemode = ? AND key = ? AND claim_token = ? AND state = 'in_progress' AND ${INVOICE_WRITTEN})`,
      bindings: [status, JSON.stringify(sealedBody), scope.tenant_id, scope.livemode, scope.key, token],
    });
  }
  const sql = `WITH ${parts.map((p) => p.sql).join(',\n')}\nSELECT ${INVOICE_WRITTEN} AS written, ${c.idempotency ? CLAIM_HELD : 'TRUE'} AS claim_held`;
  const result = await db.raw(sql, parts.flatMap((p) => p.bindings) as never).options({ name: preparedName(sql) });
  const [row] = (result as { rows: Array<{ written: boolean; claim_held: boolean }> }).rows;
  return row!.written ? 'written' : row!.claim_held ? 'key_revoked' : 'claim_lost';
}

/** For an upstream invoice opened on an existing invoice (a buyer's pick): the sandbox's row, inside the caller's transaction. */
export const ownRowsRepo = {
  insert: async (trx: DbOrTx, own: OwnUpstreamRow): Promise<void> => {
    await trx(own.table).insert(own.values);
  },
};
