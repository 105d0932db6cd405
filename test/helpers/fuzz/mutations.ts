import fc from 'fast-check';
import type { Operation, Schema } from './spec.js';
import { asParam, encodeComponent, type Body, type Draft, type Mutation } from './draft.js';
import { ODD_UNITS, RawJson, loneSurrogateText, nastyString, nastyValue, nested, validValue, type ValueContext } from './values.js';

/** Every place in a JSON value, as a key path (the root is []). */
function placesIn(value: unknown): Array<Array<string | number>> {
  const places: Array<Array<string | number>> = [[]];
  const stack: Array<[unknown, Array<string | number>]> = [[value, []]];
  while (stack.length) {
    const [v, at] = stack.pop()!;
    if (v instanceof RawJson || !v || typeof v !== 'object') continue;
    for (const [k, child] of Array.isArray(v) ? v.entries() : Object.entries(v)) {
      places.push([...at, k]);
      stack.push([child, [...at, k]]);
    }
  }
  return places;
}

/** Changes the place at `at` (a non-empty path) of `value` in place, through its parent container and key. */
function edit(value: unknown, at: Array<string | number>, change: (parent: Record<string | number, unknown>, key: string | number) => void): unknown {
  let parent = value as Record<string | number, unknown>;
  for (const k of at.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  change(parent, at[at.length - 1]!);
  return value;
}

/** A deep copy that keeps RawJson fragments as they are. */
function cloneKeepingRaw(value: unknown): unknown {
  if (value instanceof RawJson) return value;
  if (Array.isArray(value)) return value.map(cloneKeepingRaw);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneKeepingRaw(v)]));
  return value;
}

const bodyField: fc.Arbitrary<Mutation> = fc
  .tuple(fc.nat(), fc.constantFrom('replace', 'replace', 'replace', 'delete', 'add'), nastyValue, fc.oneof(nastyString, fc.constantFrom('__proto__', 'constructor', 'colour')))
  .map(([pick, action, nasty, key]) => (d: Draft): Draft => {
    if (d.body?.kind !== 'json' && d.body?.kind !== 'form') return { ...d, body: { kind: 'json', value: { [key]: nasty } }, contentType: 'application/json', mutations: [...d.mutations, `body set to {${JSON.stringify(key)}: …}`] };
    const current = d.body.value;
    const places = placesIn(current);
    const at = places[pick % places.length]!;
    const label = `/${at.join('/')}`;
    let value: unknown;
    if (at.length === 0) value = action === 'add' && current && typeof current === 'object' ? { ...(cloneKeepingRaw(current) as object), [key]: nasty } : nasty;
    else
      value = edit(cloneKeepingRaw(current), at, (parent, k) => {
        if (action === 'delete') delete parent[k];
        else if (action === 'add' && parent[k] && typeof parent[k] === 'object' && !Array.isArray(parent[k])) (parent[k] as Record<string, unknown>)[key] = nasty;
        else parent[k] = nasty;
      });
    const body: Body = d.body.kind === 'form' && value && typeof value === 'object' && !Array.isArray(value)
      ? { kind: 'form', value: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asParam(v)])) }
      : { kind: 'json', value };
    return { ...d, body, ...(body.kind === 'json' ? { contentType: d.contentType === 'application/x-www-form-urlencoded' ? 'application/json' : d.contentType ?? 'application/json' } : {}), mutations: [...d.mutations, `body ${action} ${label}`] };
  });

/** Every place a body schema names (properties, array items, through oneOf/anyOf), each with a valid value for it. */
interface SchemaPlace {
  at: Array<string | number>;
  schema: Schema;
  value: fc.Arbitrary<unknown>;
}

