import type { Request, Response } from 'express';
import type { Context } from 'openapi-backend';
import type { TenantAuth } from '../http/authenticate.js';
import type { TenantScope } from '../db/invoices-repo.js';
import type { PageRequest } from '../db/pagination.js';
import type { Operations } from '../generated/openapi.js';

/** The operationIds of openapi/openapi.yaml. */
export type OperationId = keyof Operations;

/**
 * What openapi-backend hands one operation's handler, typed from the spec: the request body, path
 * and query parameters, already validated (and the parameters coerced to their schema types).
 */
export type OperationContext<Id extends OperationId> = Context<
  Operations[Id]['requestBody'],
  Operations[Id]['pathParameters'],
  Operations[Id]['queryParameters']
>;

export type Handler<Id extends OperationId> = (c: OperationContext<Id>, req: Request, res: Response) => Promise<void>;

/**
 * Handlers keyed by operationId. The app registers `Handlers` (every operation), so a handler
 * that is missing or misnamed is a compile error, not a 501 at run time.
 */
export type Handlers<Id extends OperationId = OperationId> = { [K in Id]: Handler<K> };

/** The tenant the security handler resolved; handlers only run once it succeeded. */
export function tenantAuth(res: Response): TenantAuth {
  return res.locals.tenant as TenantAuth;
}

export function tenantScope(res: Response): TenantScope {
  const { tenantId, livemode } = tenantAuth(res);
  return { tenantId, livemode };
}

/** `limit` and `starting_after` of a list operation, already validated against the spec. */
export function pageRequest(c: { request: { query: { limit?: number; starting_after?: string } } }): PageRequest {
  const { limit, starting_after: startingAfter } = c.request.query;
  return { limit: limit ?? 20, startingAfter };
}

/** The `{id}` of an operation's path. */
export function pathId(c: { request: { params: { id: string } } }): string {
  return c.request.params.id;
}
