import { randomUUID } from 'node:crypto';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

declare module 'express-serve-static-core' {
  interface Request {
    /** The request's id: the caller's valid X-Request-Id, else a new one; echoed as X-Request-Id and in problems. */
    id: string;
    /** A logger bound to the request's id (made on first use). */
    log: Logger;
  }
}

const REQUEST_ID = /^[\w.-]{1,128}$/;
const childLoggers = new WeakMap<Request, Logger>();

/**
 * Request ids and one log line per finished request: 5xx at error, 4xx at info, the rest at
 * debug, with method, path, status and duration (never headers: they carry credentials).
 * Nothing is serialised unless the line's level is enabled and no per-request child logger is
 * made unless something logs through `req.log` — pino-http did both on every request, which
 * cost several per cent of the API's CPU under load.
 */
export function requestLogging(app: Express, logger: Logger) {
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Request): Logger {
      let child = childLoggers.get(this);
      if (!child) childLoggers.set(this, (child = logger.child({ req_id: this.id })));
      return child;
    },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers['x-request-id'];
    req.id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : `req_${randomUUID().replaceAll('-', '')}`;
    res.setHeader('X-Request-Id', req.id);
    const started = performance.now();
    res.once('close', () => {
      const finished = res.writableFinished;
      const level = !finished || res.statusCode < 400 ? (finished ? 'debug' : 'info') : res.statusCode >= 500 ? 'error' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        { req: { id: req.id, method: req.method, url: req.originalUrl }, res: { statusCode: res.statusCode }, responseTime: Math.round(performance.now() - started) },
        finished ? 'request completed' : 'request aborted',
      );
    });
    next();
  };
}
