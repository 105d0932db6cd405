import type { Db } from '../../../src/db/knex.js';

/**
 * Every row that belongs to one tenant, in a stable order: its own row, the rows that carry its
 * tenant_id, and the rows hanging off its gateway accounts, invoices and endpoints. Upstream
 * webhooks are left out: every request to /hooks is stored, whoever sent it, by design.
 */
export async function tenantSnapshot(db: Db, tenantId: string): Promise<Record<string, unknown[]>> {
  const byTenant = ['api_keys', 'deliveries', 'events', 'gateway_accounts', 'idempotency_keys', 'invoices', 'webhook_endpoints'];
  const snapshot: Record<string, unknown[]> = {
    tenants: await db('tenants').where({ id: tenantId }),
  };
  for (const table of byTenant) snapshot[table] = await db(table).where({ tenant_id: tenantId }).orderByRaw('1, 2, 3');
  const accounts = db('gateway_accounts').select('id').where({ tenant_id: tenantId });
  const invoices = db('invoices').select('id').where({ tenant_id: tenantId });
  const endpoints = db('webhook_endpoints').select('id').where({ tenant_id: tenantId });
  snapshot.sandbox_invoices = await db('sandbox_invoices').whereIn('gateway_account_id', accounts).orderBy('upstream_id');
  snapshot.upstream_invoices = await db('upstream_invoices').where((q) => q.whereIn('gateway_account_id', accounts).orWhereIn('invoice_id', invoices)).orderBy('id');
  snapshot.upstream_event_keys = await db('upstream_event_keys').whereIn('gateway_account_id', accounts).orderBy(['gateway_account_id', 'dedupe_key']);
  snapshot.delivery_attempts = await db('delivery_attempts').whereIn('endpoint_id', endpoints).orderBy('id');
  return JSON.parse(JSON.stringify(snapshot)) as Record<string, unknown[]>;
}
