import type { Knex } from 'knex';

/**
 * Where each account's payment waiter resumes (upstreams without webhooks that the worker
 * long-polls: Core Lightning's waitanyinvoice). `cursor` is the upstream's own position (CLN: the
 * last pay_index applied), written only after the payment it follows has been applied, so a
 * restart re-reads at most what was not yet applied.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payment_waiters', (t) => {
    t.text('gateway_account_id').primary().references('gateway_accounts.id').onDelete('CASCADE');
    t.text('cursor').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('payment_waiters');
}
