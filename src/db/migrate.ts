import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createDb, type Db } from './knex.js';
import { ensureDatabase } from './ensure-database.js';

/** migrations/ beside src/ — both in the source tree (tests) and in dist/ (built image). */
const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Loads migrations by dynamic import so the same files run as .ts under vitest and as .js
 * when built; names are recorded without extension so both agree on what has run.
 */
class DirectoryMigrationSource implements Knex.MigrationSource<string> {
  async getMigrations(): Promise<string[]> {
    const files = await readdir(MIGRATIONS_DIR);
    return files.filter((f) => /^\d+.*\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).sort();
  }
  getMigrationName(file: string): string {
    return file.replace(/\.(ts|js)$/, '');
  }
  async getMigration(file: string): Promise<MigrationModule> {
    return (await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href)) as MigrationModule;
  }
}

export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource: new DirectoryMigrationSource() })) as [number, string[]];
  return applied;
}

/** The `migrate` mode: create the database if needed, apply what is pending, disconnect. */
export async function runMigrations(databaseUrl: string, logger: Logger): Promise<void> {
  if (await ensureDatabase(databaseUrl)) logger.info('created database');
  const db = createDb(databaseUrl, { max: 1 });
  try {
    const applied = await migrateLatest(db);
    logger.info({ applied }, applied.length ? 'migrations applied' : 'database schema is up to date');
  } finally {
    await db.destroy();
  }
}
