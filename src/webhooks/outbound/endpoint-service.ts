import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Db, DbOrTx } from '../../db/knex.js';
import { writeWithAnswer, type IdempotencyFinish } from '../../db/idempotency-repo.js';
import type { TenantScope } from '../../db/invoices-repo.js';
import type { PageRequest } from '../../db/pagination.js';
import { webhookEndpointsRepo, type WebhookEndpointRow } from '../../db/webhook-endpoints-repo.js';
import { eventsRepo, type EventRow } from '../../db/events-repo.js';
import { deliveriesRepo } from '../../db/deliveries-repo.js';
import { newId } from '../../domain/ids.js';
import type { SecretBox } from '../../security/secret-box.js';
import { assertTenantUrlAllowed } from '../../security/tenant-url.js';
import { parseUrlInput } from '../../security/url-input.js';
import { WebhookEndpointError } from '../../domain/errors.js';
import { generateEndpointSecret } from './signature.js';
import type { DeliveryQueue } from './delivery-queue.js';
import type { EndpointCache } from './endpoint-cache.js';
import { toDeliveryObject, toEndpointObject, toEventObject } from './views.js';
import type { Components } from '../../generated/openapi.js';

/** How long a rotated-out secret keeps signing alongside the new one. */
export const ROTATION_GRACE_MS = 24 * 3600 * 1000;

export interface EndpointServiceDeps {
  db: Db;
  config: Config;
  secretBox: SecretBox;
  deliveryQueue: DeliveryQueue;
  /** Told of every change, so the delivery workers' copies are dropped. */
  endpointCache: Pick<EndpointCache, 'changed'>;
  logger: Logger;
}

