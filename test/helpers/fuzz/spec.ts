import type { Document } from 'openapi-backend';
import { loadOpenApiDocument } from '../../../src/http/openapi.js';

/** A JSON schema as the document writes it, every `$ref` resolved. */
export interface Schema {
  type?: string;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  discriminator?: { propertyName: string };
  example?: unknown;
  description?: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
}

/** One operation of the document, ready to build requests for. */
export interface Operation {
  operationId: string;
  method: string;
  /** The path template, `/v1/invoices/{id}`. */
  path: string;
  parameters: Parameter[];
  /** Security scheme names; empty for a public operation. */
  security: string[];
  /** `examples`: the document's own example bodies, the first valid bodies to try. */
  body?: { required: boolean; contentTypes: string[]; schema: Schema; examples: unknown[] };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Resolves every local `$ref` (the document has no cycles; a cycle would resolve to `{}`). */
function resolver(document: Document) {
  const lookup = (ref: string): unknown => ref.slice(2).split('/').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], document);
  const resolve = (node: unknown, seen: string[] = []): unknown => {
    if (Array.isArray(node)) return node.map((n) => resolve(n, seen));
    if (!node || typeof node !== 'object') return node;
    const ref = (node as { $ref?: string }).$ref;
    if (ref) return seen.includes(ref) ? {} : resolve(lookup(ref), [...seen, ref]);
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v, seen)]));
  };
  return resolve;
}

/** Every operation of openapi/openapi.yaml, with parameters, security and body schema resolved. */
export function loadOperations(document: Document = loadOpenApiDocument()): Operation[] {
  const resolve = resolver(document);
  const operations: Operation[] = [];
  for (const [path, rawItem] of Object.entries(document.paths ?? {})) {
    const item = resolve(rawItem) as Record<string, unknown> & { parameters?: Parameter[] };
    for (const method of METHODS) {
      const op = item[method] as
        | {
            operationId: string;
            parameters?: Parameter[];
            security?: Array<Record<string, unknown>>;
            requestBody?: { required?: boolean; content: Record<string, { schema?: Schema; example?: unknown; examples?: Record<string, { value?: unknown }> }> };
          }
        | undefined;
      if (!op) continue;
      const security = (op.security ?? (document.security as Array<Record<string, unknown>> | undefined) ?? []).flatMap((s) => Object.keys(s));
      const content = op.requestBody?.content ?? {};
      const contentTypes = Object.keys(content);
      const media = content[contentTypes[0]!];
      const examples = [...(media?.example !== undefined ? [media.example] : []), ...Object.values(media?.examples ?? {}).map((e) => e.value).filter((v) => v !== undefined)];
      operations.push({
        operationId: op.operationId,
        method,
        path,
        parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => ({ ...p, required: p.required ?? false, schema: p.schema ?? {} })),
        security,
        ...(op.requestBody ? { body: { required: op.requestBody.required ?? false, contentTypes, schema: media?.schema ?? {}, examples } } : {}),
      });
    }
  }
  return operations;
}
