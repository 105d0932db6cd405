import type { DbOrTx } from './knex.js';
import { fetchPage, type PageRequest } from './pagination.js';
import type { TenantScope } from './invoices-repo.js';

export interface WebhookEndpointRow {
  id: string;
  tenant_id: string;
  livemode: boolean;
  url: string;
  description: string | null;
  events: string[] | null;
  enabled: boolean;
  disabled_reason: string | null;
  /** When it was disabled, by Switchyard or by the tenant; null while enabled. */
  disabled_at: Date | null;
  secret_encrypted: string;
  previous_secret_encrypted: string | null;
  previous_secret_expires_at: Date | null;
  failing_since: Date | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

const scoped = (db: DbOrTx, scope: TenantScope) =>
  db('webhook_endpoints').where({ tenant_id: scope.tenantId, livemode: scope.livemode }).whereNull('deleted_at');

export const webhookEndpointsRepo = {
  insert: async (db: DbOrTx, row: Omit<WebhookEndpointRow, 'created_at' | 'updated_at' | 'deleted_at' | 'disabled_reason' | 'previous_secret_encrypted' | 'previous_secret_expires_at' | 'failing_since'>) =>
    ((await db('webhook_endpoints').insert(row).returning('*')) as WebhookEndpointRow[])[0]!,
  find: async (db: DbOrTx, scope: TenantScope, id: string): Promise<WebhookEndpointRow | undefined> => scoped(db, scope).andWhere({ id }).first(),
  findById: async (db: DbOrTx, id: string): Promise<WebhookEndpointRow | undefined> => db('webhook_endpoints').where({ id }).first(),
  list: (db: DbOrTx, scope: TenantScope, page: PageRequest) => fetchPage<WebhookEndpointRow>(scoped(db, scope).select('*'), page),
  /** Enabled endpoints of one tenant and mode that subscribe to `type` (NULL events = all). */
  listSubscribed: async (db: DbOrTx, tenantId: string, livemode: boolean, type: string): Promise<WebhookEndpointRow[]> =>
    scoped(db, { tenantId, livemode })
      .andWhere({ enabled: true })
      .andWhere((q) => q.whereNull('events').orWhereRaw('? = ANY(events)', [type]))
      .orderBy('id'),
  /** Ends the endpoint's failure streak (a delivery succeeded). */
  clearFailing: async (db: DbOrTx, id: string): Promise<void> => {
    await db('webhook_endpoints').where({ id }).update({ failing_since: null });
  },
  /** Starts the endpoint's failure streak unless one is running; resolves when the streak began. */
  markFailing: async (db: DbOrTx, id: string): Promise<Date | undefined> => {
    const [row] = (await db('webhook_endpoints')
      .where({ id })
      .update({ failing_since: db.raw('COALESCE(failing_since, now())') })
      .returning(['failing_since'])) as Array<{ failing_since: Date }>;
    return row?.failing_since;
  },
  /**
   * Disables the endpoint if it is still enabled, saying why; resolves the disabled row, or
   * undefined when it was no longer enabled (another worker got there first, or the tenant).
   */
  disable: async (db: DbOrTx, id: string, reason: string): Promise<WebhookEndpointRow | undefined> =>
    ((await db('webhook_endpoints')
      .where({ id, enabled: true })
      .update({ enabled: false, disabled_reason: reason, disabled_at: db.fn.now(), updated_at: db.fn.now() })
      .returning('*')) as WebhookEndpointRow[])[0],
  update: async (db: DbOrTx, id: string, patch: Partial<WebhookEndpointRow>): Promise<WebhookEndpointRow> =>
    ((await db('webhook_endpoints')
      .where({ id })
      .update({ ...patch, updated_at: db.fn.now() })
      .returning('*')) as WebhookEndpointRow[])[0]!,
};
