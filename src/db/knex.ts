import knexFactory, { type Knex } from 'knex';

export type Db = Knex;
export type Tx = Knex.Transaction;
/** Every data-access function accepts either the pool or a transaction. */
export type DbOrTx = Knex | Knex.Transaction;

export function createDb(databaseUrl: string, pool: { min?: number; max?: number } = {}): Db {
  return knexFactory({
    client: 'pg',
    connection: databaseUrl,
    pool: { min: pool.min ?? 0, max: pool.max ?? 10 },
  });
}
