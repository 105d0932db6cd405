import type { Db } from '../db/knex.js';
import type { TenantScope } from '../db/invoices-repo.js';
import { eventsRepo } from '../db/events-repo.js';
import { deliveriesRepo } from '../db/deliveries-repo.js';
import type { EndpointService } from '../webhooks/outbound/endpoint-service.js';
import { toDeliveryObject, toEventObject } from '../webhooks/outbound/views.js';
import { ApiError } from '../http/problem.js';
import { pageRequest, pathId, tenantScope, type Handlers } from './handler.js';

export function eventHandlers(deps: { db: Db; endpoints: EndpointService }): Handlers<'listEvents' | 'getEvent' | 'listEventDeliveries' | 'redeliverEvent'> {
  const { db } = deps;
  const findEvent = async (scope: TenantScope, id: string) => {
    const event = await eventsRepo.find(db, scope, id);
    if (!event) throw new ApiError('not_found', `No event ${id}`);
    return event;
  };
  return {
    async listEvents(c, _req, res) {
      const page = await eventsRepo.list(db, tenantScope(res), pageRequest(c), c.request.query.type);
      res.json({ object: 'list', data: page.data.map(toEventObject), has_more: page.has_more });
    },
    async getEvent(c, _req, res) {
      res.json(toEventObject(await findEvent(tenantScope(res), pathId(c))));
    },
    /** Every delivery of the event, each with every attempt: what a tenant needs to debug its endpoint. */
    async listEventDeliveries(c, _req, res) {
      const event = await findEvent(tenantScope(res), pathId(c));
      const [deliveries, attempts] = await Promise.all([deliveriesRepo.listForEvent(db, event.id), deliveriesRepo.attemptsForEvent(db, event.id)]);
      res.json({
        object: 'list',
        data: deliveries.map((d) => toDeliveryObject(d, attempts.filter((a) => a.delivery_id === d.id))),
        has_more: false,
      });
    },
    async redeliverEvent(c, _req, res) {
      const scope = tenantScope(res);
      const event = await findEvent(scope, pathId(c));
      res.status(202).json(await deps.endpoints.redeliver(scope, event, c.request.requestBody?.endpoint_id));
    },
  };
}
