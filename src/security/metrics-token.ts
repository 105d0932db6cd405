import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer +(\S+) *$/i;
const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * May this request read /metrics? Always when no METRICS_TOKEN is set; otherwise only with
 * `Authorization: Bearer <token>`. Both sides are hashed first, so the comparison takes the same
 * time whatever the sent value's length or content.
 */
export function metricsAuthorized(authorization: string | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  const sent = BEARER.exec(authorization ?? '')?.[1];
  return sent !== undefined && timingSafeEqual(digest(sent), digest(token));
}
