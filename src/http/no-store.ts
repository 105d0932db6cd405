import type { Response } from 'express';

/**
 * For an answer that carries a secret shown only once (a webhook endpoint's `whsec_`, an API
 * key's `sy_`): no browser, proxy or client cache may keep a copy.
 */
export function noStore(res: Response): void {
  res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
}
