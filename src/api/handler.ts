import type { Request, Response } from 'express';
import type { Context } from 'openapi-backend';
import type { TenantAuth } from '../http/authenticate.js';
import type { TenantScope } from '../db/invoices-repo.js';
import type { PageRequest } from '../db/pagination.js';

export type Handler = (c: Context, req: Request, res: Response) => Promise<void>;

/** The tenant the security handler resolved; handlers only run once it succeeded. */
export function tenantAuth(res: Response): TenantAuth {
  return res.locals.tenant as TenantAuth;
}

export function tenantScope(res: Response): TenantScope {
  const { tenantId, livemode } = tenantAuth(res);
  return { tenantId, livemode };
}

/** `limit` and `starting_after`, already validated against the spec. */
export function pageRequest(c: Context): PageRequest {
  const q = c.request.query as Record<string, string | undefined>;
  return { limit: q.limit ? Number(q.limit) : 20, startingAfter: q.starting_after };
}

export function pathId(c: Context): string {
  return String(c.request.params.id);
}
