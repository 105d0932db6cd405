// Writes src/generated/openapi.ts, the TypeScript types of openapi/openapi.yaml: the spec is the
// source of the handler types. `--check` writes nothing and fails when the committed file is stale.
//
// Generator: openapi-client-axios-typegen, openapi-backend's own typegen. openapi-typescript 7
// needs TypeScript 5's compiler API as a peer dependency, which this project (TypeScript 7, which
// has no JavaScript API) cannot give it; the typegen brings its own TypeScript 5.
//
// Plain JavaScript so that it runs without compiling the project, whose compile needs its output.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load as loadYaml } from 'js-yaml';
import { writeOrCheck } from './generated-file.mjs';
import { generateTypesForDocument } from 'openapi-client-axios-typegen';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SPEC = join(ROOT, 'openapi', 'openapi.yaml');
const OUT = join(ROOT, 'src', 'generated', 'openapi.ts');
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const HEADER = `// Generated from openapi/openapi.yaml by scripts/openapi-types.mjs (npm run openapi:types).
// Do not edit: change the spec and regenerate. CI fails when this file is stale.
`;

/** The operations of the document, with what their handlers receive. */
function operationsOf(document) {
  const deref = (obj) => (obj && obj.$ref ? obj.$ref.split('/').slice(1).reduce((o, k) => o[k], document) : obj);
  const ops = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(deref);
      const body = deref(op.requestBody);
      ops.push({
        id: op.operationId,
        path,
        method,
        hasPath: params.some((p) => p.in === 'path'),
        hasQuery: params.some((p) => p.in === 'query'),
        // typegen types JSON bodies only; any other body (the upstream webhooks' raw bytes) is unknown.
        body: !body ? 'none' : !body.content?.['application/json'] ? 'raw' : body.required ? 'required' : 'optional',
      });
    }
  }
  return ops;
}

/** typegen's namespace for an operationId (its type name: the first letter upper-cased). */
const namespaceOf = (operationId) => `Paths.${operationId[0].toUpperCase()}${operationId.slice(1)}`;

function operationsInterface(ops) {
  const lines = ops.map((op) => {
    const ns = namespaceOf(op.id);
    const body = { none: 'undefined', raw: 'unknown', required: `${ns}.RequestBody`, optional: `${ns}.RequestBody | undefined` }[op.body];
    return [
      `  /** ${op.method.toUpperCase()} ${op.path} */`,
      `  ${op.id}: {`,
      `    requestBody: ${body};`,
      `    pathParameters: ${op.hasPath ? `${ns}.PathParameters` : 'NoParameters'};`,
      `    queryParameters: ${op.hasQuery ? `${ns}.QueryParameters` : 'NoParameters'};`,
      `  };`,
    ].join('\n');
  });
  return `
/** An operation without path or query parameters. */
export type NoParameters = Record<never, never>;

/** Every operation of the document by operationId, with what its handler receives. */
export interface Operations {
${lines.join('\n')}
}
`;
}

/**
 * The document as typegen sees it: without array bounds, which it would turn into tuples of up to
 * `maxItems` optional elements (`[string, string?, …]`) that a `string[]` does not fit. The bounds
 * stay in the spec and are checked at run time.
 */
function withoutArrayBounds(node) {
  if (Array.isArray(node)) return node.map(withoutArrayBounds);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (node.type === 'array' && (key === 'minItems' || key === 'maxItems')) continue;
    out[key] = withoutArrayBounds(value);
  }
  return out;
}

async function generate() {
  const document = loadYaml(readFileSync(SPEC, 'utf8'));
  const [, schemaTypes] = await generateTypesForDocument(withoutArrayBounds(document), { transformOperationName: (id) => id });
  const types = schemaTypes
    // Exported, so that the API layer can import them from this module.
    .replace(/^declare namespace /gm, 'export declare namespace ')
    // Object types as type aliases: unlike interfaces they fit `Record<string, unknown>` (a config).
    .replace(/^(\s*)export interface ([\w$]+) \{$/gm, '$1export type $2 = {')
    // An object that allows no key (the sandbox's config) is `{}` to typegen, which in TypeScript
    // accepts any value; `Record<string, never>` says what the schema says.
    .replace(/^(\s*export type [\w$]+ = )\{\n\s*\}$/gm, '$1Record<string, never>;');
  if (/\binterface\b/.test(types.replace(/\/\*[\s\S]*?\*\//g, ''))) throw new Error('typegen wrote an interface this script cannot turn into a type alias');
  return `${HEADER}\n${types.trim()}\n${operationsInterface(operationsOf(document))}`;
}

const output = await generate();
writeOrCheck(OUT, output, { source: 'openapi/openapi.yaml', regenerate: 'npm run openapi:types' });
