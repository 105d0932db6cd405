/**
 * The example bot against the real Switchyard: a harness app listening on its PUBLIC_BASE_URL (so
 * the checkout link the bot hands out opens as is), a worker delivering webhooks, the Telegram Bot
 * API played by test/emulators/telegram-bot-api.ts, and the bot started the way `npm start` starts
 * it (src/main.ts). A buyer sends /buy, pays through the hosted checkout in test mode over HTTP
 * (the page's own endpoints: state, choice, simulate), and gets the item in the chat once
 * Switchyard's invoice.paid webhook reached the bot.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomInt } from 'node:crypto';
import supertest from 'supertest';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesSpec, eventually, startHarness, type Harness } from '../../../test/helpers/harness.js';
import { addWebhookEndpoint, createShop, type Invoice } from '../../../test/helpers/factories.js';
import { startTelegramBotApiEmulator, type SentMessage, type TelegramBotApiEmulator } from '../../../test/emulators/telegram-bot-api.js';
import { startWorker, type RunningWorker } from '../../../src/jobs/worker.js';
import { startShop, type RunningShop } from '../src/main.js';
import { silentLog } from '../src/log.js';

/**
 * A loopback server whose handler is given later: its port is known before Switchyard is
 * configured, so PUBLIC_BASE_URL can name it (as test/browser/checkout-world.ts does).
 */
