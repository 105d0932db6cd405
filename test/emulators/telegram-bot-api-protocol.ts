/**
 * The Telegram Bot API's transport, as both Bot API emulators speak it (telegram-bot-api.ts: the
 * messaging side a polling bot talks to; stars.ts: payments and webhooks). After the Bot API
 * documentation: `GET` or `POST /bot<token>/<method>` (method names are case-insensitive),
 * parameters as the query string, JSON or an urlencoded form (objects and arrays as JSON text in
 * forms). Answers are `{"ok":true,"result":…}` or `{"ok":false,"error_code":N,"description":"…"}`
 * with HTTP status N: a path naming no method, or an unknown one, is 404 `Not Found`, a bad
 * parameter 400 `Bad Request: …`. Each emulator brings its methods and says which tokens exist.
 *
 * Assumptions where the documentation is silent, marked "assumption" below: the wording of the
 * Bad Request descriptions for unparsable or wrongly typed parameters.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomInt } from 'node:crypto';
import { readBody } from './emulator-kit.js';

export class BotApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
  ) {
    super(description);
  }
}

export const badRequest = (what: string) => new BotApiError(400, `Bad Request: ${what}`);

export const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** The letters of bot tokens' secret halves and of invoice link slugs. */
export const URL_SAFE = `${ALPHANUMERIC}_-`;

export function randomString(n: number, alphabet = ALPHANUMERIC): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

/** A fresh bot's id and token, shaped like Telegram's (`<id>:<35 letters>`). */
export function newBotToken(): { id: number; token: string } {
  const id = randomInt(1_000_000_000, 8_000_000_000);
  return { id, token: `${id}:${randomString(35, URL_SAFE)}` };
}

export type Params = Record<string, unknown>;

/** The query string, overlaid with a JSON or urlencoded body (other bodies are ignored). */
export async function readParams(req: http.IncomingMessage, url: URL): Promise<Params> {
  const params: Params = Object.fromEntries(url.searchParams);
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

/** A string parameter; numbers and booleans count as their text. An empty string is absent. */
export function text(params: Params, name: string, opts: { required?: boolean } = {}): string | undefined {
  const v = params[name];
  if (v === undefined || v === null || v === '') {
    if (opts.required) throw badRequest(`parameter "${name}" is required`); // assumption: wording
    return undefined;
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw badRequest(`parameter "${name}" must be a string`); // assumption: wording
}

export function integer(params: Params, name: string, opts: { required?: boolean } = {}): number | undefined {
  const v = params[name];
  if (v === undefined || v === null || v === '') {
    if (opts.required) throw badRequest(`parameter "${name}" is required`); // assumption: wording
    return undefined;
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw badRequest(`parameter "${name}" must be an integer`); // assumption: wording
  return n;
}

export function bool(params: Params, name: string): boolean {
  const v = params[name];
  return v === true || v === 'true' || v === 'True' || v === 1 || v === '1';
}

/** Objects and arrays arrive as JSON values, or as JSON text in forms and query strings. */
function jsonValue(params: Params, name: string): unknown {
  const v = params[name];
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    throw badRequest(`can't parse ${name} JSON object`); // assumption: wording
  }
}

export function jsonArray(params: Params, name: string): unknown[] | undefined {
  if (params[name] === undefined) return undefined;
  const v = jsonValue(params, name);
  if (!Array.isArray(v)) throw badRequest(`field "${name}" must be an Array`); // assumption: wording
  return v;
}

export function jsonObject(params: Params, name: string): Record<string, unknown> | undefined {
  if (params[name] === undefined || params[name] === null || params[name] === '') return undefined;
  const v = jsonValue(params, name);
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw badRequest(`can't parse ${name} JSON object`); // assumption: wording
  return v as Record<string, unknown>;
}

/** The envelope of every answer, as a client reads it. */
export interface BotApiAnswer {
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
}

/** What every emulator records of a request; the server fills these in as it learns them. */
export interface BotApiRecord {
  /** The method as the emulator knows it ('' when the path names none). */
  apiMethod: string;
  params: Params;
  /** The HTTP status answered; 0 while the answer is pending. */
  status: number;
}

/** An injected failure: answer late (`delayMs`), then with this status unless it is 0. */
export interface BotApiFailure {
  status: number;
  description?: string;
  delayMs?: number;
}

export type BotApiMethod<Bot> = (bot: Bot, params: Params, res: http.ServerResponse) => unknown;

export interface BotApiServerOptions<Bot, Rec extends BotApiRecord> {
  methods: { [name: string]: BotApiMethod<Bot> };
  /** Also serve Telegram's test environment at `/bot<token>/test/<method>`. */
  testEnvironment?: boolean;
  /** Records a request as it arrives (keeping it is the emulator's business); `apiMethod` as the path spells it. */
  record(req: http.IncomingMessage, url: URL, apiMethod: string): Rec;
  /** The bot the token in the path names, or throws the BotApiError Telegram answers (401 Unauthorized). */
  authenticate(token: string, record: Rec): Bot;
  /** Failures injected per method (createFailureQueue in emulator-kit.ts). */
  failures?: { take(method: string): BotApiFailure | undefined };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }).end(json);
}

/** Serves the Bot API on a loopback port; `baseUrl` stands in for https://api.telegram.org. */
export async function startBotApiServer<Bot, Rec extends BotApiRecord>(o: BotApiServerOptions<Bot, Rec>): Promise<{ server: http.Server; baseUrl: string }> {
  const path = o.testEnvironment ? /^\/bot([^/]+)\/(?:test\/)?([A-Za-z]+)$/ : /^\/bot([^/]+)\/([A-Za-z]+)$/;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const m = path.exec(url.pathname);
    const record = o.record(req, url, m?.[2] ?? '');
    const answer = (status: number, body: unknown) => {
      record.status = status;
      sendJson(res, status, body);
    };
    try {
      if (!m) throw new BotApiError(404, 'Not Found');
      const bot = o.authenticate(decodeURIComponent(m[1]!), record);
      const name = Object.keys(o.methods).find((k) => k.toLowerCase() === m[2]!.toLowerCase());
      record.params = await readParams(req, url);
      if (!name) throw new BotApiError(404, 'Not Found');
      record.apiMethod = name;
      const failure = o.failures?.take(name);
      if (failure?.delayMs) {
        // Held back, unless the caller gives up first (then the answer goes nowhere).
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, failure.delayMs);
          res.on('close', () => (clearTimeout(timer), resolve()));
        });
        if (res.destroyed) return;
      }
      if (failure?.status) throw new BotApiError(failure.status, failure.description ?? 'Internal Server Error');
      let result: unknown;
      try {
        result = await o.methods[name]!(bot, record.params, res);
      } catch (e) {
        // A malformed value where a method expected another shape (a URL, an object) is the caller's mistake.
        throw e instanceof TypeError ? badRequest(e.message) : e;
      }
      answer(200, { ok: true, result } satisfies BotApiAnswer);
    } catch (e) {
      if (!(e instanceof BotApiError)) throw e;
      answer(e.code, { ok: false, error_code: e.code, description: e.description } satisfies BotApiAnswer);
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error_code: 500, description: 'Internal Server Error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
