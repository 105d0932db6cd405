import type { z } from 'zod';
import { apiBase, createApiClient, UpstreamError, type Account, type UpstreamHttp, type UpstreamResponse, type Unwrapped } from '../kit/index.js';
import type { configSchema, credentialsSchema } from './settings.js';

export type StarsAccount = Account<z.output<typeof credentialsSchema>, z.output<typeof configSchema>>;

export const BOT_API = 'https://api.telegram.org';

/**
 * The Bot API's envelope: `{"ok":true,"result":…}`, or `{"ok":false,"error_code":…,"description":"Bad Request: …"}`
 * with the HTTP status equal to error_code. The error's code is the upper-case name inside the
 * description where there is one (CHARGE_ALREADY_REFUNDED), the description its detail.
 */
export function unwrapBotApi(res: UpstreamResponse): Unwrapped {
  const envelope = res.json as { ok?: unknown; result?: unknown; description?: unknown } | undefined;
  if (envelope?.ok === true && 'result' in envelope) return { data: envelope.result };
  if (envelope?.ok === false) {
    const description = typeof envelope.description === 'string' ? envelope.description : undefined;
    const named = description && /(?:^|:\s*)([A-Z][A-Z0-9_]{2,})(?:\s|$|:)/.exec(description)?.[1];
    return { error: { code: named || undefined, detail: description } };
  }
  return { unreadable: 'answer is not a Bot API envelope' };
}

/** The token travels in the URL path: no message that leaves this module may carry it. */
export function withoutToken(text: string, token: string): string {
  return token ? text.split(token).join('<bot token>') : text;
}

/**
 * `POST {base}/bot<token>[/test]/<method>` with a JSON body. The token is part of the base URL,
 * never of the path the kit names in its errors, and any error that mentions it anyway (a
 * network error quoting the URL) is rewritten without it.
 */
export function createBotApi(http: UpstreamHttp) {
  const api = createApiClient<StarsAccount>(http, {
    name: 'Telegram Bot API',
    baseUrl: (account) => `${apiBase(account.config, BOT_API)}/bot${account.credentials.bot_token}${account.config.environment === 'test' ? '/test' : ''}`,
    headers: () => ({}),
    unwrap: unwrapBotApi,
  });
  return async function call<S extends z.ZodType>(account: StarsAccount, method: string, params: Record<string, unknown>, answer: S, opts: { timeoutMs?: number } = {}): Promise<z.output<S>> {
    try {
      return await api(account, { method: 'POST', path: `/${method}`, body: params, answer, ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}) });
    } catch (err) {
      const token = account.credentials.bot_token;
      if (err instanceof UpstreamError) {
        if (!err.message.includes(token)) throw err;
        throw new UpstreamError(withoutToken(err.message, token), err.kind, err.retryable, err.upstreamCode && withoutToken(err.upstreamCode, token));
      }
      throw new UpstreamError(`Telegram Bot API ${method} failed: ${withoutToken((err as Error).message ?? String(err), token)}`, 'integration', true);
    }
  };
}

export type BotApi = ReturnType<typeof createBotApi>;
