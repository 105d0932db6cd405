import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { badResponse } from './failures.js';

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

/** Raw webhook bytes → JSON → schema; throws WebhookBodyError naming what is wrong. */
export function parseWebhookBody<S extends z.ZodType>(schema: S, rawBody: Buffer): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch (err) {
    throw new WebhookBodyError(`body is not JSON: ${(err as Error).message}`);
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new WebhookBodyError(`body does not have the expected shape: ${describeIssues(result.error)}`);
  return result.data;
}

/** A JSON object (not null, not an array). */
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * A money amount as an upstream sends it: a decimal string, or a JSON number. A number is turned
 * into the plain decimal text of the shortest value that round-trips (what the upstream wrote,
 * for every amount with up to 15 significant digits), never into exponent notation.
 */
export const upstreamAmount = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const text = typeof v === 'number' ? (Number.isFinite(v) ? new Decimal(String(v)).toFixed() : '') : v.trim();
  if (!DECIMAL.test(text)) {
    ctx.addIssue({ code: 'custom', message: `is not a decimal amount: ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return text;
});

/** An id that upstreams document as a string but send as a number, or the other way round. */
export const upstreamId = z.union([z.string().min(1), z.number().int()]).transform(String);

/** Optional fields that upstreams send as `null` as often as they leave them out. */
export const optional = <S extends z.ZodType>(schema: S) => schema.nullish().transform((v) => v ?? undefined);
