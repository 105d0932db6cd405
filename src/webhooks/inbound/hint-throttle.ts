import type { Redis } from 'ioredis';

/**
 * How often an unsigned webhook hint may make us ask the upstream about one upstream invoice: at
 * most once per window, shared by every worker through Redis. Anyone can post hints, so without
 * this a flood of them would become a flood of status queries. A hint that finds the window taken
 * brings the invoice's reconciliation forward to the window's end instead, so a genuine hint that
 * arrives in the middle of a flood is still acted on, only a few seconds later.
 */
export const HINT_WINDOW_MS = 5_000;

export interface HintThrottle {
  /** True when this hint may ask the upstream now (and takes the window); false while another one has it. */
  take(accountId: string, upstreamId: string): Promise<boolean>;
}

export function createHintThrottle(redis: Redis, keyPrefix: string, windowMs = HINT_WINDOW_MS): HintThrottle {
  return {
    async take(accountId, upstreamId) {
      try {
        return (await redis.set(`${keyPrefix}:hint:${accountId}:${upstreamId}`, '1', 'PX', windowMs, 'NX')) === 'OK';
      } catch {
        // Without Redis the queue that feeds us is down too; asking is the safe side.
        return true;
      }
    },
  };
}
