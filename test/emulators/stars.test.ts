import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStarsEmulator, type StarsEmulator } from './stars.js';
import type { BotApiAnswer } from './telegram-bot-api-protocol.js';

let emu: StarsEmulator;

beforeAll(async () => {
  emu = await startStarsEmulator();
});
afterAll(async () => {
  await emu?.stop();
});

async function call(method: string, params: Record<string, unknown> = {}, token = emu.token, path?: string): Promise<{ status: number; json: BotApiAnswer }> {
  const res = await fetch(`${emu.baseUrl}${path ?? `/bot${token}/${method}`}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  return { status: res.status, json: (await res.json()) as BotApiAnswer };
}

const invoice = (over: Record<string, unknown> = {}) => ({
  title: 'Premium',
  description: 'One month of premium',
  payload: 'inv_01JWRF867835BD1EWQACN7ENYP',
  provider_token: '',
  currency: 'XTR',
  prices: [{ label: 'Premium', amount: 50 }],
  ...over,
});

/** A bot's webhook as a real HTTP server: answers each update after `hold` resolves, keeps what arrived. */
async function startBotWebhook(onUpdate: (update: Record<string, unknown>, headers: http.IncomingHttpHeaders) => Promise<void> = async () => undefined) {
  const received: Array<{ headers: http.IncomingHttpHeaders; body: Buffer }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ headers: req.headers, body });
      onUpdate(JSON.parse(body.toString('utf8')) as Record<string, unknown>, req.headers)
        .then(() => res.writeHead(200).end())
        .catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tg`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('Stars emulator: Bot API transport', () => {
  it('getMe with the token in the path answers the bot in the ok/result envelope, and the request is recorded as authentic', async () => {
    const res = await call('getMe');
    expect(res).toEqual({ status: 200, json: { ok: true, result: expect.objectContaining({ id: emu.bot.id, is_bot: true, username: emu.bot.username }) } });
    expect(emu.requests.at(-1)).toMatchObject({ apiMethod: 'getMe', authentic: true, botId: emu.bot.id, status: 200 });
  });

  it('a wrong token is 401 Unauthorized; an unknown method or a path without one is 404 Not Found', async () => {
    expect(await call('getMe', {}, emu.refusedCredentials.bot_token as string)).toEqual({ status: 401, json: { ok: false, error_code: 401, description: 'Unauthorized' } });
    expect(await call('getFancyThing')).toEqual({ status: 404, json: { ok: false, error_code: 404, description: 'Not Found' } });
    expect((await call('', {}, emu.token, '/nothing-here')).status).toBe(404);
  });

  it('the test environment lives under /bot<token>/test/<method>', async () => {
    expect((await call('getMe', {}, emu.token, `/bot${emu.token}/test/getMe`)).json.ok).toBe(true);
  });

  it('a failure can be injected for the next call of a method', async () => {
    emu.failNext('getMe', { status: 429, description: 'Too Many Requests: retry after 3' });
    expect(await call('getMe')).toEqual({ status: 429, json: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3' } });
    expect((await call('getMe')).status).toBe(200);
  });
});

describe('Stars emulator: invoice links', () => {
  it('createInvoiceLink answers https://t.me/$<slug> and keeps the link with its payload', async () => {
    const res = await call('createInvoiceLink', invoice());
    expect(res.json.result).toMatch(/^https:\/\/t\.me\/\$[A-Za-z0-9_-]{20}$/);
    const slug = (res.json.result as string).slice('https://t.me/$'.length);
    expect(emu.links.get(slug)).toMatchObject({ payload: invoice().payload, amount: 50, title: 'Premium' });
    expect(emu.findInvoice({ invoiceId: invoice().payload })).toEqual({ upstreamId: slug, invoiceId: invoice().payload });
  });

  it.each([
    ['a title over 32 characters', { title: 'x'.repeat(33) }],
    ['an empty description', { description: '' }],
    ['a description over 255 characters', { description: 'x'.repeat(256) }],
    ['a split surrogate pair', { title: 'Stars \ud83c' }],
    ['a payload over 128 bytes', { payload: 'я'.repeat(65) }],
    ['a provider token', { provider_token: '12345:TEST' }],
    ['another currency', { currency: 'USD' }],
    ['two prices', { prices: [{ label: 'a', amount: 1 }, { label: 'b', amount: 2 }] }],
    ['a fractional amount', { prices: [{ label: 'a', amount: 1.5 }] }],
    ['no stars', { prices: [{ label: 'a', amount: 0 }] }],
  ])('refuses %s with 400 Bad Request', async (_what, over) => {
    const res = await call('createInvoiceLink', invoice(over));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ ok: false, error_code: 400, description: expect.stringMatching(/^Bad Request: /) });
  });
});

describe('Stars emulator: webhooks and the buyer', () => {
  it('setWebhook registers url, secret and allowed updates (getWebhookInfo shows them); a bad secret is refused; deleteWebhook clears it', async () => {
    const bot = emu.addBot();
    expect((await call('setWebhook', { url: 'https://shop.example/tg', secret_token: 'bad secret!' }, bot.token)).status).toBe(400);
    expect((await call('setWebhook', { url: 'https://shop.example/tg', secret_token: 'abc_DEF-123', allowed_updates: ['message', 'pre_checkout_query'] }, bot.token)).json.result).toBe(true);
    expect((await call('getWebhookInfo', {}, bot.token)).json.result).toMatchObject({ url: 'https://shop.example/tg', allowed_updates: ['message', 'pre_checkout_query'] });
    expect(bot.webhook).toEqual({ url: 'https://shop.example/tg', secret: 'abc_DEF-123', allowedUpdates: ['message', 'pre_checkout_query'] });
    expect((await call('deleteWebhook', {}, bot.token)).json.result).toBe(true);
    expect((await call('getWebhookInfo', {}, bot.token)).json.result).toMatchObject({ url: '' });
  });

  it('a buyer: the pre-checkout query goes to the webhook with the secret header; an ok answer within 10 s is followed by successful_payment', async () => {
    const bot = emu.addBot();
    const hook = await startBotWebhook(async (update) => {
      const query = update.pre_checkout_query as { id: string } | undefined;
      if (query) await call('answerPreCheckoutQuery', { pre_checkout_query_id: query.id, ok: true }, bot.token);
    });
    try {
      await call('setWebhook', { url: hook.url, secret_token: 'secret_1' }, bot.token);
      const slug = ((await call('createInvoiceLink', invoice(), bot.token)).json.result as string).split('$')[1]!;
      const result = await emu.buy(slug, { url: hook.url }, { userId: 4242 });
      expect(result.outcome).toBe('paid');
      expect(result.preCheckout).toMatchObject({ ok: true, answeredBeforeAck: true, userId: 4242, amount: 50 });
      expect(result.preCheckout.answeredAt! - result.preCheckout.sentAt).toBeLessThan(10_000);
      expect(hook.received.map((r) => r.headers['x-telegram-bot-api-secret-token'])).toEqual(['secret_1', 'secret_1']);
      const payment = JSON.parse(hook.received[1]!.body.toString('utf8'));
      expect(payment.message.successful_payment).toEqual({
        currency: 'XTR',
        total_amount: 50,
        invoice_payload: invoice().payload,
        telegram_payment_charge_id: result.charge!.chargeId,
        provider_payment_charge_id: '',
      });
      expect(payment.message.from.id).toBe(4242);
      expect(result.paymentUpdate!.equals(hook.received[1]!.body)).toBe(true);
    } finally {
      await hook.close();
    }
  });

  it('a refused pre-checkout stops the buyer, and the query cannot be answered twice', async () => {
    const bot = emu.addBot();
    const hook = await startBotWebhook(async (update) => {
      const query = update.pre_checkout_query as { id: string } | undefined;
      if (query) {
        await call('answerPreCheckoutQuery', { pre_checkout_query_id: query.id, ok: false, error_message: 'Sold out' }, bot.token);
        const again = await call('answerPreCheckoutQuery', { pre_checkout_query_id: query.id, ok: true }, bot.token);
        expect(again.json.description).toBe('Bad Request: query is too old and response timeout expired or query ID is invalid');
      }
    });
    try {
      await call('setWebhook', { url: hook.url, secret_token: 'secret_2' }, bot.token);
      const slug = ((await call('createInvoiceLink', invoice(), bot.token)).json.result as string).split('$')[1]!;
      const result = await emu.buy(slug, { url: hook.url });
      expect(result).toMatchObject({ outcome: 'refused', preCheckout: { ok: false, errorMessage: 'Sold out' } });
      expect(hook.received).toHaveLength(1);
    } finally {
      await hook.close();
    }
  });

  it('updates go only to a registered webhook, of the types it allows; another URL needs the forwarding bot’s secret', async () => {
    const bot = emu.addBot();
    const hook = await startBotWebhook();
    try {
      await call('setWebhook', { url: hook.url, secret_token: 'secret_3', allowed_updates: ['pre_checkout_query'] }, bot.token);
      await expect(emu.sendMessage('/start', { url: hook.url })).rejects.toThrow(/would not send a message update/);
      await expect(emu.sendMessage('/start', { url: `${hook.url}/other` })).rejects.toThrow(/no bot's webhook/);
      const forwarded = await emu.sendMessage('/start', { url: `${hook.url}/other` }, { secret: 'tenant_secret' });
      expect(forwarded.status).toBe(200);
      expect(hook.received.at(-1)!.headers['x-telegram-bot-api-secret-token']).toBe('tenant_secret');
    } finally {
      await hook.close();
    }
  });
});

describe('Stars emulator: refunds and transactions', () => {
  it('refundStarPayment needs the payer and the charge, and refuses a second refund with CHARGE_ALREADY_REFUNDED', async () => {
    const slug = ((await call('createInvoiceLink', invoice({ payload: 'refund-me' }))).json.result as string).split('$')[1]!;
    await emu.payInFull(slug);
    const charge = [...emu.charges.values()].find((c) => c.slug === slug)!;
    expect((await call('refundStarPayment', { user_id: charge.userId + 1, telegram_payment_charge_id: charge.chargeId })).json.description).toBe('Bad Request: USER_ID_INVALID');
    expect((await call('refundStarPayment', { user_id: charge.userId, telegram_payment_charge_id: 'nope' })).json.description).toBe('Bad Request: CHARGE_NOT_FOUND');
    expect((await call('refundStarPayment', { user_id: charge.userId, telegram_payment_charge_id: charge.chargeId })).json).toEqual({ ok: true, result: true });
    expect(await call('refundStarPayment', { user_id: charge.userId, telegram_payment_charge_id: charge.chargeId })).toEqual({
      status: 400,
      json: { ok: false, error_code: 400, description: 'Bad Request: CHARGE_ALREADY_REFUNDED' },
    });
  });

  it('getStarTransactions lists payments and refunds oldest first, paged by offset; the balance counts what was not refunded', async () => {
    const bot = emu.addBot();
    const slugs: string[] = [];
    for (const amount of [5, 7, 11]) {
      const slug = ((await call('createInvoiceLink', invoice({ payload: `p${amount}`, prices: [{ label: 'x', amount }] }), bot.token)).json.result as string).split('$')[1]!;
      await emu.payInFull(slug);
      slugs.push(slug);
    }
    const first = [...emu.charges.values()].find((c) => c.slug === slugs[0])!;
    await call('refundStarPayment', { user_id: first.userId, telegram_payment_charge_id: first.chargeId }, bot.token);
    const all = (await call('getStarTransactions', {}, bot.token)).json.result as { transactions: Array<{ id: string; amount: number; source?: { invoice_payload: string }; receiver?: unknown }> };
    expect(all.transactions.map((t) => [t.amount, t.source ? 'in' : 'out'])).toEqual([[5, 'in'], [7, 'in'], [11, 'in'], [5, 'out']]);
    expect(all.transactions.at(-1)!.id).toBe(first.chargeId);
    const page = (await call('getStarTransactions', { offset: 1, limit: 2 }, bot.token)).json.result as { transactions: Array<{ amount: number }> };
    expect(page.transactions.map((t) => t.amount)).toEqual([7, 11]);
    expect((await call('getMyStarBalance', {}, bot.token)).json.result).toEqual({ amount: 18 });
  });
});
