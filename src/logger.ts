import { pino, type Logger } from 'pino';

/** Paths pino replaces with "[redacted]": credentials must never reach a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  // Telegram's webhook secret arrives as a header on /hooks/stars/….
  'req.headers["x-telegram-bot-api-secret-token"]',
  'res.headers["set-cookie"]',
  '*.secret',
  '*.token',
  '*.api_key',
  '*.api_secret',
  '*.webhook_secret',
  '*.bot_token',
  '*.password',
  '*.credentials',
  '*.key_hash',
  'credentials',
  'secret',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { service: 'switchyard' } }, destination);
}
