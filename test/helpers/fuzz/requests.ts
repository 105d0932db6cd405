import fc from 'fast-check';
import type { Operation, Parameter } from './spec.js';
import { asParam, render, type Body, type Draft, type FuzzRequest, type Mutation } from './draft.js';
import { mutationsFor } from './mutations.js';
import { oneOfLive, validValue, type ValueContext } from './values.js';

export { describeRequest, type FuzzRequest } from './draft.js';

/** Who may call what, and the values valid requests draw on. */
export interface RequestContext {
  /** Value context for an operation: which ids its parameters and bodies should name. */
  valuesFor(op: Operation): ValueContext;
  /** Real values for a path parameter that is not an id with a known prefix (tokens, sandbox ids, connector names); a list that may grow. */
  pathValues(op: Operation, param: Parameter): string[] | undefined;
  /** The Authorization header of a valid call under each security scheme. */
  validAuth: Record<string, string[]>;
  /** Authorization headers that must fail (missing key, other kinds, revoked, suspended…). */
  badAuth: string[];
}

// ---------------------------------------------------------------------------------------------
// Valid requests

function withoutKey(value: unknown, key: string): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const { [key]: _dropped, ...rest } = value as Record<string, unknown>;
  return rest;
}

/** HTTP header values are Latin-1 without control characters; clients refuse anything else before sending. */
const headerSafe = (value: string) => value.replace(/[^\t\x20-\x7e\xa0-\xff]/g, '');


function pathParam(op: Operation, p: Parameter, ctx: RequestContext): fc.Arbitrary<string> {
  const known = ctx.pathValues(op, p);
  const generated = validValue(p.schema, ctx.valuesFor(op)).map(asParam);
  return known ? fc.oneof({ weight: 4, arbitrary: oneOfLive(known, generated) }, { weight: 1, arbitrary: generated }) : generated;
}

function bodyFor(op: Operation, ctx: RequestContext): fc.Arbitrary<{ body?: Body; contentType?: string }> {
  if (!op.body) return fc.constant({});
  const types = op.body.contentTypes;
  if (types.includes('*/*')) {
    // The upstream webhook ingress takes any bytes: JSON like the upstreams send, or anything.
    return fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((value) => ({ body: { kind: 'json', value } as Body, contentType: 'application/json' })),
      fc.uint8Array({ maxLength: 200 }).map((b) => ({ body: { kind: 'bytes', bytes: Buffer.from(b) } as Body, contentType: 'application/octet-stream' })),
    );
  }
  const generated = validValue(op.body.schema, ctx.valuesFor(op));
  // The document's examples, half the time without their one-per-tenant `external_id` (it would be a duplicate after the first).
  const value = op.body.examples.length
    ? fc.oneof(
        { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...op.body.examples), fc.boolean()).map(([example, keep]) => (keep ? example : withoutKey(example, 'external_id'))) },
        { weight: 3, arbitrary: generated },
      )
    : generated;
  const json = value.map((v) => ({ body: { kind: 'json', value: v } as Body, contentType: 'application/json' }));
  if (!types.includes('application/x-www-form-urlencoded')) return op.body.required ? json : fc.oneof(json, fc.constant({}));
  const form = value.map((v) => ({
    body: { kind: 'form', value: Object.fromEntries(Object.entries((v ?? {}) as Record<string, unknown>).map(([k, x]) => [k, asParam(x)])) } as Body,
    contentType: 'application/x-www-form-urlencoded',
  }));
  return fc.oneof({ weight: 3, arbitrary: json }, { weight: 1, arbitrary: form });
}

/** A request the document says is valid, with real ids most of the time. */
function validRequest(op: Operation, ctx: RequestContext): fc.Arbitrary<Draft> {
  const values = ctx.valuesFor(op);
  const params = Object.fromEntries(op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, pathParam(op, p, ctx).map((value) => ({ value }))]));
  const query = op.parameters
    .filter((p) => p.in === 'query')
    .map((p) => (p.required ? validValue(p.schema, values).map((v) => [{ name: p.name, value: asParam(v) }]) : fc.option(validValue(p.schema, values).map((v) => ({ name: p.name, value: asParam(v) })), { nil: undefined }).map((q) => (q ? [q] : []))));
  const headerParams = op.parameters
    .filter((p) => p.in === 'header')
    .map((p) =>
      fc.option(
        fc.oneof({ weight: 3, arbitrary: fc.uuid() }, { weight: 1, arbitrary: validValue(p.schema, values).map((v) => headerSafe(asParam(v)) || 'fuzz-key') }).map((v) => [p.name, v] as const),
        { nil: undefined, freq: 2 },
      ),
    );
  const auth = op.security.length ? fc.constantFrom(...op.security.flatMap((s) => ctx.validAuth[s] ?? ['Bearer not-a-known-credential'])) : fc.constant(undefined);
  return fc.record({ params: fc.record(params), query: fc.tuple(...query), headerParams: fc.tuple(...headerParams), auth, body: bodyFor(op, ctx) }).map(
    ({ params: p, query: q, headerParams: h, auth: a, body }): Draft => ({
      op,
      method: op.method,
      params: p,
      pathTail: '',
      query: q.flat(),
      headers: { ...Object.fromEntries(h.filter((x): x is readonly [string, string] => x !== undefined)), ...(a ? { authorization: a } : {}) },
      ...body,
      mutations: [],
    }),
  );
}

/** A valid request (a quarter of the time), or one with one to three things wrong with it. */
export function fuzzRequest(op: Operation, ctx: RequestContext): fc.Arbitrary<FuzzRequest> {
  const mutation = mutationsFor(op, ctx.valuesFor(op), [...ctx.badAuth, ...Object.values(ctx.validAuth).flat()]);
  // Mostly one thing wrong at a time: a second or third mistake often hides the first behind an earlier check.
  const mutations = fc.oneof(
    { weight: 4, arbitrary: fc.constant<Mutation[]>([]) },
    { weight: 7, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 1 }) },
    { weight: 3, arbitrary: fc.array(mutation, { minLength: 2, maxLength: 2 }) },
    { weight: 2, arbitrary: fc.array(mutation, { minLength: 3, maxLength: 3 }) },
  );
  return fc.tuple(validRequest(op, ctx), mutations).map(([draft, ms]) => render(ms.reduce((d, m) => m(d), draft)));
}
