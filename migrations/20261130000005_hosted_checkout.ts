import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * The hosted checkout. Every invoice gets an unguessable checkout token (its page's address), and
 * may have its gateway picked by the buyer later (`gateway_selection = 'buyer'`, no gateway until
 * then). Every upstream invoice we ever open for an invoice is a row of `upstream_invoices`: the
 * buyer may switch gateways, and a payment on an abandoned one must still find our invoice.
 * Tenants get a buyer-facing name and support link for the page.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.text('display_name');
    t.text('support_url');
  });

  await knex.schema.alterTable('invoices', (t) => {
    t.text('checkout_token');
    t.text('gateway_selection').notNullable().defaultTo('auto');
  });
  // Existing invoices get tokens like new ones: 192 random bits, base64url.
  const rows = (await knex('invoices').select('id')) as Array<{ id: string }>;
  for (const row of rows) await knex('invoices').where({ id: row.id }).update({ checkout_token: randomBytes(24).toString('base64url') });
  await knex.raw(`ALTER TABLE invoices ALTER COLUMN checkout_token SET NOT NULL`);
  await knex.raw(`CREATE UNIQUE INDEX invoices_checkout_token ON invoices (checkout_token)`);
  await knex.raw(`ALTER TABLE invoices ADD CONSTRAINT invoices_gateway_selection_check CHECK (gateway_selection IN ('auto','buyer'))`);
  // Until the buyer picks, a 'buyer' invoice has no gateway.
  await knex.raw(`ALTER TABLE invoices ALTER COLUMN gateway_account_id DROP NOT NULL`);
  await knex.raw(`ALTER TABLE invoices ALTER COLUMN connector DROP NOT NULL`);

  await knex.schema.createTable('upstream_invoices', (t) => {
    t.text('id').primary();
    t.text('invoice_id').notNullable().references('invoices.id').onDelete('CASCADE');
    t.text('gateway_account_id').notNullable().references('gateway_accounts.id');
    t.text('connector').notNullable();
    t.text('upstream_id').notNullable();
    // current: what the invoice shows now; abandoned: the buyer moved on (still watched for money);
    // cancelled: withdrawn at the upstream, nothing can arrive there.
    t.text('state').notNullable();
    // The upstream's last reported status (our status table) and any money it reported.
    t.text('status').notNullable().defaultTo('pending');
    t.jsonb('paid');
    // What the buyer was shown for it, so a payment on an abandoned one can become current again.
    t.text('pay_url');
    t.jsonb('payment');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['gateway_account_id', 'upstream_id']);
    t.index(['invoice_id']);
  });
  await knex.raw(`ALTER TABLE upstream_invoices ADD CONSTRAINT upstream_invoices_state_check CHECK (state IN ('current','abandoned','cancelled'))`);
  // At most one current upstream invoice per invoice.
  await knex.raw(`CREATE UNIQUE INDEX upstream_invoices_one_current ON upstream_invoices (invoice_id) WHERE state = 'current'`);
  // Reconciliation now asks about every watched upstream invoice of an open invoice, whatever the current connector.
  await knex.raw(`DROP INDEX IF EXISTS invoices_reconcile_due`);
  await knex.raw(`CREATE INDEX invoices_open_reconcile_due ON invoices (next_reconcile_at) WHERE status IN ('pending','processing')`);
  await knex.raw(`
    INSERT INTO upstream_invoices (id, invoice_id, gateway_account_id, connector, upstream_id, state, status, paid, pay_url, payment, created_at, updated_at)
    SELECT 'upi_' || substr(id, 5), id, gateway_account_id, connector, upstream_id, 'current', status, paid, pay_url, payment, created_at, updated_at
    FROM invoices WHERE upstream_id IS NOT NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX IF EXISTS invoices_open_reconcile_due`);
  await knex.raw(
    `CREATE INDEX invoices_reconcile_due ON invoices (next_reconcile_at) WHERE status IN ('pending','processing') AND connector <> 'sandbox'`,
  );
  await knex.schema.dropTableIfExists('upstream_invoices');
  await knex.raw(`DROP INDEX IF EXISTS invoices_checkout_token`);
  await knex.schema.alterTable('invoices', (t) => {
    t.dropChecks(['invoices_gateway_selection_check']);
    t.dropColumn('checkout_token');
    t.dropColumn('gateway_selection');
  });
  await knex.schema.alterTable('tenants', (t) => {
    t.dropColumn('display_name');
    t.dropColumn('support_url');
  });
}
