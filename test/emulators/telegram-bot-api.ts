/**
 * Loopback emulator of the Telegram Bot API's messaging side, for bots that poll with getUpdates
 * (the example bot in examples/telegram-bot). test/emulators/stars.ts covers the payment side and
 * webhook delivery of updates; this one is what a long-polling bot talks to.
 *
 * Protocol, after the Bot API documentation: `GET` or `POST ${apiRoot}/bot<token>/<method>`
 * (method names are case-insensitive), parameters as the query string, JSON or urlencoded form
 * (objects such as `reply_markup` as JSON text in forms). Answers are `{"ok":true,"result":…}` or
 * `{"ok":false,"error_code":N,"description":"…"}` with HTTP status N: a wrong token is 401
 * `Unauthorized`, an unknown method 404 `Not Found`, a bad parameter 400 `Bad Request: …`.
 *
 * Methods: getMe, getUpdates, deleteWebhook, sendMessage, answerCallbackQuery.
 *
 * getUpdates: an `offset` confirms (forgets) every update with a lower `update_id`; queued
 * updates are answered at once, otherwise the call waits up to `timeout` seconds (default 0)
 * for one and then answers `[]`. A newer getUpdates call ends a waiting one with 409 `Conflict:
 * terminated by other getUpdates request`, like Telegram does when two pollers share a token.
 *
 * Test controls play the users: `pushUserMessage` queues a message update (commands carry their
 * `bot_command` entity, which bots' command routers read), `pushCallbackQuery` a button press;
 * `messagesTo` is what the bot sent to a chat.
 *
 * Assumptions where the documentation is silent, marked "assumption" below: the wording of
 * Bad Request descriptions other than "chat not found" and "message text is empty"; the 50 s
 * ceiling on `timeout`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomInt } from 'node:crypto';
import { readBody, stopServer } from './emulator-kit.js';

export interface TelegramUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
  language_code?: string;
}

export interface TelegramChat {
  id: number;
  type: 'private';
  first_name: string;
  username?: string;
}

export interface InlineKeyboardButton {
  text: string;
  url?: string;
  callback_data?: string;
  [other: string]: unknown;
}

export interface ReplyMarkup {
  inline_keyboard?: InlineKeyboardButton[][];
  [other: string]: unknown;
}

/** A message the bot sent, as Telegram returned it to the bot. */
export interface SentMessage {
  message_id: number;
  from: TelegramUser;
  chat: TelegramChat;
  date: number;
  text: string;
  reply_markup?: ReplyMarkup;
}

export interface Update {
  update_id: number;
  [type: string]: unknown;
}

export interface BotApiRequest {
  httpMethod: string;
  apiMethod: string;
  params: Record<string, unknown>;
  status: number;
}

export interface TelegramBotApiEmulator {
  /** 'http://127.0.0.1:<port>': stands in for https://api.telegram.org (grammY's `client.apiRoot`). */
  apiRoot: string;
  token: string;
  bot: TelegramUser & { username: string };
  /** Every request received, in order (refused ones included). */
  requests: BotApiRequest[];
  /** Updates queued and not yet confirmed by an offset. */
  pending(): readonly Update[];
  /** A user writes `text` in their private chat with the bot (chat id = user id, as in Telegram). */
  pushUserMessage(chatId: number, text: string, from?: Partial<TelegramUser>): Update;
  /** A user presses an inline button carrying `data` under one of the bot's messages. */
  pushCallbackQuery(chatId: number, data: string, from?: Partial<TelegramUser>): Update;
  /** What the bot sent to the chat, oldest first. */
  messagesTo(chatId: number): SentMessage[];
  /** answerCallbackQuery calls, by query id. */
  callbackAnswers: Map<string, Record<string, unknown>>;
  /** Ends waiting getUpdates calls and stops the server. */
  close(): Promise<void>;
}

class BotApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
  ) {
    super(description);
  }
}

const badRequest = (what: string) => new BotApiError(400, `Bad Request: ${what}`);
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const MAX_TIMEOUT_SECONDS = 50; // assumption: Telegram does not document its ceiling

function randomString(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += LETTERS[randomInt(LETTERS.length)];
  return s;
}

async function readParams(req: http.IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const raw = await readBody(req, () => new BotApiError(413, 'Request Entity Too Large'));
  if (!raw.length) return params;
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      throw badRequest("can't parse JSON object"); // assumption: wording
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw badRequest("can't parse JSON object");
    Object.assign(params, parsed);
  } else if (type === 'application/x-www-form-urlencoded') {
    Object.assign(params, Object.fromEntries(new URLSearchParams(raw.toString('utf8'))));
  }
  return params;
}

