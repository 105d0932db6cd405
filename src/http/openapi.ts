import { readFileSync } from 'node:fs';
import { load as loadYaml } from 'js-yaml';
import { OpenAPIBackend, OpenAPIValidator, type Context, type Document } from 'openapi-backend';
import type { Request, Response } from 'express';
import addFormats from 'ajv-formats';
import formats from 'ajv-formats/dist/formats.js';
import { OPENAPI_PATH } from '../paths.js';
import { ValidationError } from '../domain/errors.js';
import { cacheRouteTable } from './route-table.js';
import { ApiError } from './problem.js';
import { toFieldErrors, type AjvError } from './validation-messages.js';

/**
 * An operation handler as openapi-backend calls it. Its context is typed by the API layer, per
 * operationId, from the generated types; any such handler fits here.
 */
export type OperationHandler = (c: never, req: Request, res: Response) => Promise<void>;

export function loadOpenApiDocument(): Document {
  return loadYaml(readFileSync(OPENAPI_PATH, 'utf8')) as Document;
}

const rfc3986Uri = formats.fullFormats.uri as (value: string) => boolean;

/**
 * ajv does not check `format` (date-time, email, uri) unless told to. A `uri` must also be one
 * WHATWG URL parses (what we later fetch or link to): `http://256.256.256.256/` fits RFC 3986's
 * grammar but is no URL anyone can reach.
 */
export const withFormats = (ajv: Parameters<typeof addFormats.default>[0]) => {
  addFormats.default(ajv);
  ajv.addFormat('uri', { type: 'string', validate: (value: string) => rfc3986Uri(value) && URL.canParse(value) });
  return ajv;
};

/**
 * Path parameters name things (ids, tokens, connectors): one of the wrong shape names nothing
 * we have, so it is a 404 like an unknown one, described by its schema.
 */
function pathNotFound(c: Context, errors: AjvError[]): ApiError | undefined {
  const onPath = errors.filter((e) => e.instancePath.startsWith('/path/'));
  if (!onPath.length) return undefined;
  const name = onPath[0]!.instancePath.slice('/path/'.length).split('/')[0]!;
  const value = (c.request.params as Record<string, unknown>)[name];
  const description = onPath[0]!.parentSchema?.description?.trim().replace(/\.$/, '').replaceAll('`', '');
  const shape = description ? ` (expected: ${description.charAt(0).toLowerCase()}${description.slice(1)})` : '';
  return new ApiError('not_found', `Nothing found for ${name} ${JSON.stringify(value)}${shape}`);
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
  // The gateway account create body is one schema per connector, chosen by `connector`: ajv then
  // checks only that connector's schema and reports its errors, not every variant's.
  // `verbose`: each error brings its schema (example, description, enum) for a message that says what is allowed.
  const ajvOpts = { discriminator: true, verbose: true };
  const api = new OpenAPIBackend({
    definition: opts.document,
    strict: true,
    quick: false,
    // Its own validator would also compile a validator for every response of every operation,
    // which the app never uses (the tests check answers with their own): seconds of start-up
    // and tens of MB of heap. Requests are validated by the one installed below.
    validate: false,
    coerceTypes: true,
    ignoreTrailingSlashes: false,
    customizeAjv: withFormats,
    ajvOpts,
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
      const errors = (c.validation.errors ?? []) as AjvError[];
      throw pathNotFound(c, errors) ?? new ValidationError(toFieldErrors(errors));
    },
  });
  await api.init();
  cacheRouteTable(api);
  api.validator = new OpenAPIValidator({ definition: api.definition, ajvOpts, customizeAjv: withFormats, router: api.router, lazyCompileValidators: true, coerceTypes: true });
  // Every request validator up front, so that no request waits for a compilation.
  api.validator.preCompileRequestValidators();
  api.validate = true;
  return api;
}
