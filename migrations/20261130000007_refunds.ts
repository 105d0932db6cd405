import type { Knex } from 'knex';

/**
 * Refunds: a paid invoice may become `refunded` (through the API, or when the upstream reports a
 * refund), and every refund is recorded on the invoice (`refunds`: when, amount, upstream
 * reference, status and, for BTCPay's pull payments, the link the buyer claims it at).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE invoices DROP CONSTRAINT invoices_status_check`);
  await knex.raw(
    `ALTER TABLE invoices ADD CONSTRAINT invoices_status_check CHECK (status IN ('pending','processing','paid','expired','cancelled','failed','refunded'))`,
  );
  await knex.schema.alterTable('invoices', (t) => {
    t.jsonb('refunds').notNullable().defaultTo('[]');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invoices', (t) => t.dropColumn('refunds'));
  await knex.raw(`ALTER TABLE invoices DROP CONSTRAINT invoices_status_check`);
  await knex.raw(
    `ALTER TABLE invoices ADD CONSTRAINT invoices_status_check CHECK (status IN ('pending','processing','paid','expired','cancelled','failed'))`,
  );
}