function integer(params: Record<string, unknown>, name: string, opts: { required?: boolean } = {}): number | undefined {
  const v = params[name];
  if (v === undefined || v === null || v === '') {
    if (opts.required) throw badRequest(`parameter "${name}" is required`); // assumption: wording
    return undefined;
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw badRequest(`parameter "${name}" must be an integer`); // assumption: wording
  return n;
}

function text(params: Record<string, unknown>, name: string): string | undefined {
  const v = params[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw badRequest(`parameter "${name}" must be a string`); // assumption: wording
}

/** Objects arrive as JSON values, or as JSON text in forms and query strings. */
function jsonObject(params: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  let v = params[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw badRequest(`can't parse ${name} JSON object`); // assumption: wording
    }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw badRequest(`can't parse ${name} JSON object`);
  return v as Record<string, unknown>;
}

/** Inline keyboards as Telegram checks them: rows of buttons, each with text and exactly one action. */
function checkReplyMarkup(markup: Record<string, unknown>): ReplyMarkup {
  const rows = markup.inline_keyboard;
  if (rows === undefined) return markup;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) throw badRequest('field "inline_keyboard" must be an Array of Arrays'); // assumption: wording
  for (const button of rows.flat() as Array<Record<string, unknown>>) {
    if (!button || typeof button.text !== 'string' || !button.text) throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String'); // assumption: wording
    const actions = Object.keys(button).filter((k) => k !== 'text');
    if (actions.length === 0) throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
    if (actions.length > 1) throw badRequest("can't parse inline keyboard button: exactly one of the optional fields must be used"); // assumption: wording
    if (button.url !== undefined) {
      let url: URL | undefined;
      try {
        url = new URL(String(button.url));
      } catch {
        url = undefined;
      }
      if (!url || !['http:', 'https:', 'tg:'].includes(url.protocol)) throw badRequest('BUTTON_URL_INVALID');
    }
  }
  return markup as ReplyMarkup;
}

export async function startTelegramBotApiEmulator(): Promise<TelegramBotApiEmulator> {
  const botId = randomInt(1_000_000_000, 8_000_000_000);
  const token = `${botId}:${randomString(35)}`;
  const bot = { id: botId, is_bot: true, first_name: 'Switchyard Shop', username: `sy_${randomString(6).replace(/[_-]/g, 'x').toLowerCase()}_bot` };
  const requests: BotApiRequest[] = [];
  const queue: Update[] = [];
  const chats = new Map<number, { chat: TelegramChat; nextMessageId: number; sent: SentMessage[] }>();
  const callbackQueries = new Set<string>();
  const callbackAnswers = new Map<string, Record<string, unknown>>();
  let nextUpdateId = randomInt(100_000_000, 900_000_000);
  /** The getUpdates call waiting for an update, if any: only one poller per token. */
  let waiter: { wake: (conflict?: boolean) => void } | undefined;
  let closing = false;

  const user = (chatId: number, from: Partial<TelegramUser> = {}): TelegramUser => ({ id: chatId, is_bot: false, first_name: 'Buyer', language_code: 'en', ...from });

  function chatOf(chatId: number, from?: TelegramUser) {
    let entry = chats.get(chatId);
    if (!entry) {
      const chat: TelegramChat = { id: chatId, type: 'private', first_name: from?.first_name ?? 'Buyer', ...(from?.username ? { username: from.username } : {}) };
      entry = { chat, nextMessageId: 1, sent: [] };
      chats.set(chatId, entry);
    }
    return entry;
  }

  function enqueue(update: Omit<Update, 'update_id'>): Update {
    const full = { update_id: nextUpdateId++, ...update } as Update;
    queue.push(full);
    waiter?.wake();
    return full;
  }

  const now = () => Math.floor(Date.now() / 1000);

  // ------------------------------------------------------------------------ API methods

  type Method = (p: Record<string, unknown>, res: http.ServerResponse) => unknown;
  const methods: Record<string, Method> = {
    getMe: () => ({ ...bot, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false }),

    deleteWebhook(p) {
      if (p.drop_pending_updates === true || p.drop_pending_updates === 'true') queue.length = 0;
      return true;
    },

    async getUpdates(p, res) {
      const offset = integer(p, 'offset');
      const limit = integer(p, 'limit') ?? 100;
      const timeout = integer(p, 'timeout') ?? 0;
      if (limit < 1 || limit > 100) throw badRequest('limit must be between 1 and 100'); // assumption: wording
      if (timeout < 0) throw badRequest('timeout must be non-negative'); // assumption: wording
      // An offset confirms every earlier update: Telegram forgets them.
      if (offset !== undefined) while (queue.length && queue[0]!.update_id < offset) queue.shift();
      const ready = () => queue.slice(0, limit);
      if (queue.length || timeout === 0 || closing) return ready();
      waiter?.wake(true);
      const outcome = await new Promise<'update' | 'timeout' | 'conflict' | 'gone'>((resolve) => {
        const timer = setTimeout(() => finish('timeout'), Math.min(timeout, MAX_TIMEOUT_SECONDS) * 1000);
        const self = { wake: (conflict?: boolean) => finish(conflict ? 'conflict' : 'update') };
        function finish(how: 'update' | 'timeout' | 'conflict' | 'gone') {
          clearTimeout(timer);
          if (waiter === self) waiter = undefined;
          resolve(how);
        }
        waiter = self;
        // The bot gave up on the request (grammY aborts it on bot.stop()).
        res.on('close', () => finish('gone'));
      });
      if (outcome === 'conflict') throw new BotApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
      return ready();
    },

    sendMessage(p) {
      const chatId = integer(p, 'chat_id', { required: true })!;
      const body = text(p, 'text') ?? '';
      if (!body.trim()) throw badRequest('message text is empty');
      if (body.length > 4096) throw badRequest('message is too long');
      const entry = chats.get(chatId);
      // A bot can only write to users who started a chat with it.
      if (!entry) throw badRequest('chat not found');
      const markup = jsonObject(p, 'reply_markup');
      const message: SentMessage = {
        message_id: entry.nextMessageId++,
        from: { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username },
        chat: entry.chat,
        date: now(),
        text: body,
        ...(markup ? { reply_markup: checkReplyMarkup(markup) } : {}),
      };
      entry.sent.push(message);
      return message;
    },

    answerCallbackQuery(p) {
      const id = text(p, 'callback_query_id');
      if (!id) throw badRequest('parameter "callback_query_id" is required'); // assumption: wording
      if (!callbackQueries.has(id) || callbackAnswers.has(id)) throw badRequest('query is too old and response timeout expired or query ID is invalid');
      callbackAnswers.set(id, p);
      return true;
    },
  };

  // ------------------------------------------------------------------------ HTTP

  function send(res: http.ServerResponse, status: number, body: unknown): void {
    if (res.destroyed) return;
    const json = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }).end(json);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const record: BotApiRequest = { httpMethod: req.method ?? 'GET', apiMethod: m?.[2] ?? '', params: {}, status: 0 };
    requests.push(record);
    const answer = (status: number, body: unknown) => {
      record.status = status;
      send(res, status, body);
    };
    const fail = (e: BotApiError) => answer(e.code, { ok: false, error_code: e.code, description: e.description });
    if (!m) return fail(new BotApiError(404, 'Not Found'));
    if (decodeURIComponent(m[1]!) !== token) return fail(new BotApiError(401, 'Unauthorized'));
    const name = Object.keys(methods).find((k) => k.toLowerCase() === m[2]!.toLowerCase());
    try {
      record.params = await readParams(req, url);
      if (!name) return fail(new BotApiError(404, 'Not Found'));
      record.apiMethod = name;
      answer(200, { ok: true, result: await methods[name]!(record.params, res) });
    } catch (e) {
      if (e instanceof BotApiError) return fail(e);
      throw e;
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { ok: false, error_code: 500, description: 'Internal Server Error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // ------------------------------------------------------------------------ the users' side

  return {
    apiRoot,
    token,
    bot,
    requests,
    callbackAnswers,
    pending: () => [...queue],
    pushUserMessage(chatId, body, from) {
      const sender = user(chatId, from);
      const entry = chatOf(chatId, sender);
      const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(body)?.[0];
      return enqueue({
        message: {
          message_id: entry.nextMessageId++,
          from: sender,
          chat: entry.chat,
          date: now(),
          text: body,
          ...(command ? { entities: [{ offset: 0, length: command.length, type: 'bot_command' }] } : {}),
        },
      });
    },
    pushCallbackQuery(chatId, data, from) {
      const sender = user(chatId, from);
      const entry = chatOf(chatId, sender);
      const id = `${randomInt(1_000_000, 9_999_999)}${randomInt(100_000_000, 999_999_999)}`;
      callbackQueries.add(id);
      return enqueue({ callback_query: { id, from: sender, chat_instance: String(chatId), data, message: entry.sent.at(-1) } });
    },
    messagesTo: (chatId) => [...(chats.get(chatId)?.sent ?? [])],
    async close() {
      closing = true;
      waiter?.wake();
      await stopServer(server);
    },
  };
}
