import type { DbOrTx } from './knex.js';

/** Each long-polled account's resume position (see migrations/20261130000006_payment_waiters.ts). */
export const paymentWaitersRepo = {
  cursor: async (db: DbOrTx, gatewayAccountId: string): Promise<string | undefined> =>
    (await db('payment_waiters').where({ gateway_account_id: gatewayAccountId }).first<{ cursor: string } | undefined>())?.cursor,
  save: async (db: DbOrTx, gatewayAccountId: string, cursor: string): Promise<void> => {
    await db('payment_waiters')
      .insert({ gateway_account_id: gatewayAccountId, cursor })
      .onConflict('gateway_account_id')
      .merge({ cursor, updated_at: db.fn.now() });
  },
};