function schemaPlaces(schema: Schema, ctx: ValueContext, at: Array<string | number> = [], depth = 0): SchemaPlace[] {
  if (depth > 4) return [];
  const places: SchemaPlace[] = at.length ? [{ at, schema, value: validValue(schema, ctx) }] : [];
  for (const branch of [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) places.push(...schemaPlaces(branch, ctx, at, depth + 1).filter((p) => p.at.length > at.length));
  for (const [name, property] of Object.entries(schema.properties ?? {})) places.push(...schemaPlaces(property, ctx, [...at, name], depth + 1));
  if (schema.items) places.push(...schemaPlaces(schema.items, ctx, [...at, 0], depth + 1));
  return places;
}

/** `value` with the place at `at` set (containers created on the way). */
function setAt(value: unknown, at: Array<string | number>, leaf: unknown): unknown {
  const root = (value && typeof value === 'object' && !(value instanceof RawJson) ? cloneKeepingRaw(value) : {}) as Record<string | number, unknown>;
  let parent = root;
  for (const [i, k] of at.slice(0, -1).entries()) {
    const next = parent[k];
    if (!next || typeof next !== 'object') parent[k] = typeof at[i + 1] === 'number' ? [] : {};
    parent = parent[k] as Record<string | number, unknown>;
  }
  parent[at[at.length - 1]!] = leaf;
  return root;
}

/**
 * One field of the body drawn again from its own schema, the rest left as it was: the request
 * stays valid (as far as the schema goes) and the new value reaches the code behind validation,
 * odd text in free-form fields (metadata, config) included.
 */
function bodyRedraw(places: SchemaPlace[]): fc.Arbitrary<Mutation> | undefined {
  if (!places.length) return undefined;
  return fc
    .constantFrom(...places)
    .chain((place) => place.value.map((leaf) => ({ at: place.at, leaf })))
    .map(({ at, leaf }) => (d: Draft): Draft => {
      const current = d.body?.kind === 'json' || d.body?.kind === 'form' ? d.body.value : {};
      return { ...d, body: { kind: 'json', value: setAt(current, at, leaf) }, contentType: 'application/json', mutations: [...d.mutations, `body redrawn /${at.join('/')}`] };
    });
}

/**
 * Every string value and object key of a JSON value: where a code unit can be slipped in
 * without changing the body's shape.
 */
function textPlaces(value: unknown): Array<{ at: Array<string | number>; key: boolean }> {
  const found: Array<{ at: Array<string | number>; key: boolean }> = [];
  const stack: Array<[unknown, Array<string | number>]> = [[value, []]];
  while (stack.length) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string' && at.length) found.push({ at, key: false });
    if (v instanceof RawJson || !v || typeof v !== 'object') continue;
    for (const [k, child] of Array.isArray(v) ? v.entries() : Object.entries(v)) {
      if (typeof k === 'string') found.push({ at: [...at, k], key: true });
      stack.push([child, [...at, k]]);
    }
  }
  return found;
}

/** An unpaired surrogate, NUL or half of a pair slipped into one string or key of the body; nothing else changes. */
const oddText: fc.Arbitrary<Mutation> = fc.tuple(fc.nat(), fc.nat(), ODD_UNITS).map(([pick, offset, unit]) => (d: Draft): Draft => {
  if (d.body?.kind !== 'json') return d;
  const places = textPlaces(d.body.value);
  if (!places.length) return d;
  const { at, key } = places[pick % places.length]!;
  const value = cloneKeepingRaw(d.body.value);
  edit(value, at, (parent, k) => {
    const text = key ? String(k) : String(parent[k]);
    const i = offset % (text.length + 1);
    const changed = text.slice(0, i) + unit + text.slice(i);
    if (!key) parent[k] = changed;
    else {
      parent[changed] = parent[k];
      delete parent[k];
    }
  });
  return { ...d, body: { kind: 'json', value }, mutations: [...d.mutations, `odd text ${JSON.stringify(unit)} in ${key ? 'key ' : ''}/${at.join('/')}`] };
});

