import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { badResponse } from './failures.js';
import { isJsonNumber, standardJson, type JsonCodec, type JsonNumber } from './json.js';

/** `/a/b/0` for a zod issue path: the same pointer style as our API's field errors. */
export function pointer(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p) => `/${String(p)}`).join('') || '/';
}

/** One line per problem, each naming the field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${pointer(i.path)}: ${i.message}`).join('; ');
}

/**
 * An upstream's answer read through its schema: a wrong shape is a (retryable) integration
 * failure naming the field, never a crash further down or a silent `undefined`.
 */
export function parseAnswer<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw badResponse(`${what}: unexpected answer: ${describeIssues(result.error)}`);
  return result.data;
}

/** A verified webhook body that does not have the documented shape: kept for a human, never retried. */
export class WebhookBodyError extends Error {
  override name = 'WebhookBodyError';
}

/**
 * Raw webhook bytes → JSON → schema; throws WebhookBodyError naming what is wrong. `json` reads
 * the text: `losslessJson` for upstreams whose amounts are JSON numbers.
 */
export function parseWebhookBody<S extends z.ZodType>(schema: S, rawBody: Buffer, json: JsonCodec = standardJson): z.output<S> {
  let value: unknown;
  try {
    value = json.parse(rawBody.toString('utf8'));
  } catch (err) {
    throw new WebhookBodyError(`body is not JSON: ${(err as Error).message}`);
  }
  const result = schema.safeParse(value);
  if (!result.success) throw new WebhookBodyError(`body does not have the expected shape: ${describeIssues(result.error)}`);
  return result.data;
}

/** A JSON object (not null, not an array). */
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const DECIMAL = /^-?\d+(\.\d+)?$/;
/** A JSON number's text in exponent form, with an exponent small enough to write out in full. */
const EXPONENT_FORM = /^-?\d+(\.\d+)?[eE][+-]?(\d{1,2})$/;

/** A JSON number as it came (`losslessJson`), checked to be one. */
const jsonNumberValue = z.custom<JsonNumber>(isJsonNumber, { error: 'is not a JSON number' });

/** Exact number text → plain decimal text: as written, or an exponent form written out (`1e-9` → `0.000000001`). */
function plainDecimal(text: string): string {
  return EXPONENT_FORM.test(text) ? new Decimal(text).toFixed() : text;
}

/**
 * A money amount as an upstream sends it: a decimal string, or a JSON number. A number read with
 * `losslessJson` keeps its exact text, whatever its digits (`123456.123456789`, `0.000000001`, 17+
 * significant digits); a plain JS number becomes the plain decimal text of the shortest value that
 * round-trips (what the upstream wrote, for amounts of up to 15 significant digits). Never
 * exponent notation.
 */
export const upstreamAmount = z.union([z.string(), z.number(), jsonNumberValue]).transform((v, ctx) => {
  const text = isJsonNumber(v) ? plainDecimal(v.value) : typeof v === 'number' ? (Number.isFinite(v) ? new Decimal(String(v)).toFixed() : '') : v.trim();
  if (!DECIMAL.test(text)) {
    ctx.addIssue({ code: 'custom', message: `is not a decimal amount: ${isJsonNumber(v) ? v.value : JSON.stringify(v)}` });
    return z.NEVER;
  }
  return text;
});

/** A JSON number that is a whole number, as its digits. */
const jsonInteger = jsonNumberValue.refine((n) => /^-?\d+$/.test(n.value), { error: 'is not a whole number' }).transform((n) => n.value);

/** An id that upstreams document as a string but send as a number (exact, however long, with `losslessJson`), or the other way round. */
export const upstreamId = z.union([z.string().min(1), z.number().int(), jsonInteger]).transform(String);

/** Optional fields that upstreams send as `null` as often as they leave them out. */
export const optional = <S extends z.ZodType>(schema: S) => schema.nullish().transform((v) => v ?? undefined);
