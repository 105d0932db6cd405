import type { FieldError } from './problem.js';

/** An ajv error as openapi-backend hands it over (ajv runs with `verbose`: the schema and value come along). */
export interface AjvError {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
  parentSchema?: SchemaHints;
  data?: unknown;
}

interface SchemaHints {
  description?: string;
  example?: unknown;
  oneOf?: SchemaHints[];
  properties?: Record<string, { enum?: unknown[] }>;
  discriminator?: { propertyName?: string };
  pattern?: string;
}

const list = (values: unknown[]) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');

/** The first sentence of a schema's description, without Markdown code marks or example lists. */
function firstSentence(description: string): string {
  const sentence = description.replace(/\s+/g, ' ').trim().split(/(?<=\.)\s/)[0]!;
  return sentence.replaceAll('`', '').replace(/\s*\([^)]*"[^)]*\)\.?$/, '').replace(/\.$/, '');
}

function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return false;
  }
}

/**
 * A pattern error that says what is expected: the schema's example and the first sentence of
 * its description; a code sent in lower case is told to use upper case.
 */
function patternMessage(e: AjvError): string {
  const schema = e.parentSchema ?? {};
  const pattern = String(e.params.pattern ?? schema.pattern ?? '');
  const value = e.data;
  if (typeof value === 'string' && value !== value.toUpperCase() && pattern && matches(pattern, value.toUpperCase())) {
    return `use the upper-case code, e.g. ${value.toUpperCase()}`;
  }
  const expected = schema.example !== undefined ? `must look like ${JSON.stringify(schema.example)}` : `must match pattern "${pattern}"`;
  return schema.description ? `${expected} (${lowerFirst(firstSentence(schema.description))})` : expected;
}

const FORMATS: Record<string, string> = { uri: 'an absolute URL', email: 'an email address', 'date-time': 'an RFC 3339 timestamp' };

/** A format error naming the format in words, with the schema's example. */
function formatMessage(e: AjvError): string {
  const format = String(e.params.format);
  const example = e.parentSchema?.example;
  return `must be ${FORMATS[format] ?? `a valid ${format}`}${typeof example === 'string' ? `, e.g. ${example}` : ''}`;
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** The values a discriminator (the gateway account's `connector`) takes: each variant's enum. */
function discriminatorValues(schema: SchemaHints | undefined, tag: string): unknown[] {
  return (schema?.oneOf ?? []).flatMap((variant) => variant.properties?.[tag]?.enum ?? []);
}

/**
 * A body chosen by a discriminator (the gateway account's `connector`) that names no variant:
 * reported as the plain field error a single schema would give.
 */
function discriminatorError(at: string, e: AjvError): FieldError {
  const tag = String(e.params.tag);
  const value = e.params.tagValue;
  const field = `${at}/${tag}`.replace('//', '/');
  if (value === undefined) return { field, message: `must have required property '${tag}'`, code: 'required' };
  if (typeof value !== 'string') return { field, message: 'must be string', code: 'type' };
  const allowed = discriminatorValues(e.parentSchema, tag);
  return { field, message: allowed.length ? `must be one of: ${list(allowed)}` : 'must be equal to one of the allowed values', code: 'enum' };
}

/** ajv's errors as our field errors: `/body/amount`, `/query/limit`, … each saying what is allowed. */
export function toFieldErrors(errors: AjvError[]): FieldError[] {
  return tidyBranchErrors(
    errors.map((e): FieldError => {
      const at = e.instancePath.replace(/^\/requestBody/, '/body') || '/body';
      const below = (key: unknown) => `${at}/${String(key)}`.replace('//', '/');
      switch (e.keyword) {
        case 'additionalProperties':
          return { field: below(e.params.additionalProperty), message: 'is not a known field', code: e.keyword };
        case 'required':
          // openapi-backend wraps the body as `requestBody`: missing means nothing was sent.
          if (e.instancePath === '' && e.params.missingProperty === 'requestBody') return { field: '/body', message: 'the body is empty: send a JSON object', code: e.keyword };
          return { field: below(e.params.missingProperty), message: e.message ?? 'is required', code: e.keyword };
        case 'discriminator':
          return discriminatorError(at, e);
        case 'enum':
          return { field: at, message: `must be one of: ${list((e.params.allowedValues as unknown[] | undefined) ?? [])}`, code: e.keyword };
        case 'pattern':
          return { field: at, message: patternMessage(e), code: e.keyword };
        case 'format':
          return { field: at, message: formatMessage(e), code: e.keyword };
        default:
          return { field: at, message: e.message ?? 'is invalid', code: e.keyword };
      }
    }),
  );
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
