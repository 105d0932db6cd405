import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './generated/schema.js';
import { SwitchyardError } from './errors.js';
import { retryDelay, type RetryPolicy, type RetrySettings } from './retry.js';
import type { RequestOptions } from './types.js';

export type Api = Client<paths>;

export interface TransportOptions {
  apiKey: string;
  baseUrl: string;
  maxRetries: number;
  maxRetryDelayMs: number;
  timeoutMs: number;
  fetch: (input: Request) => Promise<Response>;
}

/** What one attempt is given: openapi-fetch's per-request options (a type alias, so it fits their index signature). */
export type AttemptInit = {
  signal: AbortSignal;
  fetch: (input: Request) => Promise<Response>;
};

type Answer = { data?: unknown; error?: unknown; response: Response };

/**
 * The typed openapi-fetch client plus what every call needs around it: the API key, a timeout per
 * attempt, retries with backoff, and one error type for every failure.
 */
export class Transport {
  readonly api: Api;
  readonly #fetch: (input: Request) => Promise<Response>;
  readonly #timeoutMs: number;
  readonly #retry: RetrySettings;

  constructor(opts: TransportOptions) {
    this.api = createClient<paths>({
      baseUrl: opts.baseUrl,
      headers: { Authorization: `Bearer ${opts.apiKey}`, Accept: 'application/json' },
    });
    this.#fetch = opts.fetch;
    this.#timeoutMs = opts.timeoutMs;
    this.#retry = { maxRetries: opts.maxRetries, maxDelayMs: opts.maxRetryDelayMs, baseDelayMs: 500 };
  }

  /**
   * Runs `attempt` (one openapi-fetch call) until it succeeds, fails for good, or the retries
   * allowed by `policy` are spent; answers the parsed 2xx body or throws a SwitchyardError.
   */
  async call<R extends Answer>(attempt: (init: AttemptInit) => Promise<R>, policy: RetryPolicy, options: RequestOptions = {}): Promise<Exclude<R['data'], undefined>> {
    for (let retry = 0; ; retry++) {
      const error = await this.#once(attempt, options.signal);
      if (!(error instanceof SwitchyardError)) return error.data as Exclude<R['data'], undefined>;
      const wait = retryDelay(error, retry, policy, this.#retry);
      if (wait === undefined) throw error;
      await sleep(wait, options.signal);
    }
  }

  /** One attempt: its answer's body, or the error it ended with. */
  async #once(attempt: (init: AttemptInit) => Promise<Answer>, outer: AbortSignal | undefined): Promise<{ data: unknown } | SwitchyardError> {
    outer?.throwIfAborted();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#timeoutMs);
    const forward = () => controller.abort(outer?.reason);
    outer?.addEventListener('abort', forward, { once: true });
    // The answer's head, once it came: a failure after it (reading or parsing the body) is not "no answer".
    let received: Response | undefined;
    const fetch = async (input: Request) => (received = await this.#fetch(input));
    try {
      const { data, error, response } = await attempt({ signal: controller.signal, fetch });
      return response.ok ? { data } : SwitchyardError.fromResponse(response, error);
    } catch (err) {
      if (outer?.aborted) throw outer.reason;
      if (received && !timedOut && err instanceof SyntaxError) {
        return new SwitchyardError({
          status: received.status,
          code: 'http_error',
          title: `HTTP ${received.status}`,
          detail: 'The answer is not JSON (is baseUrl the address of Switchyard?)',
          headers: received.headers,
          cause: err,
        });
      }
      return SwitchyardError.fromNetwork(err, timedOut ? { afterMs: this.#timeoutMs } : undefined);
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', forward);
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = () => {
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    const stop = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', stop, { once: true });
  });
}