async function reservePort() {
  let handler: http.RequestListener | undefined;
  const server = http.createServer((req, res) => (handler ? handler(req, res) : res.writeHead(503).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    serve: (h: http.RequestListener) => void (handler = h),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let port: Awaited<ReturnType<typeof reservePort>>;
let h: Harness;
let worker: RunningWorker;
let telegram: TelegramBotApiEmulator;
let shop: RunningShop;
let key: string;
let endpointId: string;

beforeAll(async () => {
  port = await reservePort();
  h = await startHarness({ PUBLIC_BASE_URL: port.url, WEBHOOK_RETRY_SCHEDULE: '0,0', OUTBOX_POLL_MS: '200', DELIVERY_SWEEP_MS: '500' });
  port.serve(h.app);
  worker = await startWorker(h.core);
  telegram = await startTelegramBotApiEmulator();

  // A tenant with a test key: its invoices go to the built-in sandbox gateway, payable by simulation.
  key = (await createShop(h, 'Telegram bot')).testKey;
  // The bot listens on a port of its own choosing (PORT=0), so its endpoint is created first and
  // pointed at it once it listens; the secret is known from the start.
  const endpoint = await addWebhookEndpoint(h, key, { url: 'http://127.0.0.1:9/not-listening-yet', description: 'Telegram bot' });
  endpointId = endpoint.id;
  shop = await startShop(
    {
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      SWITCHYARD_URL: port.url,
      SWITCHYARD_API_KEY: key,
      SWITCHYARD_WEBHOOK_SECRET: endpoint.secret,
      HOST: '127.0.0.1',
      PORT: '0',
      PRICE: '5.00',
      CURRENCY: 'USD',
      ITEM_NAME: 'Sticker pack',
      ITEM_CONTENT: 'https://example.com/stickers.zip',
    },
    silentLog,
  );
  const pointed = await h.client.patch(`/v1/webhook-endpoints/${endpointId}`, { auth: key, body: { url: shop.receiver.url } });
  expect(pointed.status, JSON.stringify(pointed.body)).toBe(200);
});

afterAll(async () => {
  await shop?.stop();
  await telegram?.close();
  await worker?.close();
  await port?.close();
  await h?.close();
});

const newChat = () => randomInt(10_000_000, 2_000_000_000);

/** Waits for the bot's next message to the chat after the first `seen` ones. */
function nextMessage(chatId: number, seen: number): Promise<SentMessage> {
  return eventually(async () => {
    const message = telegram.messagesTo(chatId)[seen];
    expect(message, `message #${seen + 1} to chat ${chatId}`).toBeDefined();
    return message!;
  });
}

const paidMessages = (chatId: number) => telegram.messagesTo(chatId).filter((m) => m.text.startsWith('Paid, here is your item'));

/** A request to Switchyard over real HTTP (a buyer's browser, not the tenant), checked against the OpenAPI document. */
async function buyerRequest(method: 'get' | 'post', url: string, body?: unknown) {
  const { origin, pathname, search } = new URL(url);
  let req = supertest(origin)[method](pathname + search);
  if (body !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
  const res = await req;
  await assertMatchesSpec(method.toUpperCase(), pathname, res);
  return res;
}

/** The buyer sends /buy and the bot answers with the checkout link as a URL button. */
async function buy(chatId: number) {
  telegram.pushUserMessage(chatId, '/buy', { first_name: 'Ada', username: 'ada' });
  const offer = await nextMessage(chatId, 0);
  const button = offer.reply_markup?.inline_keyboard?.[0]?.[0];
  expect(button, JSON.stringify(offer)).toMatchObject({ text: 'Pay 5.00 USD', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/checkout\/[A-Za-z0-9_-]{32}$/) });
  return { offer, checkoutUrl: button!.url! };
}

/** The invoice behind a checkout link, as the tenant sees it. */
async function invoiceOf(chatId: number): Promise<Invoice & Record<string, unknown>> {
  const ref = `tg_${chatId}_1`; // the /buy was the chat's first message
  const res = await h.client.get(`/v1/invoices?external_id=${ref}`, { auth: key });
  expect(res.status).toBe(200);
  expect(res.body.data, JSON.stringify(res.body)).toHaveLength(1);
  return res.body.data[0];
}

/** The buyer pays on the checkout page in test mode: looks at it, picks the sandbox, presses "Simulate: paid". */
async function payOnCheckout(checkoutUrl: string) {
  const page = await buyerRequest('get', checkoutUrl);
  expect(page.status).toBe(200);
  expect(page.headers['content-type']).toMatch(/^text\/html/);
  const state = await buyerRequest('get', `${checkoutUrl}/state`);
  expect(state.status).toBe(200);
  expect(state.body).toMatchObject({ status: 'pending', amount: '5.00', currency: 'USD', test_mode: true, gateway_selection: 'buyer', can_choose: true });
  expect(state.body.options.map((o: { id: string }) => o.id)).toContain('sandbox');
  const chosen = await buyerRequest('post', `${checkoutUrl}/choice`, { option: 'sandbox' });
  expect(chosen.status, JSON.stringify(chosen.body)).toBe(200);
  expect(chosen.body.selected).toMatchObject({ connector: 'sandbox' });
  const paid = await buyerRequest('post', `${checkoutUrl}/simulate`, { status: 'paid' });
  expect(paid.status, JSON.stringify(paid.body)).toBe(200);
  expect(paid.body.status).toBe('paid');
}

/** The invoice.paid event of an invoice, once Switchyard has recorded it. */
async function paidEventOf(invoiceId: string): Promise<string> {
  return eventually(async () => {
    const res = await h.client.get('/v1/events?type=invoice.paid', { auth: key });
    expect(res.status).toBe(200);
    const event = res.body.data.find((e: { data: { id: string } }) => e.data.id === invoiceId);
    expect(event).toBeDefined();
    return event.id as string;
  });
}

describe('the Telegram bot example', () => {
  it('/start greets the buyer with what is for sale', async () => {
    const chat = newChat();
    telegram.pushUserMessage(chat, '/start', { first_name: 'Ada' });
    const greeting = await nextMessage(chat, 0);
    expect(greeting.text).toContain('Hi Ada!');
    expect(greeting.text).toContain('Sticker pack for 5.00 USD');
    expect(greeting.text).toContain('/buy');
  });

  it('/buy → checkout link → paid on the hosted checkout → Switchyard’s invoice.paid → the item in the buyer’s chat', async () => {
    const chat = newChat();
    const { checkoutUrl } = await buy(chat);

    // The invoice carries what the webhook needs to find the chat again, and a way back to the bot.
    const invoice = await invoiceOf(chat);
    expect(invoice).toMatchObject({
      status: 'pending',
      amount: '5.00',
      currency: 'USD',
      description: 'Sticker pack',
      gateway_selection: 'buyer',
      checkout_url: checkoutUrl,
      external_id: `tg_${chat}_1`,
      metadata: { telegram_chat_id: chat, telegram_user_id: chat },
      return_url: `https://t.me/${telegram.bot.username}?start=tg_${chat}_1`,
    });

    await payOnCheckout(checkoutUrl);
    const delivered = await nextMessage(chat, 1);
    expect(delivered.text).toBe('Paid, here is your item: Sticker pack\nhttps://example.com/stickers.zip');

    // Switchyard saw the bot take the event.
    const eventId = await paidEventOf(invoice.id);
    const deliveries = await h.client.get(`/v1/events/${eventId}/deliveries`, { auth: key });
    expect(deliveries.body.data).toEqual([
      expect.objectContaining({ endpoint_id: endpointId, status: 'succeeded', attempts: [expect.objectContaining({ status_code: 200, response_body: '{"received":true}' })] }),
    ]);

    // The buyer comes back through the return_url deep link.
    telegram.pushUserMessage(chat, `/start tg_${chat}_1`);
    expect((await nextMessage(chat, 2)).text).toContain('Thanks!');
  });

  it('a redelivered event (same event id) is acknowledged but sends no second message', async () => {
    const chat = newChat();
    const { checkoutUrl } = await buy(chat);
    const invoice = await invoiceOf(chat);
    await payOnCheckout(checkoutUrl);
    await eventually(async () => expect(paidMessages(chat)).toHaveLength(1));

    const eventId = await paidEventOf(invoice.id);
    const redelivered = await h.client.post(`/v1/events/${eventId}/redeliver`, { auth: key, body: { endpoint_id: endpointId } });
    expect(redelivered.status, JSON.stringify(redelivered.body)).toBe(202);
    const manual = await eventually(async () => {
      const res = await h.client.get(`/v1/events/${eventId}/deliveries`, { auth: key });
      const delivery = res.body.data.find((d: { origin: string }) => d.origin === 'manual');
      expect(delivery?.status).toBe('succeeded');
      return delivery;
    });
    // The bot answered the second delivery only after deciding it had handled this event already.
    expect(manual.attempts.at(-1)).toMatchObject({ status_code: 200, response_body: '{"received":true,"duplicate":true}' });
    expect(paidMessages(chat)).toHaveLength(1);
  });

  it('a forged, unsigned or tampered invoice.paid is refused with 400 and sends nothing', async () => {
    const chat = newChat();
    await buy(chat);
    const invoice = await invoiceOf(chat);
    const before = telegram.messagesTo(chat).length;

    // What a forger would like the bot to believe: this chat's invoice is paid.
    const eventId = `evt_${randomBytes(13).toString('hex').toUpperCase()}`;
    const body = JSON.stringify({ id: eventId, type: 'invoice.paid', timestamp: new Date().toISOString(), data: { ...invoice, status: 'paid' } });
    /** Standard Webhooks headers as Switchyard sends them (webhook-id is the event id), signed with `secret` at `at`. */
    const signed = (secret: string, o: { at?: Date; id?: string; payload?: string } = {}) => {
      const at = o.at ?? new Date();
      const id = o.id ?? eventId;
      return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, at, o.payload ?? body) };
    };
    const post = (headers: Record<string, string>, payload = body) => {
      const { origin, pathname } = new URL(shop.receiver.url);
      return supertest(origin).post(pathname).set({ 'content-type': 'application/json', ...headers }).send(payload);
    };

    const secret = shop.config.webhookSecret;
    const attempts = {
      'signed with another secret': await post(signed(`whsec_${randomBytes(32).toString('base64')}`)),
      unsigned: await post({}),
      'tampered after signing': await post(signed(secret), body.replace('"status":"paid"', '"status":"paid" ')),
      'signed an hour ago': await post(signed(secret, { at: new Date(Date.now() - 3600_000) })),
    };
    for (const [what, res] of Object.entries(attempts)) {
      expect(res.status, what).toBe(400);
      expect(res.body, what).toEqual({ error: 'invalid signature' });
    }
    // The bot answers only after handling, so nothing can still be on its way.
    expect(telegram.messagesTo(chat)).toHaveLength(before);

    // The same signing, genuine and fresh, is accepted (here an event that sends nothing): the refusals above were the forgeries'.
    const testId = `evt_${randomBytes(13).toString('hex').toUpperCase()}`;
    const testEvent = JSON.stringify({ id: testId, type: 'webhook.test', timestamp: new Date().toISOString(), data: { object: 'webhook_test', endpoint_id: endpointId } });
    const accepted = await post(signed(secret, { id: testId, payload: testEvent }), testEvent);
    expect(accepted.status).toBe(200);
  });

  it('long polling waits for updates instead of spinning', () => {
    const polls = telegram.requests.filter((r) => r.apiMethod === 'getUpdates');
    // One poll per batch of updates (each test pushes a few) plus the idle ones; a busy loop would make thousands.
    expect(polls.length).toBeLessThan(40);
    expect(polls.filter((r) => r.status !== 0).every((r) => r.status === 200)).toBe(true); // the last one may still be waiting
    expect(polls[0]!.params).toMatchObject({ timeout: 30 });
  });
});
