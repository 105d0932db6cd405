import type { DbOrTx } from './knex.js';

/** Which stored upstream webhook first carried an upstream event (per account and dedupe key). */
export const upstreamEventKeysRepo = {
  find: async (db: DbOrTx, gatewayAccountId: string, dedupeKey: string): Promise<string | undefined> =>
    (await db('upstream_event_keys').where({ gateway_account_id: gatewayAccountId, dedupe_key: dedupeKey }).first<{ upstream_webhook_id: string } | undefined>())?.upstream_webhook_id,
  record: async (db: DbOrTx, gatewayAccountId: string, dedupeKey: string, upstreamWebhookId: string): Promise<void> => {
    await db('upstream_event_keys')
      .insert({ gateway_account_id: gatewayAccountId, dedupe_key: dedupeKey, upstream_webhook_id: upstreamWebhookId })
      .onConflict(['gateway_account_id', 'dedupe_key'])
      .ignore();
  },
};
