import type { Knex } from 'knex';

/**
 * Foundation schema: tenants, API keys, gateway accounts, invoices, the events outbox,
 * idempotency keys and the sandbox connector's own (fake upstream) state.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenants', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.text('status').notNullable().defaultTo('active');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE tenants ADD CONSTRAINT tenants_status_check CHECK (status IN ('active','suspended'))`);

  await knex.schema.createTable('api_keys', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('mode').notNullable();
    t.text('name');
    t.text('prefix').notNullable();
    // SHA-256 of the whole key: keys carry 256 random bits, so a slow hash adds nothing.
    t.text('key_hash').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.index(['tenant_id', 'id']);
  });
  await knex.raw(`ALTER TABLE api_keys ADD CONSTRAINT api_keys_mode_check CHECK (mode IN ('live','test'))`);

  await knex.schema.createTable('gateway_accounts', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.boolean('livemode').notNullable();
    t.text('connector').notNullable();
    t.text('name');
    // AES-256-GCM envelope (security/secret-box), never plaintext.
    t.text('credentials_encrypted');
    t.jsonb('config').notNullable().defaultTo('{}');
    t.boolean('enabled').notNullable().defaultTo(true);
    t.integer('priority').notNullable().defaultTo(0);
    t.integer('weight').notNullable().defaultTo(1);
    t.specificType('currencies', 'text[]');
    t.text('min_amount');
    t.text('max_amount');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('deleted_at', { useTz: true });
    t.index(['tenant_id', 'livemode']);
  });
  // One implicit sandbox account per tenant and mode.
  await knex.raw(
    `CREATE UNIQUE INDEX gateway_accounts_one_sandbox ON gateway_accounts (tenant_id, livemode) WHERE connector = 'sandbox' AND deleted_at IS NULL`,
  );

  await knex.schema.createTable('invoices', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.boolean('livemode').notNullable();
    t.text('status').notNullable();
    t.text('amount').notNullable();
    t.text('currency').notNullable();
    t.specificType('accepted_assets', 'text[]').notNullable().defaultTo('{}');
    t.text('description');
    t.text('external_id');
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.jsonb('customer');
    t.text('gateway_account_id').notNullable().references('gateway_accounts.id');
    t.text('connector').notNullable();
    t.text('upstream_id');
    t.jsonb('gateway_attempts').notNullable().defaultTo('[]');
    t.text('pay_url');
    t.jsonb('payment');
    t.jsonb('paid');
    t.text('return_url');
    t.text('fail_return_url');
    // The upstream's own view of the invoice (raw-ish), for support and disputes.
    t.jsonb('upstream_data');
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id', 'livemode', 'id']);
    t.index(['tenant_id', 'livemode', 'status', 'id']);
  });
  await knex.raw(
    `ALTER TABLE invoices ADD CONSTRAINT invoices_status_check CHECK (status IN ('pending','processing','paid','expired','cancelled','failed'))`,
  );
  await knex.raw(
    `CREATE UNIQUE INDEX invoices_external_id_unique ON invoices (tenant_id, livemode, external_id) WHERE external_id IS NOT NULL`,
  );
  await knex.raw(`CREATE UNIQUE INDEX invoices_upstream_unique ON invoices (gateway_account_id, upstream_id) WHERE upstream_id IS NOT NULL`);
  await knex.raw(`CREATE INDEX invoices_pending_expiry ON invoices (expires_at) WHERE status = 'pending'`);

  // The transactional outbox: every invoice state change inserts its event here in the same transaction.
  await knex.schema.createTable('events', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.boolean('livemode').notNullable();
    t.text('type').notNullable();
    t.text('invoice_id').references('invoices.id');
    t.jsonb('data').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id', 'livemode', 'id']);
    t.index(['invoice_id']);
  });

  await knex.schema.createTable('idempotency_keys', (t) => {
    t.text('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.boolean('livemode').notNullable();
    t.text('key').notNullable();
    t.text('request_hash').notNullable();
    t.text('state').notNullable();
    t.integer('response_status');
    t.jsonb('response_body');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true });
    t.primary(['tenant_id', 'livemode', 'key']);
    t.index(['created_at']);
  });
  await knex.raw(`ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_state_check CHECK (state IN ('in_progress','completed'))`);

  // The sandbox connector's fake upstream: what an upstream would know about its invoices.
  await knex.schema.createTable('sandbox_invoices', (t) => {
    t.text('upstream_id').primary();
    t.text('gateway_account_id').notNullable().references('gateway_accounts.id');
    t.text('status').notNullable();
    t.text('amount').notNullable();
    t.text('currency').notNullable();
    t.text('paid_amount');
    t.timestamp('paid_at', { useTz: true });
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['sandbox_invoices', 'idempotency_keys', 'events', 'invoices', 'gateway_accounts', 'api_keys', 'tenants']) {
    await knex.schema.dropTableIfExists(table);
  }
}
