import express, { type NextFunction, type Request, type Response } from 'express';
import { ValidationError } from '../domain/errors.js';
import { ApiError } from './problem.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.js';
import { unstorableTextError } from './storable-text.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The exact bytes received; what webhook signatures are checked over. */
    rawBody?: Buffer;
  }
}

const JSON_TYPE = /^application\/([\w.+-]+\+)?json$/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded$/i;

/** What body-parser inflates (express.raw's `inflate`); anything else is refused with a 415. */
const CONTENT_CODINGS = 'identity, gzip, deflate or br';

/**
 * A body whose bytes do not decode as its Content-Encoding says (plain JSON labelled gzip, a
 * cut stream): zlib's own error carries no body-parser `type`, so it is recognised here.
 */
function decodingError(req: Request, err: unknown): unknown {
  const coding = (req.get('content-encoding') ?? 'identity').trim().toLowerCase();
  const e = err as { type?: string };
  if (!err || e.type !== undefined || coding === 'identity') return err;
  return new ApiError('malformed_json', `The body is not ${coding} data although its Content-Encoding says so: send it uncompressed, or really compressed with ${coding}`);
}

/**
 * Reads every body as raw bytes (kept on req.rawBody), then parses JSON ourselves so that
 * the wrong content type, broken JSON, oversize bodies, bodies nested too deep and text
 * PostgreSQL cannot store each get their own problem answer.
 */
export function jsonBody(limit: string) {
  const raw = express.raw({ type: () => true, limit });
  return [
    (req: Request, res: Response, next: NextFunction) => raw(req, res, (err?: unknown) => next(decodingError(req, err))),
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
        return next(unstorableTextError(req.body, '/body'));
      }
      if (!JSON_TYPE.test(type)) {
        return next(new ApiError('unsupported_media_type', `Send the body as application/json (got ${type || 'no Content-Type'})`));
      }
      const text = bytes.toString('utf8');
      if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
        return next(new ValidationError([{ field: '/body', message: `must not nest objects and arrays deeper than ${MAX_JSON_DEPTH} levels`, code: 'too_deep' }]));
      }
      try {
        req.body = JSON.parse(text);
      } catch (err) {
        return next(new ApiError('malformed_json', `The body is not valid JSON: ${(err as Error).message}`));
      }
      next(unstorableTextError(req.body, '/body'));
    },
  ];
}

/** Maps body-parser's own errors (size, encoding, aborted) to problem answers. */
export function bodyParserError(err: unknown): ApiError | undefined {
  const e = err as { type?: string; status?: number; limit?: number; encoding?: string };
  switch (e.type) {
    case 'entity.too.large':
      return new ApiError('payload_too_large', `The body is larger than the ${e.limit ?? ''} byte limit`.replace('  ', ' '));
    case 'encoding.unsupported':
      return new ApiError('unsupported_media_type', `Content-Encoding ${e.encoding ?? ''} is not supported: send the body as ${CONTENT_CODINGS}`.replace('  ', ' '));
    case 'charset.unsupported':
      return new ApiError('unsupported_media_type', 'Unsupported body charset: send UTF-8');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new ApiError('malformed_json', 'The request body could not be read');
    default:
      return undefined;
  }
}
