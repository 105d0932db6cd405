import type { z } from 'zod';
import type { UpstreamHttp, UpstreamResponse } from './http.js';
import { badResponse, classifyFailure, type FailureKind } from './failures.js';
import { parseAnswer } from './schemas.js';
import { standardJson, type JsonCodec } from './json.js';

/** What an upstream's answer envelope says: the payload, the upstream's own error, or nothing readable. */
export type Unwrapped = { data: unknown } | { error: { code?: string | undefined; detail?: string | undefined } } | { unreadable: string };

export interface ApiClientSpec<A> {
  /** The upstream's name, as it appears in error messages. */
  name: string;
  baseUrl(account: A): string;
  /** The auth headers of one call; `body` is the exact text sent, for upstreams that sign it. */
  headers(account: A, call: { method: string; path: string; body: string | undefined }): Record<string, string>;
  /** Reads the upstream's envelope (status included, for upstreams whose errors are only a status). */
  unwrap(res: UpstreamResponse): Unwrapped;
  /** The upstream's own error codes whose kind the status alone would get wrong. */
  codes?: Readonly<Record<string, FailureKind>>;
  /**
   * How request bodies are written and answers read (default `JSON`). `losslessJson` for
   * upstreams whose amounts are JSON numbers: answers' numbers keep their exact text, and a
   * body's `jsonNumber(…)` is written as exactly that literal.
   */
  json?: JsonCodec;
}

export interface ApiCall<S extends z.ZodType> {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
  /** The payload's schema: a wrong shape is a retryable integration failure naming the field. */
  answer: S;
  /** Another timeout than the default: longer for a call held open on purpose (a long poll), shorter for one that must answer within someone else's deadline. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * One upstream's API as a function: builds the URL and auth headers, sends the body once
 * serialised, unwraps the envelope, classifies failures with the one table, and parses the
 * payload with its schema.
 */
export function createApiClient<A>(http: UpstreamHttp, spec: ApiClientSpec<A>) {
  const codec = spec.json;
  return async function call<S extends z.ZodType>(account: A, req: ApiCall<S>): Promise<z.output<S>> {
    const body = req.body === undefined ? undefined : (codec ?? standardJson).stringify(req.body);
    const res = await http.send({
      method: req.method,
      url: `${spec.baseUrl(account).replace(/\/+$/, '')}${req.path}`,
      headers: spec.headers(account, { method: req.method, path: req.path, body }),
      ...(body !== undefined ? { body } : {}),
      ...(req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    });
    const what = `${spec.name} ${req.method} ${req.path.split('?')[0]}`;
    const ok = res.status >= 200 && res.status < 300;
    const unwrapped = spec.unwrap(codec ? { ...res, json: parseOrUndefined(codec, res.text) } : res);
    if (ok && 'data' in unwrapped) return parseAnswer(req.answer, unwrapped.data, what);
    if ('unreadable' in unwrapped) {
      if (ok) throw badResponse(`${what}: ${unwrapped.unreadable}`);
      throw classifyFailure({ status: res.status, message: `${what}: HTTP ${res.status}`, codes: spec.codes });
    }
    const error = 'error' in unwrapped ? unwrapped.error : {};
    const code = error.code ?? `HTTP_${res.status}`;
    throw classifyFailure({ status: res.status, code, message: `${what}: ${code}${error.detail ? ` (${error.detail})` : ''}`, codes: spec.codes });
  };
}

/** The answer's text read with the client's codec; undefined when it is not JSON (as UpstreamResponse.json). */
function parseOrUndefined(codec: JsonCodec, text: string): unknown {
  try {
    return codec.parse(text);
  } catch {
    return undefined;
  }
}
