import { readFileSync } from 'node:fs';
import { load as loadYaml } from 'js-yaml';
import { OpenAPIBackend, type Context, type Document } from 'openapi-backend';
import type { Request, Response } from 'express';
import addFormats from 'ajv-formats';
import { OPENAPI_PATH } from '../paths.js';
import { ApiError, validationError, type FieldError } from './problem.js';
import type { Handler } from '../api/handler.js';

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
  return errors.map((e) => {
    let field = e.instancePath.replace(/^\/requestBody/, '/body') || '/body';
    if (e.keyword === 'additionalProperties') field = `${field}/${String(e.params.additionalProperty)}`.replace('//', '/');
    if (e.keyword === 'required') field = `${field}/${String(e.params.missingProperty)}`.replace('//', '/');
    const message = e.keyword === 'additionalProperties' ? 'is not a known field' : (e.message ?? 'is invalid');
    return { field, message, code: e.keyword };
  });
}

/**
 * openapi-backend is the only router of the API: it matches the operation, runs the security
 * handlers, validates the request against the document and calls the handler by operationId.
 */
export async function createOpenApiRouter(opts: {
  document: Document;
  handlers: Record<string, Handler>;
  security: Record<string, (c: Context, req: Request, res: Response) => Promise<unknown>>;
}): Promise<OpenAPIBackend> {
  const api = new OpenAPIBackend({
    definition: opts.document,
    strict: true,
    quick: false,
    coerceTypes: true,
    ignoreTrailingSlashes: false,
    customizeAjv: withFormats,
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
      throw validationError(toFieldErrors((c.validation.errors ?? []) as AjvError[]));
    },
  });
  await api.init();
  return api;
}
