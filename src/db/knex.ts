import knexFactory, { type Knex } from 'knex';

export type Db = Knex;
/** Every data-access function accepts either the pool or a transaction. */
export type DbOrTx = Knex | Knex.Transaction;

/** The readiness probe's question: does PostgreSQL answer at all? */
export async function pingDatabase(db: Db): Promise<void> {
  await db.raw('SELECT 1');
}

export function createDb(databaseUrl: string, pool: { min?: number; max?: number } = {}): Db {
  return knexFactory({
    client: 'pg',
    connection: databaseUrl,
    pool: { min: pool.min ?? 0, max: pool.max ?? 10 },
  });
}