/** Values at the edge of a format's grammar: accepted by one reading of it, refused by another. */
const FORMAT_EDGES: Record<string, string[]> = {
  // RFC 3986 takes these; WHATWG URL (what fetches and links) does not, or reads them differently.
  uri: ['http://256.256.256.256/', 'http://999999999999/', 'http://0x100000000/', 'http://93.184.215.14:65536/', 'https:///93.184.215.14/path', 'http://[::1]:0/', 'HTTP://93.184.215.14:/'],
  email: ['a@b', '"quoted local"@example.com', 'user@[127.0.0.1]', 'a..b@example.com', 'ü@example.com'],
  'date-time': ['2025-02-30T00:00:00Z', '2025-12-31T23:59:60Z', '2025-01-01T00:00:00+25:00', '0000-01-01T00:00:00Z', '2025-01-01t00:00:00z'],
};

/** One field with a `format` set to a value at the edge of that format, the rest of the body left as it was. */
function formatEdge(places: SchemaPlace[]): fc.Arbitrary<Mutation> | undefined {
  const formatted = places.filter((p) => p.schema.format && FORMAT_EDGES[p.schema.format]);
  if (!formatted.length) return undefined;
  return fc
    .constantFrom(...formatted)
    .chain((place) => fc.constantFrom(...FORMAT_EDGES[place.schema.format!]!).map((edge) => ({ at: place.at, edge })))
    .map(({ at, edge }) => (d: Draft): Draft => {
      const current = d.body?.kind === 'json' || d.body?.kind === 'form' ? d.body.value : {};
      return { ...d, body: { kind: 'json', value: setAt(current, at, edge) }, contentType: 'application/json', mutations: [...d.mutations, `format edge /${at.join('/')} = ${JSON.stringify(edge)}`] };
    });
}

/**
 * A free-form object of the body (metadata, credentials, config…: no properties of its own) given
 * an entry whose key or value holds an unpaired surrogate; everything else stays valid.
 */
function freeFormSurrogate(places: SchemaPlace[]): fc.Arbitrary<Mutation> | undefined {
  const freeForm = places.filter((p) => !p.schema.properties && p.schema.additionalProperties === true);
  if (!freeForm.length) return undefined;
  const entry = fc.oneof(
    fc.tuple(loneSurrogateText, fc.string({ maxLength: 8 })),
    fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), loneSurrogateText),
  );
  return fc.tuple(fc.constantFrom(...freeForm), entry).map(([place, [key, text]]) => (d: Draft): Draft => {
    const current = d.body?.kind === 'json' ? d.body.value : {};
    let existing: unknown = current;
    for (const k of place.at) existing = existing && typeof existing === 'object' ? (existing as Record<string | number, unknown>)[k] : undefined;
    const object = existing && typeof existing === 'object' && !Array.isArray(existing) ? (cloneKeepingRaw(existing) as Record<string, unknown>) : {};
    object[key] = text;
    return { ...d, body: { kind: 'json', value: setAt(current, place.at, object) }, contentType: 'application/json', mutations: [...d.mutations, `unpaired surrogate in /${place.at.join('/')}`] };
  });
}

const WHOLE_BODIES: Array<[string, () => Buffer]> = [
  ['empty', () => Buffer.alloc(0)],
  ['truncated JSON', () => Buffer.from('{"amount": "1", "currency": ')],
  ['trailing garbage', () => Buffer.from('{"amount":"1"} x')],
  ['BOM before JSON', () => Buffer.from('\ufeff{"amount":"1"}')],
  ['JSON null', () => Buffer.from('null')],
  ['JSON string', () => Buffer.from('"text"')],
  ['JSON number', () => Buffer.from('1e999')],
  ['JSON array', () => Buffer.from('[1,2,3]')],
  ['duplicate keys', () => Buffer.from('{"amount":"1","amount":2,"currency":"USD","currency":null}')],
  ['5000 nested arrays', () => Buffer.from(nested(5000).text)],
  ['20000 nested objects', () => Buffer.from(nested(20000, 'object').text)],
  ['65 nested arrays', () => Buffer.from(nested(65).text)],
  ['escaped lone surrogate', () => Buffer.from('{"description":"\\ud800","metadata":{"\\udfff":"\\udbff"}}')],
  ['escaped NUL', () => Buffer.from('{"description":"a\\u0000b"}')],
  ['invalid UTF-8', () => Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xae, 0x22, 0x7d])],
  ['UTF-8 encoded surrogate', () => Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d])],
  ['over the size limit', () => Buffer.from(JSON.stringify({ description: 'x'.repeat(300_000) }))],
];

