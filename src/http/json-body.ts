import express, { type NextFunction, type Request, type Response } from 'express';
import { ApiError } from './problem.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The exact bytes received; what webhook signatures are checked over. */
    rawBody?: Buffer;
  }
}

const JSON_TYPE = /^application\/([\w.+-]+\+)?json$/i;

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
      if (!bytes || bytes.length === 0) return next();
      req.rawBody = bytes;
      const type = (req.get('content-type') ?? '').split(';')[0]!.trim();
      if (!JSON_TYPE.test(type)) {
        return next(new ApiError('unsupported_media_type', `Send the body as application/json (got ${type || 'no Content-Type'})`));
      }
      try {
        req.body = JSON.parse(bytes.toString('utf8'));
      } catch (err) {
        return next(new ApiError('malformed_json', `The body is not valid JSON: ${(err as Error).message}`));
      }
      next();
    },
  ];
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
