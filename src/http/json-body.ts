import express, { type NextFunction, type Request, type Response } from 'express';
import { ValidationError } from '../domain/errors.js';
import { ApiError } from './problem.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The exact bytes received; what webhook signatures are checked over. */
    rawBody?: Buffer;
  }
}

const JSON_TYPE = /^application\/([\w.+-]+\+)?json$/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded$/i;

/** The answer for a NUL character found at `field`. */
const nulCharacterAt = (field: string) =>
  new ValidationError([{ field, message: 'must not contain the NUL character (\\u0000)', code: 'nul_character' }]);

/**
 * Reads every body as raw bytes (kept on req.rawBody), then parses JSON ourselves so that
 * the wrong content type, broken JSON and oversize bodies each get their own problem answer.
 */
export function jsonBody(limit: string) {
  const raw = express.raw({ type: () => true, limit });
  return [
    raw,
    (req: Request, _res: Response, next: NextFunction) => {
      const bytes = Buffer.isBuffer(req.body) ? req.body : undefined;
      req.body = undefined;
      // Upstream webhooks are verified over the exact bytes, whatever they are: nothing is parsed here.
      if (req.path.startsWith('/hooks/')) {
        req.rawBody = bytes ?? Buffer.alloc(0);
        return next();
      }
      if (!bytes || bytes.length === 0) return next();
      req.rawBody = bytes;
      const type = (req.get('content-type') ?? '').split(';')[0]!.trim();
      // The checkout page's forms (choosing, test-mode buttons) work without JavaScript: plain form posts.
      if (FORM_TYPE.test(type) && req.path.startsWith('/checkout/')) {
        req.body = Object.fromEntries(new URLSearchParams(bytes.toString('utf8')));
        const at = findNulCharacter(req.body, '/body');
        return next(at ? nulCharacterAt(at) : undefined);
      }
      if (!JSON_TYPE.test(type)) {
        return next(new ApiError('unsupported_media_type', `Send the body as application/json (got ${type || 'no Content-Type'})`));
      }
      try {
        req.body = JSON.parse(bytes.toString('utf8'));
      } catch (err) {
        return next(new ApiError('malformed_json', `The body is not valid JSON: ${(err as Error).message}`));
      }
      const at = findNulCharacter(req.body, '/body');
      if (at) return next(nulCharacterAt(at));
      next();
    },
  ];
}

/**
 * PostgreSQL text cannot hold U+0000, so a NUL anywhere in the input would fail at the database:
 * refuse it up front, naming where it is.
 */
export function findNulCharacter(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findNulCharacter(item, `${path}/${i}`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return `${path}/${key.replaceAll('\u0000', '')}`;
      const found = findNulCharacter(item, `${path}/${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/** Query strings and path segments get the same NUL check as bodies. */
export function rejectNulInUrl(req: Request, _res: Response, next: NextFunction) {
  const at = findNulCharacter(req.query, '/query') ?? (/%00/.test(req.path) ? '/path' : undefined);
  if (at) return next(nulCharacterAt(at));
  next();
}

/** Maps body-parser's own errors (size, encoding, aborted) to problem answers. */
export function bodyParserError(err: unknown): ApiError | undefined {
  const e = err as { type?: string; status?: number; limit?: number };
  switch (e.type) {
    case 'entity.too.large':
      return new ApiError('payload_too_large', `The body is larger than the ${e.limit ?? ''} byte limit`.replace('  ', ' '));
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError('unsupported_media_type', 'Unsupported body encoding or charset');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new ApiError('malformed_json', 'The request body could not be read');
    default:
      return undefined;
  }
}
