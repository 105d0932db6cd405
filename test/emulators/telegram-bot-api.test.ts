import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bot } from 'grammy';
import { eventually } from '../helpers/harness.js';
import { startTelegramBotApiEmulator, type TelegramBotApiEmulator } from './telegram-bot-api.js';

let emu: TelegramBotApiEmulator;

beforeAll(async () => {
  emu = await startTelegramBotApiEmulator();
});
afterAll(async () => {
  await emu?.close();
});

interface BotAnswer {
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
}

async function call(method: string, params: Record<string, unknown> = {}, opts: { token?: string; form?: boolean; signal?: AbortSignal } = {}) {
  const body = opts.form ? new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)])).toString() : JSON.stringify(params);
  const res = await fetch(`${emu.apiRoot}/bot${opts.token ?? emu.token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': opts.form ? 'application/x-www-form-urlencoded' : 'application/json' },
    body,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return { status: res.status, json: (await res.json()) as BotAnswer };
}

/** Confirms everything queued so far, so each test starts with an empty queue. */
async function drain() {
  const last = emu.pending().at(-1);
  if (last) await call('getUpdates', { offset: last.update_id + 1, timeout: 0 });
}

describe('Telegram Bot API emulator: transport', () => {
  it('answers in the ok/result envelope; GET with a query string works like POST', async () => {
    expect(await call('getMe')).toEqual({ status: 200, json: { ok: true, result: expect.objectContaining({ id: emu.bot.id, is_bot: true, username: emu.bot.username }) } });
    const res = await fetch(`${emu.apiRoot}/bot${emu.token}/getme`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as BotAnswer).result).toMatchObject({ id: emu.bot.id });
  });

  it('a wrong token is 401 Unauthorized, an unknown method 404 Not Found', async () => {
    expect(await call('getMe', {}, { token: `${emu.bot.id}:wrong` })).toEqual({ status: 401, json: { ok: false, error_code: 401, description: 'Unauthorized' } });
    expect(await call('sendInvoiceToTheMoon')).toEqual({ status: 404, json: { ok: false, error_code: 404, description: 'Not Found' } });
  });
});

describe('Telegram Bot API emulator: getUpdates', () => {
  it('hands out queued updates, forgets those below the offset, and marks commands with a bot_command entity', async () => {
    await drain();
    const first = emu.pushUserMessage(1001, '/buy@shop_bot now', { first_name: 'Ada' });
    const second = emu.pushUserMessage(1001, 'hello');
    const all = await call('getUpdates', { timeout: 0 });
    expect((all.json.result as Array<{ update_id: number }>).map((u) => u.update_id)).toEqual([first.update_id, second.update_id]);
    expect(first.message).toMatchObject({ text: '/buy@shop_bot now', entities: [{ offset: 0, length: 13, type: 'bot_command' }], chat: { id: 1001, type: 'private' }, from: { id: 1001, first_name: 'Ada', is_bot: false } });
    expect(second.message).not.toHaveProperty('entities');
    const rest = await call('getUpdates', { offset: second.update_id, timeout: 0 });
    expect((rest.json.result as Array<{ update_id: number }>).map((u) => u.update_id)).toEqual([second.update_id]);
    await call('getUpdates', { offset: second.update_id + 1 });
    expect(emu.pending()).toEqual([]);
  });

  it('waits up to `timeout` seconds for an update, and answers as soon as one is queued', async () => {
    await drain();
    const started = Date.now();
    const empty = await call('getUpdates', { timeout: 1 }, { form: true });
    expect(empty.json).toEqual({ ok: true, result: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    const waiting = call('getUpdates', { timeout: 30 });
    await eventually(async () => expect(emu.requests.at(-1)).toMatchObject({ apiMethod: 'getUpdates', status: 0 }));
    const pushedAt = Date.now();
    const update = emu.pushUserMessage(1002, 'hi');
    const answered = await waiting;
    expect(Date.now() - pushedAt).toBeLessThan(1000);
    expect(answered.json.result).toEqual([update]);
  });

  it('a second poller ends the waiting one with 409 Conflict', async () => {
    await drain();
    const first = call('getUpdates', { timeout: 30 });
    await eventually(async () => expect(emu.requests.at(-1)).toMatchObject({ apiMethod: 'getUpdates', status: 0 }));
    const second = call('getUpdates', { timeout: 30 });
    expect((await first).status).toBe(409);
    expect((await first).json.description).toMatch(/^Conflict: terminated by other getUpdates request/);
    emu.pushUserMessage(1003, 'wake up');
    expect((await second).status).toBe(200);
  });
});

describe('Telegram Bot API emulator: sendMessage and callback queries', () => {
  it('stores messages with their inline keyboard; form bodies carry it as JSON text', async () => {
    emu.pushUserMessage(2001, '/start');
    const markup = { inline_keyboard: [[{ text: 'Pay 5.00 USD', url: 'https://pay.example.com/checkout/abc' }]] };
    const sent = await call('sendMessage', { chat_id: 2001, text: 'Here you go', reply_markup: markup }, { form: true });
    expect(sent.status).toBe(200);
    expect(sent.json.result).toMatchObject({ chat: { id: 2001 }, text: 'Here you go', reply_markup: markup, from: { id: emu.bot.id, is_bot: true } });
    expect(emu.messagesTo(2001)).toEqual([sent.json.result]);
  });

  it('refuses a chat that never wrote to the bot, empty text and buttons without an action', async () => {
    expect(await call('sendMessage', { chat_id: 999_999, text: 'hi' })).toEqual({ status: 400, json: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } });
    emu.pushUserMessage(2002, '/start');
    expect((await call('sendMessage', { chat_id: 2002, text: ' ' })).json.description).toBe('Bad Request: message text is empty');
    const noAction = await call('sendMessage', { chat_id: 2002, text: 'x', reply_markup: { inline_keyboard: [[{ text: 'Pay' }]] } });
    expect(noAction.status).toBe(400);
    expect(emu.messagesTo(2002)).toEqual([]);
  });

  it('answerCallbackQuery answers a pushed button press once', async () => {
    const update = emu.pushCallbackQuery(2003, 'buy');
    const id = (update.callback_query as { id: string }).id;
    expect((await call('answerCallbackQuery', { callback_query_id: id, text: 'ok' })).json).toEqual({ ok: true, result: true });
    expect((await call('answerCallbackQuery', { callback_query_id: id })).status).toBe(400);
    expect(emu.callbackAnswers.get(id)).toMatchObject({ text: 'ok' });
  });
});

describe('Telegram Bot API emulator: a grammY bot', () => {
  it('long-polls it, routes commands, and stops promptly (bot.stop confirms the offset)', async () => {
    await drain();
    const bot = new Bot(emu.token, { client: { apiRoot: emu.apiRoot } });
    bot.command('buy', (ctx) => ctx.reply(`buying: ${ctx.match}`));
    const polling = bot.start();
    emu.pushUserMessage(3001, '/buy stickers');
    await eventually(async () => expect(emu.messagesTo(3001).map((m) => m.text)).toEqual(['buying: stickers']));
    const stopping = Date.now();
    await bot.stop();
    await polling;
    expect(Date.now() - stopping).toBeLessThan(2000);
    expect(emu.pending()).toEqual([]);
  });
});
