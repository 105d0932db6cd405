import type { InboundWebhookRequest } from './types.js';

/** A request header by name, whatever case the stored headers use. */
export function headerOf(request: InboundWebhookRequest, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(request.headers)) if (k.toLowerCase() === lower && v !== undefined) return v;
  return undefined;
}
