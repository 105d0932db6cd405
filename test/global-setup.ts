import { execFileSync } from 'node:child_process';
import { migrateLatest } from '../src/db/migrate.js';
import { createDb } from '../src/db/knex.js';
import { TEMPLATE_DB, databaseUrl, withAdminClient } from './helpers/databases.js';

/**
 * Once per run: migrate a template database that every test file copies, drop copies left
 * behind by an interrupted run, and build dist/ (the CLI and process tests run the built code).
 */
export default async function setup(): Promise<void> {
  await withAdminClient(async (c) => {
    const stale = await c.query(`SELECT datname FROM pg_database WHERE datname LIKE 'switchyard_test_%'`);
    for (const row of stale.rows as Array<{ datname: string }>) await c.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
  });
  const db = createDb(databaseUrl(TEMPLATE_DB), { max: 1 });
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
