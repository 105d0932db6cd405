import fc from 'fast-check';
import type { Schema } from './spec.js';

/** JSON text spliced in as is when a body is written: nesting no JS value could be serialized with. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** A body value as JSON text; RawJson fragments are spliced in. */
export function toJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/**
 * What valid values draw on: real objects' ids (most ids should name something; the lists grow
 * as the run creates objects) and URLs that never leave the machine.
 */
export interface ValueContext {
  ids(prefix: string): string[];
  urls: string[];
  /** Values the server accepts for a pattern the schema cannot narrow further (the currency table, amounts within every currency's decimals). */
  known?(pattern: string): string[] | undefined;
}

/** One of a list that may grow during the run, picked when the value is drawn; `fallback` while it is empty. */
export function oneOfLive(list: string[], fallback: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.nat().chain((i) => (list.length ? fc.constant(list[i % list.length]!) : fallback));
}

const ID_PREFIX = /^\^([a-z]+)_/;

function weighted<T>(...choices: Array<[number, fc.Arbitrary<T>]>): fc.Arbitrary<T> {
  return fc.oneof(...choices.filter(([w]) => w > 0).map(([weight, arbitrary]) => ({ weight, arbitrary })));
}

function withExample<T>(schema: Schema, generated: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return schema.example === undefined ? generated : weighted<T>([3, fc.constant(schema.example as T)], [2, generated]);
}

function stringValue(schema: Schema, ctx: ValueContext): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.max(min, Math.min(schema.maxLength ?? 40, min + 40));
  if (schema.format === 'uri') return fc.constantFrom(...ctx.urls);
  if (schema.format === 'email') return fc.constantFrom('buyer@example.com', 'a.b+c@shop.invalid');
  if (schema.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'byte') return fc.uint8Array({ maxLength: 16 }).map((b) => Buffer.from(b).toString('base64'));
  if (schema.pattern) {
    const matching = fc.stringMatching(new RegExp(schema.pattern), { size: 'small' }).filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Infinity));
    const prefix = ID_PREFIX.exec(schema.pattern)?.[1];
    if (prefix) return weighted<string>([4, oneOfLive(ctx.ids(prefix), matching)], [1, withExample(schema, matching)]);
    const known = ctx.known?.(schema.pattern);
    if (known?.length) return weighted<string>([3, fc.constantFrom(...known)], [1, withExample(schema, matching)]);
    return withExample(schema, matching);
  }
  return withExample(schema, freeText(min, max));
}

/** Code units that are text to JavaScript but that PostgreSQL cannot store: a schema's `string` allows them. */
export const ODD_UNITS = fc.constantFrom('\ud800', '\udfff', '\u0000', '\ud83d', '\ude00');

/** A short text with one unpaired surrogate in it. */
export const loneSurrogateText: fc.Arbitrary<string> = fc
  .tuple(fc.string({ maxLength: 4 }), fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff'), fc.string({ maxLength: 4 }))
  .map(([a, unit, b]) => a + unit + b);

/** Halves of surrogate pairs only: generated text that is otherwise fine (NUL is refused earlier, and would hide them). */
const SURROGATE_HALVES = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', '\ud83d', '\ude00');

/**
 * Free text within the length bounds: mostly printable, sometimes any code point, and sometimes
 * with code units a database refuses (an unpaired surrogate, NUL) — all of it what the schema allows.
 */
function freeText(min: number, max: number, odd = 2): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.string({ minLength: min, maxLength: max }) },
    { weight: 2, arbitrary: fc.string({ minLength: min, maxLength: max, unit: 'binary' }) },
    { weight: odd, arbitrary: fc.string({ minLength: min, maxLength: max, unit: fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 1 }) }, { weight: 1, arbitrary: SURROGATE_HALVES }) }) },
  );
}

/** Any JSON value a free-form object (metadata, config) may hold; odd text is frequent, since jsonb is where it bites. */
const freeJson: fc.Arbitrary<unknown> = fc.oneof({ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }, { weight: 1, arbitrary: freeText(0, 12, 8) });