const wholeBody: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...WHOLE_BODIES).map(([label, make]) => (d: Draft): Draft => ({ ...d, body: { kind: 'bytes', bytes: make() }, contentType: d.contentType ?? 'application/json', mutations: [...d.mutations, `body: ${label}`] })),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => (d: Draft): Draft => ({ ...d, body: { kind: 'bytes', bytes: Buffer.from(b) }, mutations: [...d.mutations, 'body: random bytes'] })),
);

const contentType: fc.Arbitrary<Mutation> = fc
  .constantFrom(undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/merge-patch+json', 'application/json, text/plain', 'application/', '*/*', 'application/json; charset=latin1')
  .map((type) => (d: Draft): Draft => {
    const body = d.body ?? ({ kind: 'json', value: {} } as Body);
    const { contentType: _dropped, ...rest } = d;
    return { ...rest, body, ...(type !== undefined ? { contentType: type } : {}), mutations: [...d.mutations, `content-type ${type ?? '(none)'}`] };
  });

const contentEncoding: fc.Arbitrary<Mutation> = fc
  .constantFrom('gzip', 'deflate', 'br', 'gzip+', 'deflate+', 'br+', 'identity', 'x-unknown', 'gzip, gzip', 'zstd', 'GZIP', 'compress')
  .map((coding) => (d: Draft): Draft => ({ ...d, body: d.body ?? { kind: 'json', value: {} }, contentType: d.contentType ?? 'application/json', contentEncoding: coding, mutations: [...d.mutations, `content-encoding ${coding}`] }));

/**
 * Nasty strings short enough for a URL: Node answers a request line and headers over 16 KB
 * itself (431), before the app, so those would not test the app.
 */
const nastyUrlString = nastyString.filter((s) => s.length <= 4096);

const RAW_PATH_VALUES = ['%ff', '%zz', '%C0%AE', '%', '%E0%A4%A', '%00', '%ED%A0%80', '%2e%2e', '..', '%2F', 'a%2Fb', '%25', '%u0041', '%F0%9F%98', '%FF%FE'];

const pathParamValue: fc.Arbitrary<Mutation> = fc
  .tuple(fc.nat(), fc.oneof(nastyUrlString.map((value) => ({ value, raw: false })), fc.constantFrom(...RAW_PATH_VALUES).map((value) => ({ value, raw: true }))))
  .map(([pick, replacement]) => (d: Draft): Draft => {
    const names = Object.keys(d.params);
    if (!names.length) return { ...d, pathTail: `/${replacement.raw ? replacement.value : encodeComponent(replacement.value)}`, mutations: [...d.mutations, `path + ${JSON.stringify(replacement.value)}`] };
    const name = names[pick % names.length]!;
    return { ...d, params: { ...d.params, [name]: replacement }, mutations: [...d.mutations, `path {${name}} = ${JSON.stringify(replacement.value)}${replacement.raw ? ' (raw)' : ''}`] };
  });

const pathShape: fc.Arbitrary<Mutation> = fc
  .constantFrom<[string, (p: string) => string]>(['trailing slash', () => '/'], ['extra segment', () => '/extra'], ['double slash', () => '//'], ['dot segment', () => '/..'], ['matrix param', () => ';x=1'])
  .map(([label, tail]) => (d: Draft): Draft => ({ ...d, pathTail: tail(d.pathTail), mutations: [...d.mutations, `path ${label}`] }));

const RAW_QUERY_VALUES = ['%ff', '%zz', '%', '%00', '%ED%A0%80', '%C0%AE', '', '=', '&&', '%26'];

const queryParam: fc.Arbitrary<Mutation> = fc
  .tuple(fc.nat(), fc.constantFrom('replace', 'unknown', 'repeat', 'raw'), nastyUrlString, fc.constantFrom(...RAW_QUERY_VALUES))
  .map(([pick, action, nasty, raw]) => (d: Draft): Draft => {
    const names = d.op.parameters.filter((p) => p.in === 'query').map((p) => p.name);
    const name = names.length ? names[pick % names.length]! : 'limit';
    const query = d.query.filter((q) => action === 'repeat' || q.name !== name);
    if (action === 'unknown') query.push({ name: nasty || 'x', value: 'y' });
    else if (action === 'raw') query.push({ name, value: raw, raw: true });
    else query.push({ name, value: nasty });
    return { ...d, query, mutations: [...d.mutations, `query ${action} ${name}`] };
  });

function authMutation(all: string[]): fc.Arbitrary<Mutation> {
  return fc.constantFrom(undefined, ...all).map((auth) => (d: Draft): Draft => {
    const { authorization: _dropped, ...headers } = d.headers;
    return { ...d, headers: auth === undefined ? headers : { ...headers, authorization: auth }, mutations: [...d.mutations, `authorization ${auth === undefined ? '(none)' : auth.slice(0, 24)}`] };
  });
}

const HEADER_VALUES = ['', ' ', 'x'.repeat(256), 'x'.repeat(3000), 'ÿþ\u00a0', 'a,b', 'fuzz-shared-key', 'null', '../', '%00'];

const header: fc.Arbitrary<Mutation> = fc
  .tuple(fc.constantFrom('idempotency-key', 'idempotency-key', 'accept', 'accept-language', 'x-request-id', 'x-forwarded-for', 'origin'), fc.oneof(fc.constantFrom(...HEADER_VALUES), fc.string({ unit: 'binary-ascii', maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''))))
  .map(([name, value]) => (d: Draft): Draft => ({ ...d, headers: { ...d.headers, [name]: value }, mutations: [...d.mutations, `header ${name}: ${JSON.stringify(value.slice(0, 20))}`] }));

function methodMutation(): fc.Arbitrary<Mutation> {
  return fc.constantFrom('get', 'post', 'put', 'patch', 'delete', 'head', 'options').map((method) => (d: Draft): Draft => ({ ...d, method, mutations: [...d.mutations, `method ${method.toUpperCase()}`] }));
}

/**
 * Every mutation that applies to an operation, weighted. The ones derived from the body schema
 * (a field drawn again, a format's edge, an unpaired surrogate in a free-form object) keep the
 * rest of the request valid, so what they change reaches the code behind validation.
 */
export function mutationsFor(op: Operation, values: ValueContext, credentials: string[]): fc.Arbitrary<Mutation> {
  const places = op.body?.contentTypes.includes('application/json') ? schemaPlaces(op.body.schema, values) : [];
  const redraw = bodyRedraw(places);
  const edge = formatEdge(places);
  const surrogate = freeFormSurrogate(places);
  return fc.oneof(
    ...(redraw ? [{ weight: 6, arbitrary: redraw }] : []),
    ...(edge ? [{ weight: 8, arbitrary: edge }] : []),
    ...(surrogate ? [{ weight: 8, arbitrary: surrogate }] : []),
    { weight: 6, arbitrary: bodyField },
    { weight: 4, arbitrary: oddText },
    { weight: 2, arbitrary: wholeBody },
    { weight: 1, arbitrary: contentType },
    { weight: 1, arbitrary: contentEncoding },
    { weight: 3, arbitrary: pathParamValue },
    { weight: 1, arbitrary: pathShape },
    { weight: 2, arbitrary: queryParam },
    { weight: 2, arbitrary: authMutation(credentials) },
    { weight: 2, arbitrary: header },
    { weight: 1, arbitrary: methodMutation() },
  );
}
