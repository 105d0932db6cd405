import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { migrateLatest } from '../src/db/migrate.js';
import { createDb } from '../src/db/knex.js';
import { TEST_DB_PREFIX, databaseUrl, withAdminClient } from './helpers/databases.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}

/** Runs older than this are certainly over: their leftover databases can go. */
const STALE_AFTER_SECONDS = 3 * 3600;

/**
 * Once per run: migrate a template database that every test file copies, and build dist/
 * (the CLI and process tests run the built code). Names carry the run's start time so that
 * concurrent runs on one server never touch each other's databases.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const now = Math.floor(Date.now() / 1000);
  const template = `${TEST_DB_PREFIX}${now}_${randomBytes(3).toString('hex')}_template`;
  await withAdminClient(async (c) => {
    const old = await c.query(`SELECT datname FROM pg_database WHERE datname LIKE '${TEST_DB_PREFIX}%'`);
    for (const { datname } of old.rows as Array<{ datname: string }>) {
      const started = Number(datname.slice(TEST_DB_PREFIX.length).split('_')[0]);
      if (started && now - started > STALE_AFTER_SECONDS) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await c.query(`CREATE DATABASE "${template}"`);
  });
  const db = createDb(databaseUrl(template), { max: 1 });
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
  project.provide('templateDb', template);
  execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
  return async () => {
    await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`));
  };
}