function objectValue(schema: Schema, ctx: ValueContext, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  let generated: fc.Arbitrary<Record<string, unknown>>;
  if (names.length) {
    const model = Object.fromEntries(names.map((n) => [n, validValue(properties[n]!, ctx, depth + 1)]));
    const required = names.filter((n) => schema.required?.includes(n));
    const optional = names.filter((n) => !required.includes(n));
    // Mostly a few optional fields: each one is another rule to break, and a body that keeps
    // nothing valid tests only the first check.
    const count = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: Math.min(2, optional.length) }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: optional.length }) });
    const chosen = count.chain((n) => fc.shuffledSubarray(optional, { minLength: n, maxLength: n }));
    generated = chosen.chain((keys) => fc.record(Object.fromEntries([...required, ...keys].map((n) => [n, model[n]!]))) as fc.Arbitrary<Record<string, unknown>>);
  } else if (schema.additionalProperties) {
    const values = typeof schema.additionalProperties === 'object' ? validValue(schema.additionalProperties, ctx, depth + 1) : freeJson;
    // The document's example only now and then: a free-form object's own content is what matters here.
    return weighted<unknown>([1, fc.constant(schema.example ?? {})], [3, fc.dictionary(freeText(1, 12, 8), values, { minKeys: 1, maxKeys: 4 })]);
  } else {
    generated = fc.constant({});
  }
  if (schema.minProperties) generated = generated.filter((o) => Object.keys(o).length >= schema.minProperties!);
  return withExample(schema, generated);
}

/**
 * A value the schema accepts (mostly: cross-field rules and the ones only the server knows, like
 * a currency's decimals, are left to chance; examples from the document are drawn often, so
 * most creates succeed).
 */
export function validValue(schema: Schema, ctx: ValueContext, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 8) return fc.constant(schema.example ?? null);
  const value = ((): fc.Arbitrary<unknown> => {
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const branches = schema.oneOf ?? schema.anyOf;
    if (branches?.length) return fc.oneof(...branches.map((b) => validValue(b, ctx, depth + 1)));
    if (schema.allOf?.length) {
      const merged: Schema = { type: 'object', properties: {}, required: [] };
      for (const part of schema.allOf) {
        Object.assign(merged.properties!, part.properties);
        merged.required!.push(...(part.required ?? []));
      }
      return objectValue(merged, ctx, depth);
    }
    switch (schema.type) {
      case 'string':
        return stringValue(schema, ctx);
      case 'integer':
        return withExample(schema, fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1_000_000 }));
      case 'number':
        return withExample(schema, fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true }));
      case 'boolean':
        return fc.boolean();
      case 'array': {
        const min = schema.minItems ?? 0;
        const constraints = { minLength: min, maxLength: Math.max(min, Math.min(schema.maxItems ?? 3, min + 3)) };
        const items = validValue(schema.items ?? {}, ctx, depth + 1);
        return withExample(schema, schema.uniqueItems ? fc.uniqueArray(items, { ...constraints, selector: (v) => JSON.stringify(v) }) : fc.array(items, constraints));
      }
      case 'object':
        return objectValue(schema, ctx, depth);
      default:
        return schema.properties ? objectValue(schema, ctx, depth) : withExample(schema, freeJson);
    }
  })();
  return schema.nullable ? weighted<unknown>([1, fc.constant(null)], [6, value]) : value;
}

/** `depth` levels of arrays (or objects) as JSON text. */
export const nested = (depth: number, kind: 'array' | 'object' = 'array') =>
  new RawJson(kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

/** Strings that have broken servers: lone surrogates, NUL, huge, odd URLs and numbers, injections. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\ud800',
    'a\udc00b',
    '\udbff\udfff\ud800',
    '\u0000',
    'a\u0000b',
    '%00',
    '%ff',
    '\uffff',
    '\ufeff',
    '😀',
    '\u202e\u0645',
    'null',
    'true',
    '0',
    '-1',
    '1e3',
    'NaN',
    'Infinity',
    ' 9.99 ',
    '9.999999999999999999',
    '00.10',
    '999999999999999999999999999999',
    'usd',
    'USD',
    'BTC-LN',
    '<script>alert(1)</script>',
    "' OR 1=1--",
    '../../etc/passwd',
    '__proto__',
    'http://256.256.256.256/',
    'http://999999999999/',
    'http://[::1]/',
    'http://127.0.0.1:1/',
    'http://169.254.169.254/latest/meta-data',
    'http://localhost/',
    'https://user:pass@93.184.215.14/',
    'javascript:alert(1)',
    'mailto:',
    'https://',
    'http://a b/',
    'ftp://93.184.215.14/',
    'inv_00000000000000000000000000',
    'ga_ZZZZZZZZZZZZZZZZZZZZZZZZZZ',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(255, 256, 1024, 1025, 2048, 2049, 4097, 70_000).map((n) => 'x'.repeat(n)),
);

/** Any JSON value of the wrong kind, at the edges, or nested past any sane depth. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, -0, 2 ** 31, 2 ** 53, -(2 ** 53), 1e21, 1e308, [], {}, [1, 'a'], { a: 1 }, [null], { '\ud800': 1 }, { 'k\u0000': 'v' }),
  },
  { weight: 1, arbitrary: fc.constantFrom(5, 63, 64, 65, 200, 5000).chain((d) => fc.constantFrom(nested(d), nested(d, 'object'))) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);
