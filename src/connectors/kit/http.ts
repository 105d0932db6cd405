import { request, type Dispatcher } from 'undici';
import { networkFailure } from './failures.js';

export interface UpstreamResponse {
  status: number;
  text: string;
  /** The body parsed as JSON (by the API client's codec, where it has one), or undefined when it is not JSON. */
  json: unknown;
}

export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** Sent as is, as application/json: connectors that sign the body sign exactly these bytes. */
  body?: string;
  timeoutMs?: number;
  /** Cuts the request short (a long poll stopped at shutdown); it then fails like a timeout. */
  signal?: AbortSignal;
}

export interface UpstreamHttp {
  send(req: UpstreamRequest): Promise<UpstreamResponse>;
}

/** When the process gives none (UPSTREAM_TIMEOUT_MS). */
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The one way connectors talk to upstreams: through the outbound address guard (a tenant's
 * base_url is a tenant-supplied URL), with a timeout, and with network failures turned into
 * retryable integration errors. What the answer means is the connector's business.
 */
export function createUpstreamHttp(dispatcher: Dispatcher, defaults: { timeoutMs?: number } = {}): UpstreamHttp {
  const defaultTimeoutMs = defaults.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    async send({ method, url, headers = {}, body, timeoutMs = defaultTimeoutMs, signal }) {
      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, {
          method,
          dispatcher,
          signal: signal ? AbortSignal.any([AbortSignal.timeout(timeoutMs), signal]) : AbortSignal.timeout(timeoutMs),
          headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
          ...(body !== undefined ? { body } : {}),
        });
      } catch (err) {
        throw networkFailure(err);
      }
      let text: string;
      try {
        text = await res.body.text();
      } catch (err) {
        throw networkFailure(err);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.statusCode, text, json };
    },
  };
}
