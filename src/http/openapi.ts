import { readFileSync } from 'node:fs';
import { load as loadYaml } from 'js-yaml';
import { OpenAPIBackend, type Context, type Document } from 'openapi-backend';
import type { Request, Response } from 'express';
import addFormats from 'ajv-formats';
import { OPENAPI_PATH } from '../paths.js';
import { ValidationError } from '../domain/errors.js';
import { cacheRouteTable } from './route-table.js';
import { ApiError, type FieldError } from './problem.js';

/**
 * An operation handler as openapi-backend calls it. Its context is typed by the API layer, per
 * operationId, from the generated types; any such handler fits here.
 */
export type OperationHandler = (c: never, req: Request, res: Response) => Promise<void>;

export function loadOpenApiDocument(): Document {
  return loadYaml(readFileSync(OPENAPI_PATH, 'utf8')) as Document;
}

/** ajv does not check `format` (date-time, email, uri) unless told to. */
export const withFormats = (ajv: Parameters<typeof addFormats.default>[0]) => {
  addFormats.default(ajv);
  return ajv;
};

interface AjvError {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** ajv's errors as our field errors: `/body/amount`, `/query/limit`, … */
function toFieldErrors(errors: AjvError[]): FieldError[] {
  return tidyBranchErrors(
    errors.map((e) => {
      const at = e.instancePath.replace(/^\/requestBody/, '/body') || '/body';
      const below = (key: unknown) => `${at}/${String(key)}`.replace('//', '/');
      if (e.keyword === 'additionalProperties') return { field: below(e.params.additionalProperty), message: 'is not a known field', code: e.keyword };
      if (e.keyword === 'required') return { field: below(e.params.missingProperty), message: e.message ?? 'is required', code: e.keyword };
      if (e.keyword === 'discriminator') return discriminatorError(at, String(e.params.tag), e.params.tagValue);
      return { field: at, message: e.message ?? 'is invalid', code: e.keyword };
    }),
  );
}

/**
 * A body chosen by a discriminator (the gateway account's `connector`) that names no variant:
 * reported as the plain field error a single schema would give.
 */
function discriminatorError(at: string, tag: string, value: unknown): FieldError {
  const field = `${at}/${tag}`.replace('//', '/');
  if (value === undefined) return { field, message: `must have required property '${tag}'`, code: 'required' };
  if (typeof value !== 'string') return { field, message: 'must be string', code: 'type' };
  return { field, message: 'must be equal to one of the allowed values', code: 'enum' };
}

/**
 * A failed `anyOf` (a gateway account's config, which fits one of the connectors' schemas)
 * reports every branch's error. Keep what helps: a key that some branch knows is not "unknown"
 * (that branch's error says what is wrong with it), the same error from several branches once,
 * and the `anyOf` summary only when nothing more precise is left.
 */
function tidyBranchErrors(errors: FieldError[]): FieldError[] {
  const precise = errors.filter((e) => e.code !== 'additionalProperties' && e.code !== 'anyOf');
  const known = (e: FieldError) => precise.some((p) => p.field === e.field || p.field.startsWith(`${e.field}/`));
  const kept = errors.filter((e) => !(e.code === 'additionalProperties' && known(e)));
  const unique = kept.filter((e, i) => kept.findIndex((o) => o.field === e.field && o.code === e.code && o.message === e.message) === i);
  const detailed = unique.filter((e) => e.code !== 'anyOf');
  return detailed.length ? detailed : unique;
}

/**
 * openapi-backend is the only router of the API: it matches the operation, runs the security
 * handlers, validates the request against the document and calls the handler by operationId.
 */
export async function createOpenApiRouter(opts: {
  document: Document;
  handlers: Record<string, OperationHandler>;
  security: Record<string, (c: Context, req: Request, res: Response) => Promise<unknown>>;
}): Promise<OpenAPIBackend> {
  const api = new OpenAPIBackend({
    definition: opts.document,
    strict: true,
    quick: false,
    coerceTypes: true,
    ignoreTrailingSlashes: false,
    customizeAjv: withFormats,
    // The gateway account create body is one schema per connector, chosen by `connector`: ajv then
    // checks only that connector's schema and reports its errors, not every variant's.
    ajvOpts: { discriminator: true },
  });
  api.register(opts.handlers as never);
  for (const [name, handler] of Object.entries(opts.security)) api.registerSecurityHandler(name, handler as never);
  api.register({
    postRoutingHandler: async (c: Context, _req: Request, res: Response) => {
      if (!c.operation) return; // unmatched: notFound / methodNotAllowed answer it
      res.locals.route = c.operation.path;
      res.locals.operationId = c.operation.operationId;
    },
    notFound: async (c: Context) => {
      throw new ApiError('not_found', `No route for ${c.request.method.toUpperCase()} ${c.request.path}`);
    },
    methodNotAllowed: async (c: Context) => {
      const allowed = ['get', 'post', 'put', 'patch', 'delete']
        .filter((method) => api.router.matchOperation({ ...c.request, method }))
        .map((method) => method.toUpperCase());
      throw new ApiError('method_not_allowed', `${c.request.method.toUpperCase()} is not allowed on ${c.request.path}`, {
        headers: { Allow: allowed.join(', ') },
      });
    },
    unauthorizedHandler: async (c: Context) => {
      const failures = Object.values(c.security ?? {}).filter((r): r is { error: unknown } => typeof r === 'object' && r !== null && 'error' in r);
      const error = failures[0]?.error;
      // Anything other than an ApiError is our failure (e.g. the database is down), not the caller's.
      throw error ?? new ApiError('unauthorized', 'Authentication failed');
    },
    validationFail: async (c: Context) => {
      throw new ValidationError(toFieldErrors((c.validation.errors ?? []) as AjvError[]));
    },
  });
  await api.init();
  cacheRouteTable(api);
  return api;
}
