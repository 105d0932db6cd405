import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import pg from 'pg';
import type { Knex } from 'knex';
import { inject } from 'vitest';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

/** The server tests use; override with TEST_DATABASE_URL (its database part is ignored). */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? `postgres://${userInfo().username}@127.0.0.1:5432/postgres`;
/** Test databases are `switchyard_test_<run start epoch>_…`, so stale ones can be recognised. */
export const TEST_DB_PREFIX = 'switchyard_test_';

export function databaseUrl(name: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh database per test file, copied from this run's migrated template (fast, no migration run). */
export async function createDatabaseFromTemplate(): Promise<string> {
  const template = inject('templateDb');
  const name = `${template.replace(/_template$/, '')}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return name;
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A fresh database reached through a TCP proxy (so a test can cut it, or lose an answer), and directly. */
export async function createProxiedDatabase(): Promise<{ name: string; directUrl: string; proxiedUrl: string; proxy: TcpProxy }> {
  const name = await createDatabaseFromTemplate();
  const server = new URL(TEST_SERVER_URL);
  const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
  const proxied = new URL(databaseUrl(name));
  proxied.port = String(proxy.port);
  return { name, directUrl: databaseUrl(name), proxiedUrl: proxied.toString(), proxy };
}

/**
 * Makes PostgreSQL refuse (with an ERROR, as a constraint or a lost race would) every insert into
 * `table` whose `column` holds `value`, in this test's database only: the write fails and stores nothing.
 */
export async function refuseInserts(db: Knex, table: string, column: string, value: string): Promise<void> {
  const name = `refuse_${table}_${randomBytes(4).toString('hex')}`;
  await db.raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.${column} = ${pg.escapeLiteral(value)} THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
  await db.raw(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`);
}
