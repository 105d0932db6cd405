import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './problem.js';
import { unstorableTextError } from './storable-text.js';

/** Whether every `%` of the path starts an escape that decodes to well-formed UTF-8. */
function decodesCleanly(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks the URL before any route sees it. A path whose percent-encoding does not decode
 * (`%ff`, `%zz`, an overlong `%C0%AE`) names nothing we have: 404, like any unknown id (the
 * router would otherwise fail decoding its parameters). Query strings and path segments get
 * the same storable-text check as bodies (a NUL in `%00`).
 */
export function checkRequestUrl(req: Request, _res: Response, next: NextFunction) {
  if (!decodesCleanly(req.path)) return next(new ApiError('not_found', `No route for ${req.method} ${req.path}: its percent-encoding is not valid UTF-8`));
  if (/%00/.test(req.path)) return next(unstorableTextError('\u0000', '/path'));
  next(unstorableTextError(req.query, '/query'));
}
