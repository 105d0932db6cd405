import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Follows one Redis pub/sub channel on a connection of its own (a subscribed connection can do
 * nothing else): commands are queued until it connects, ioredis subscribes again after a
 * reconnect, and `onReady` runs at every (re)connect, for whatever was published meanwhile.
 * `subject` names what is followed in the log ("cache invalidations").
 */
export function followChannel(
  redis: Redis,
  channel: string,
  opts: { subject: string; logger: Logger; onMessage(message: string): void; onReady?(): void },
): { close(): void } {
  const subscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
  subscriber.on('error', (err: Error) => opts.logger.debug({ err: err.message }, `${opts.subject}: subscription error`));
  subscriber.on('message', (_channel: string, message: string) => opts.onMessage(message));
  if (opts.onReady) subscriber.on('ready', opts.onReady);
  subscriber.subscribe(channel).catch((err: Error) => opts.logger.warn({ err: err.message }, `cannot follow ${opts.subject}`));
  return { close: () => subscriber.disconnect() };
}