export function createEndpointService(deps: EndpointServiceDeps) {
  const { db, config, secretBox, deliveryQueue, endpointCache } = deps;

  /** Absolute http(s), https in production, and never a private address unless the operator allows it. */
  async function checkUrl(value: string): Promise<void> {
    const url = parseUrlInput(value, '/body/url', { schemes: config.env === 'production' ? ['https:'] : ['http:', 'https:'], credentials: 'refused' });
    await assertTenantUrlAllowed(url, config, '/body/url');
  }

  async function find(scope: TenantScope, id: string): Promise<WebhookEndpointRow> {
    const row = await webhookEndpointsRepo.find(db, scope, id);
    if (!row) throw new WebhookEndpointError('not_found', `No webhook endpoint ${id}`);
    return row;
  }

  return {
    find,
    /** With an Idempotency-Key (`finish`), the endpoint and the key's kept answer commit together. */
    async create(scope: TenantScope, body: Components.Schemas.WebhookEndpointCreate, finish?: IdempotencyFinish) {
      await checkUrl(body.url);
      const id = newId('we');
      const secret = generateEndpointSecret();
      const insert = (trx: DbOrTx) => webhookEndpointsRepo.insert(trx, {
        id,
        tenant_id: scope.tenantId,
        livemode: scope.livemode,
        url: body.url,
        description: body.description ?? null,
        events: body.events ?? null,
        enabled: body.enabled ?? true,
        disabled_at: body.enabled === false ? new Date() : null,
        secret_encrypted: secretBox.seal(secret, id),
      });
      return writeWithAnswer(db, finish, insert, { status: 201, of: (row) => ({ ...toEndpointObject(row), secret }) });
    },
    async list(scope: TenantScope, page: PageRequest) {
      const result = await webhookEndpointsRepo.list(db, scope, page);
      return { object: 'list' as const, data: result.data.map(toEndpointObject), has_more: result.has_more };
    },
    get: async (scope: TenantScope, id: string) => toEndpointObject(await find(scope, id)),
    async update(scope: TenantScope, id: string, body: Components.Schemas.WebhookEndpointUpdate) {
      const current = await find(scope, id);
      if (body.url !== undefined) await checkUrl(body.url);
      const patch: Partial<WebhookEndpointRow> = {
        ...(body.url !== undefined ? { url: body.url } : {}),
        ...(body.events !== undefined ? { events: body.events } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
        // Re-enabling starts afresh: no reason, no failure streak. Disabling by hand has no reason.
        ...(body.enabled === true ? { disabled_reason: null, disabled_at: null, failing_since: null } : {}),
        ...(body.enabled === false && current.enabled ? { disabled_at: new Date() } : {}),
      };
      const updated = await webhookEndpointsRepo.update(db, id, patch);
      await endpointCache.changed(id);
      return toEndpointObject(updated);
    },
    async remove(scope: TenantScope, id: string) {
      await find(scope, id);
      await webhookEndpointsRepo.update(db, id, { deleted_at: new Date(), enabled: false });
      await endpointCache.changed(id);
      return { id, object: 'webhook_endpoint' as const, deleted: true as const };
    },
    async rotateSecret(scope: TenantScope, id: string) {
      const row = await find(scope, id);
      const secret = generateEndpointSecret();
      const updated = await webhookEndpointsRepo.update(db, id, {
        previous_secret_encrypted: row.secret_encrypted,
        previous_secret_expires_at: new Date(Date.now() + ROTATION_GRACE_MS),
        secret_encrypted: secretBox.seal(secret, id),
      });
      await endpointCache.changed(id);
      return { ...toEndpointObject(updated), secret };
    },
    /** A webhook.test event for this endpoint only: it skips the relay and gets its own delivery. */
    async sendTest(scope: TenantScope, id: string) {
      const endpoint = await find(scope, id);
      if (!endpoint.enabled) throw new WebhookEndpointError('endpoint_disabled', `Webhook endpoint ${id} is disabled; enable it first`);
      const { event, deliveryId } = await db.transaction(async (trx) => {
        const event: EventRow = await eventsRepo.insert(
          trx,
          { tenant_id: scope.tenantId, livemode: scope.livemode, type: 'webhook.test', invoice_id: null, data: { object: 'webhook_test', endpoint_id: id } },
          { relay: false },
        );
        const [delivery] = await deliveriesRepo.insertMany(trx, [{ event_id: event.id, endpoint_id: id, tenant_id: scope.tenantId, origin: 'manual' }]);
        return { event, deliveryId: delivery!.id };
      });
      await deliveryQueue.enqueue({ deliveryId, eventId: event.id, endpointId: id, attempt: 1 });
      return toEventObject(event);
    },
    /** Deliver an event again: to one endpoint, or to every enabled endpoint subscribed to its type. */
    async redeliver(scope: TenantScope, event: EventRow, endpointId?: string) {
      const endpoints = endpointId
        ? [await find(scope, endpointId)]
        : await webhookEndpointsRepo.listSubscribed(db, scope.tenantId, scope.livemode, event.type);
      if (endpointId && !endpoints[0]!.enabled) throw new WebhookEndpointError('no_endpoints', `Webhook endpoint ${endpointId} is disabled; enable it first`);
      if (!endpoints.length) throw new WebhookEndpointError('no_endpoints', 'No enabled webhook endpoint subscribes to this event');
      const created = await deliveriesRepo.insertMany(
        db,
        endpoints.map((e) => ({ event_id: event.id, endpoint_id: e.id, tenant_id: scope.tenantId, origin: 'manual' as const })),
      );
      await deliveryQueue.enqueueMany(created.map((d) => ({ deliveryId: d.id, eventId: d.event_id, endpointId: d.endpoint_id, attempt: 1 })));
      const urls = new Map(endpoints.map((e) => [e.id, e.url]));
      return { object: 'list' as const, data: created.map((d) => toDeliveryObject({ ...d, endpoint_url: urls.get(d.endpoint_id)! }, [])), has_more: false };
    },
  };
}

export type EndpointService = ReturnType<typeof createEndpointService>;
