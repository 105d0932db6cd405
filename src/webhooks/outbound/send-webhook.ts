import { request, type Dispatcher } from 'undici';
import { OutboundAddressError } from '../../security/outbound-guard.js';
import { parseRetryAfter } from './retry-schedule.js';

export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  timedOut: boolean;
  error: string | null;
  /** The first bytes of the answer, for the attempt log. */
  responseBody: string | null;
  durationMs: number;
  retryAfterSeconds: number | null;
}

const RESPONSE_BYTES_KEPT = 1024;

async function readPrefix(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= RESPONSE_BYTES_KEPT) break;
  }
  body.destroy();
  return Buffer.concat(chunks).subarray(0, RESPONSE_BYTES_KEPT).toString('utf8');
}

/**
 * One POST to a tenant endpoint: a 2xx within the timeout is success; redirects are not
 * followed (a 3xx is a failure); the connection goes through the outbound address guard.
 */
export async function sendWebhook(opts: {
  url: string;
  headers: Record<string, string>;
  /** Sent as these exact bytes. */
  body: string | Buffer;
  timeoutMs: number;
  dispatcher: Dispatcher;
}): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  // Not AbortSignal.timeout: its timer (and the signal) would live on for the whole timeout after
  // the answer, thousands of them at a busy worker's rate.
  const aborter = new AbortController();
  const timer = setTimeout(() => aborter.abort(new Error(`timeout after ${opts.timeoutMs} ms`)), opts.timeoutMs);
  const { signal } = aborter;
  try {
    const res = await request(opts.url, { method: 'POST', headers: opts.headers, body: opts.body, dispatcher: opts.dispatcher, signal });
    const responseBody = await readPrefix(res.body).catch(() => null);
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    const retryAfter = res.headers['retry-after'];
    return {
      ok,
      statusCode: res.statusCode,
      timedOut: false,
      error: ok ? null : res.statusCode >= 300 && res.statusCode < 400 ? `redirect (${res.statusCode}) not followed` : `HTTP ${res.statusCode}`,
      responseBody,
      durationMs: elapsed(),
      retryAfterSeconds: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
    };
  } catch (err) {
    const timedOut = signal.aborted;
    const cause = err as Error & { code?: string };
    const error = timedOut
      ? `timeout after ${opts.timeoutMs} ms`
      : cause instanceof OutboundAddressError
        ? `address not allowed: ${cause.message}`
        : `${cause.code ?? cause.name}: ${cause.message}`;
    return { ok: false, statusCode: null, timedOut, error, responseBody: null, durationMs: elapsed(), retryAfterSeconds: null };
  } finally {
    clearTimeout(timer);
  }
}
