// TEMPORARY adapter while connectors move onto the kit (kit/http.ts); removed once all have moved.
import type { UpstreamHttp as KitHttp, UpstreamResponse } from './kit/http.js';

export type { UpstreamResponse };

export interface UpstreamHttp {
  send(opts: { method: 'GET' | 'POST'; url: string; headers?: Record<string, string>; body?: unknown; timeoutMs?: number }): Promise<UpstreamResponse>;
}

export function legacyHttp(http: KitHttp): UpstreamHttp {
  return { send: (o) => http.send({ ...o, body: o.body === undefined ? undefined : JSON.stringify(o.body) }) };
}
