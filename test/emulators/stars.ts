/**
 * Loopback emulator of the Telegram Bot API's payment side for Telegram Stars, after the Bot API
 * documentation, and of Telegram itself delivering updates to a bot's webhook.
 *
 * The API: `POST ${baseUrl}/bot<token>/<method>` (and `/bot<token>/test/<method>`, Telegram's test
 * environment), like https://api.telegram.org, in the transport of telegram-bot-api-protocol.ts
 * (parameters, the ok/result envelope, 404 for a path naming no known method). A token of the
 * right shape that names no bot is 401 `Unauthorized`, any other 404 `Not Found`.
 *
 * Methods: getMe, createInvoiceLink (XTR: no provider token, exactly one price, whole stars),
 * answerPreCheckoutQuery (within 10 s of the query, once), setWebhook, deleteWebhook,
 * getWebhookInfo, refundStarPayment, getStarTransactions (oldest first, as TDLib asks for bots),
 * getMyStarBalance.
 *
 * Telegram's side: `buy` plays a buyer paying an invoice link — a `pre_checkout_query` update
 * to the bot's webhook (with `X-Telegram-Bot-Api-Secret-Token`), then, only if the bot answered
 * ok within 10 s, the `successful_payment` message; `refundFromTelegram` sends the
 * `refunded_payment` message; `sendMessage` a plain text message (a `/start`). Updates go to the
 * webhook registered with setWebhook (and only of the types it allows), or to any URL with an
 * explicit secret (a tenant's bot forwarding them).
 *
 * Assumptions where the documentation is silent, marked "assumption" below: the error
 * descriptions other than Unauthorized / Not Found / the expired-query one; the 10000-star price
 * ceiling (`maxStars`); charge ids shaped `stxAbc…`.
 */
import { randomInt } from 'node:crypto';
import { request } from 'undici';
import { BotApiError, URL_SAFE, badRequest, bool, integer, jsonArray, newBotToken, randomString, startBotApiServer, text, type BotApiFailure, type BotApiMethod, type BotApiRecord } from './telegram-bot-api-protocol.js';
import { createFailureQueue, stopServer, variantSwitches, type InvoiceLookup, type RecordedRequest, type UpstreamEmulator, type WebhookAnswer, type WebhookTarget } from './emulator-kit.js';

/** How long Telegram waits for answerPreCheckoutQuery. */
export const PRE_CHECKOUT_WINDOW_MS = 10_000;
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface StarsBot {
  token: string;
  id: number;
  username: string;
  firstName: string;
  webhook: { url: string; secret: string | null; allowedUpdates: string[] } | null;
}

export interface StarsLink {
  slug: string;
  url: string;
  botId: number;
  title: string;
  description: string;
  payload: string;
  amount: number;
  /** The successful_payment update of the last payInFull, sent again as is by sendInvoiceWebhook. */
  paidUpdate: Buffer | null;
}

export interface StarsCharge {
  chargeId: string;
  botId: number;
  slug: string;
  userId: number;
  amount: number;
  payload: string;
  date: number;
  refundedAt: number | null;
  /** Order of the payment, and of its refund, in the bot's transaction history. */
  seq: number;
  refundSeq: number | null;
}

export interface StarsRequest extends RecordedRequest, BotApiRecord {
  /** The token in the path, when it named a bot. */
  botId: number | null;
  /** When it arrived (Date.now()). */
  at: number;
}

/** One pre-checkout query Telegram sent, and what came of it. */
export interface PreCheckout {
  id: string;
  slug: string;
  userId: number;
  amount: number;
  sentAt: number;
  answeredAt: number | null;
  /** The bot's webhook answered (acknowledged the update) at. */
  ackAt: number | null;
  /** The answer reached us before the webhook call that carried the query was acknowledged. */
  answeredBeforeAck: boolean | null;
  ok: boolean | null;
  errorMessage: string | null;
}

export type BuyOutcome = 'paid' | 'refused' | 'timed_out' | 'webhook_failed';

export interface BuyResult {
  outcome: BuyOutcome;
  preCheckout: PreCheckout;
  preCheckoutAnswer: WebhookAnswer;
  charge?: StarsCharge;
  paymentAnswer?: WebhookAnswer;
  /** The exact bytes of the successful_payment update. */
  paymentUpdate?: Buffer;
}

export interface SentUpdate extends WebhookAnswer {
  bytes: Buffer;
  /** The secret-token header it carried (undefined when unsigned). */
  secret: string | undefined;
}

export interface StarsEmulator extends UpstreamEmulator {
  /** 'http://127.0.0.1:<port>' — stands in for https://api.telegram.org. */
  baseUrl: string;
  /** The main bot's token (emu.account's). */
  token: string;
  bot: StarsBot;
  bots: Map<string, StarsBot>;
  requests: StarsRequest[];
  links: Map<string, StarsLink>;
  charges: Map<string, StarsCharge>;
  preCheckouts: PreCheckout[];
  /** Another bot this emulator knows (for tests that need their own webhook registration). */
  addBot(): StarsBot;
  /** The next call(s) of apiMethod fail with this Bot API error (or only answer late, with `delayMs` and no status). */
  failNext(apiMethod: string, failure: { status?: number; description?: string; delayMs?: number; times?: number }): void;
  /** A buyer pays the link (see the file's comment); `amount` overrides the price Telegram shows (a price changed since). */
  buy(slug: string, to: WebhookTarget, opts?: { userId?: number; amount?: number; secret?: string; languageCode?: string }): Promise<BuyResult>;
  /** Telegram refunds a charge by itself and tells the bot (refunded_payment). */
  refundFromTelegram(chargeId: string, to: WebhookTarget, opts?: { secret?: string }): Promise<SentUpdate>;
  /** A user writes to the bot (a text message update). */
  sendMessage(text: string, to: WebhookTarget, opts?: { secret?: string; userId?: number }): Promise<SentUpdate>;
  /** Any update body, as Telegram would post it (genuine unless `forge`/`unsigned`). */
  sendUpdate(update: Record<string, unknown>, to: WebhookTarget, opts?: { secret?: string; forge?: boolean; unsigned?: boolean }): Promise<SentUpdate>;
  nextUpdateId(): number;
}

// ---------------------------------------------------------------------------------------------

const TOKEN_SHAPE = /^\d{1,20}:[A-Za-z0-9_-]{30,80}$/;
const SECRET_SHAPE = /^[A-Za-z0-9_-]{1,256}$/;

function newBot(): StarsBot {
  const { id, token } = newBotToken();
  return { token, id, username: `sy_${randomString(8).toLowerCase()}_bot`, firstName: 'Switchyard Test Shop', webhook: null };
}

/** The update type name of an update body (its one field besides update_id). */
function updateType(update: Record<string, unknown>): string {
  return Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown';
}

/** A lone surrogate (half of a split pair) cannot be encoded in UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text limits in characters (UTF-16 code units here, the stricter reading); a split surrogate pair is not text at all. */
function checkText(value: string, name: string, max: number): void {
  if (LONE_SURROGATE.test(value)) throw badRequest(`${name} must be encoded in UTF-8`);
  if (value.length < 1 || value.length > max) throw badRequest(`${name.toUpperCase()}_INVALID`); // assumption: wording
}

// ---------------------------------------------------------------------------------------------

export async function startStarsEmulator(opts: { maxStars?: number } = {}): Promise<StarsEmulator> {
  const maxStars = opts.maxStars ?? 10_000; // assumption: the price ceiling of one XTR invoice
  const main = newBot();
  const bots = new Map<string, StarsBot>([[main.token, main]]);
  const requests: StarsRequest[] = [];
  const links = new Map<string, StarsLink>();
  const charges = new Map<string, StarsCharge>();
  const preCheckouts: PreCheckout[] = [];
  /** Resolves a pending pre-checkout's waiter when the bot answers. */
  const answerWaiters = new Map<string, () => void>();
  const failures = createFailureQueue<BotApiFailure>();
  let updateId = randomInt(100_000_000, 900_000_000);
  let transactionSeq = 0;
  const nextUpdateId = () => updateId++;

  // ------------------------------------------------------------------------ API methods

  const methods: Record<string, BotApiMethod<StarsBot>> = {
    getMe: (bot) => ({ id: bot.id, is_bot: true, first_name: bot.firstName, username: bot.username, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false }),

    createInvoiceLink(bot, p) {
      const title = text(p, 'title', { required: true })!;
      const description = text(p, 'description', { required: true })!;
      const payload = text(p, 'payload', { required: true })!;
      const currency = text(p, 'currency', { required: true })!;
      checkText(title, 'title', 32);
      checkText(description, 'description', 255);
      if (Buffer.byteLength(payload) > 128) throw badRequest('INVOICE_PAYLOAD_INVALID'); // assumption: wording
      if (currency !== 'XTR') throw badRequest('CURRENCY_INVALID'); // this emulator plays Stars only
      if (text(p, 'provider_token')) throw badRequest('PROVIDER_TOKEN_INVALID'); // Stars invoices take none (assumption: wording)
      const prices = jsonArray(p, 'prices');
      if (!prices?.length) throw badRequest('There must be at least one price');
      if (prices.length !== 1) throw badRequest('INVOICE_PRICES_INVALID'); // XTR: exactly one price (assumption: wording)
      const price = prices[0] as { label?: unknown; amount?: unknown };
      if (typeof price.label !== 'string' || !price.label) throw badRequest("Can't parse labeled price: Field \"label\" must be of type String");
      if (typeof price.amount !== 'number' || !Number.isSafeInteger(price.amount)) throw badRequest("Can't parse labeled price: Field \"amount\" must be of type Number");
      if (price.amount < 1 || price.amount > maxStars) throw badRequest('CURRENCY_TOTAL_AMOUNT_INVALID');
      let slug: string;
      do slug = randomString(20, URL_SAFE);
      while (links.has(slug));
      const link: StarsLink = { slug, url: `https://t.me/$${slug}`, botId: bot.id, title, description, payload, amount: price.amount, paidUpdate: null };
      links.set(slug, link);
      return link.url;
    },

    answerPreCheckoutQuery(_bot, p) {
      const id = text(p, 'pre_checkout_query_id', { required: true })!;
      const ok = bool(p, 'ok');
      const errorMessage = ok ? null : text(p, 'error_message', { required: true })!;
      const query = preCheckouts.find((q) => q.id === id);
      const now = Date.now();
      if (!query || query.answeredAt !== null || now - query.sentAt > PRE_CHECKOUT_WINDOW_MS) {
        throw badRequest('query is too old and response timeout expired or query ID is invalid');
      }
      Object.assign(query, { answeredAt: now, ok, errorMessage });
      answerWaiters.get(id)?.();
      return true;
    },

    setWebhook(bot, p) {
      const url = text(p, 'url') ?? '';
      const secret = text(p, 'secret_token') ?? null;
      if (secret !== null && !SECRET_SHAPE.test(secret)) throw badRequest('secret token contains unallowed characters');
      const allowed = (jsonArray(p, 'allowed_updates') ?? bot.webhook?.allowedUpdates ?? []).map(String);
      if (url) new URL(url); // a malformed URL throws: answered below as a bad request
      bot.webhook = url ? { url, secret, allowedUpdates: allowed } : null;
      return true;
    },

    deleteWebhook(bot) {
      bot.webhook = null;
      return true;
    },

    getWebhookInfo: (bot) => ({
      url: bot.webhook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: 0,
      ...(bot.webhook?.allowedUpdates.length ? { allowed_updates: bot.webhook.allowedUpdates } : {}),
    }),

    refundStarPayment(bot, p) {
      const userId = integer(p, 'user_id', { required: true })!;
      const chargeId = text(p, 'telegram_payment_charge_id', { required: true })!;
      const charge = charges.get(chargeId);
      if (!charge || charge.botId !== bot.id) throw badRequest('CHARGE_NOT_FOUND'); // assumption: wording
      if (charge.userId !== userId) throw badRequest('USER_ID_INVALID'); // assumption: wording
      if (charge.refundedAt !== null) throw badRequest('CHARGE_ALREADY_REFUNDED');
      charge.refundedAt = Math.floor(Date.now() / 1000);
      charge.refundSeq = ++transactionSeq;
      return true;
    },

    getStarTransactions(bot, p) {
      const offset = integer(p, 'offset') ?? 0;
      const limit = integer(p, 'limit') ?? 100;
      if (limit < 1 || limit > 100) throw badRequest('limit must be between 1 and 100'); // assumption: wording
      return { transactions: transactionsOf(bot).slice(offset, offset + limit) };
    },

    getMyStarBalance: (bot) => ({
      amount: [...charges.values()].filter((c) => c.botId === bot.id && c.refundedAt === null).reduce((sum, c) => sum + c.amount, 0),
    }),
  };

  /** The bot's transactions, oldest first: each payment in, and each refund out (same id as its payment). */
  function transactionsOf(bot: StarsBot) {
    const user = (id: number) => ({ id, is_bot: false, first_name: 'Buyer' });
    const entries = [...charges.values()]
      .filter((c) => c.botId === bot.id)
      .flatMap((c) => [
        { seq: c.seq, tx: { id: c.chargeId, amount: c.amount, date: c.date, source: { type: 'user', transaction_type: 'invoice_payment', user: user(c.userId), invoice_payload: c.payload } } },
        ...(c.refundedAt !== null ? [{ seq: c.refundSeq ?? 0, tx: { id: c.chargeId, amount: c.amount, date: c.refundedAt, receiver: { type: 'user', transaction_type: 'invoice_payment', user: user(c.userId), invoice_payload: c.payload } } }] : []),
      ]);
    return entries.sort((a, b) => a.seq - b.seq).map((e) => e.tx);
  }

  const { server, baseUrl } = await startBotApiServer({
    methods,
    testEnvironment: true,
    failures,
    record(req, url, apiMethod) {
      const record: StarsRequest = { method: req.method ?? 'GET', path: url.pathname, headers: req.headers, authentic: false, apiMethod, params: {}, botId: null, status: 0, at: Date.now() };
      requests.push(record);
      return record;
    },
    authenticate(token, record) {
      const bot = bots.get(token);
      if (!bot) throw TOKEN_SHAPE.test(token) ? new BotApiError(401, 'Unauthorized') : new BotApiError(404, 'Not Found');
      record.authentic = true;
      record.botId = bot.id;
      return bot;
    },
  });

  // ------------------------------------------------------------------------ Telegram's side

  /** The bot whose registered webhook is this target, if any. */
  const registeredAt = (to: WebhookTarget) => [...bots.values()].find((b) => b.webhook && b.webhook.url === (to.publicUrl ?? to.url));

  /** POSTs one update like Telegram: compact JSON, the secret-token header of the webhook (or the given secret). */
  async function postUpdate(update: Record<string, unknown>, to: WebhookTarget, o: { secret?: string; forge?: boolean; unsigned?: boolean } = {}): Promise<SentUpdate> {
    let secret = o.secret;
    if (secret === undefined) {
      const bot = registeredAt(to);
      if (!bot) throw new Error(`no bot's webhook is ${to.publicUrl ?? to.url}: pass the secret of the bot that forwards to it`);
      const allowed = bot.webhook!.allowedUpdates;
      const type = updateType(update);
      // An empty list is Telegram's default set: everything but chat_member and reactions.
      const sent = allowed.length ? allowed.includes(type) : !['chat_member', 'message_reaction', 'message_reaction_count'].includes(type);
      if (!sent) throw new Error(`Telegram would not send a ${type} update: the webhook allows ${allowed.join(', ')}`);
      secret = bot.webhook!.secret ?? undefined;
    }
    if (o.forge) secret = randomString(43, URL_SAFE);
    const bytes = Buffer.from(JSON.stringify(update), 'utf8');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== undefined && !o.unsigned) headers[SECRET_HEADER] = secret;
    const res = await request(to.url, { method: 'POST', headers, body: bytes });
    return { status: res.statusCode, body: await res.body.text(), bytes, secret: headers[SECRET_HEADER] };
  }

  function mustLink(slug: string): StarsLink {
    const link = links.get(slug);
    if (!link) throw new Error(`no invoice link ${slug}`);
    return link;
  }

  function newCharge(link: StarsLink, userId: number, amount: number): StarsCharge {
    const charge: StarsCharge = { chargeId: `stx${randomString(40)}`, botId: link.botId, slug: link.slug, userId, amount, payload: link.payload, date: Math.floor(Date.now() / 1000), refundedAt: null, seq: ++transactionSeq, refundSeq: null };
    charges.set(charge.chargeId, charge);
    return charge;
  }

  function paymentUpdate(charge: StarsCharge): Buffer {
    const update = {
      update_id: nextUpdateId(),
      message: {
        message_id: randomInt(1, 1_000_000),
        from: { id: charge.userId, is_bot: false, first_name: 'Buyer', language_code: 'en' },
        chat: { id: charge.userId, first_name: 'Buyer', type: 'private' },
        date: charge.date,
        successful_payment: {
          currency: 'XTR',
          total_amount: charge.amount,
          invoice_payload: charge.payload,
          telegram_payment_charge_id: charge.chargeId,
          provider_payment_charge_id: '',
        },
      },
    };
    return Buffer.from(JSON.stringify(update), 'utf8');
  }

  async function buy(slug: string, to: WebhookTarget, o: { userId?: number; amount?: number; secret?: string; languageCode?: string } = {}): Promise<BuyResult> {
    const link = mustLink(slug);
    const userId = o.userId ?? randomInt(10_000_000, 2_000_000_000);
    const amount = o.amount ?? link.amount;
    const query: PreCheckout = { id: `${randomInt(1_000_000, 9_999_999)}${randomInt(100_000_000, 999_999_999)}`, slug, userId, amount, sentAt: Date.now(), answeredAt: null, ackAt: null, answeredBeforeAck: null, ok: null, errorMessage: null };
    preCheckouts.push(query);
    const answered = new Promise<void>((resolve) => answerWaiters.set(query.id, resolve));
    const preCheckoutAnswer = await postUpdate(
      {
        update_id: nextUpdateId(),
        pre_checkout_query: {
          id: query.id,
          from: { id: userId, is_bot: false, first_name: 'Buyer', language_code: o.languageCode ?? 'en' },
          currency: 'XTR',
          total_amount: amount,
          invoice_payload: link.payload,
        },
      },
      to,
      o.secret !== undefined ? { secret: o.secret } : {},
    );
    query.ackAt = Date.now();
    query.answeredBeforeAck = query.answeredAt !== null;
    const delivered = preCheckoutAnswer.status >= 200 && preCheckoutAnswer.status < 300;
    if (!delivered && query.answeredAt === null) {
      // The bot refused the update: no answer is coming (Telegram would redeliver it later).
      answerWaiters.delete(query.id);
      return { outcome: 'webhook_failed', preCheckout: query, preCheckoutAnswer };
    }
    // Telegram waits for the answer 10 s from sending the query, whatever the webhook said.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([answered, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, query.sentAt + PRE_CHECKOUT_WINDOW_MS - Date.now()))))]);
    clearTimeout(timer);
    answerWaiters.delete(query.id);
    if (query.answeredAt === null || query.answeredAt - query.sentAt > PRE_CHECKOUT_WINDOW_MS) return { outcome: 'timed_out', preCheckout: query, preCheckoutAnswer };
    if (!query.ok) return { outcome: 'refused', preCheckout: query, preCheckoutAnswer };
    const charge = newCharge(link, userId, amount);
    const bytes = paymentUpdate(charge);
    const paymentAnswer = await postUpdate(JSON.parse(bytes.toString('utf8')) as Record<string, unknown>, to, o.secret !== undefined ? { secret: o.secret } : {});
    return { outcome: 'paid', preCheckout: query, preCheckoutAnswer, charge, paymentAnswer, paymentUpdate: paymentAnswer.bytes };
  }

  async function refundFromTelegram(chargeId: string, to: WebhookTarget, o: { secret?: string } = {}): Promise<SentUpdate> {
    const charge = charges.get(chargeId);
    if (!charge) throw new Error(`no charge ${chargeId}`);
    if (charge.refundedAt === null) {
      charge.refundedAt = Math.floor(Date.now() / 1000);
      charge.refundSeq = ++transactionSeq;
    }
    return postUpdate(
      {
        update_id: nextUpdateId(),
        message: {
          message_id: randomInt(1, 1_000_000),
          from: { id: charge.userId, is_bot: false, first_name: 'Buyer' },
          chat: { id: charge.userId, first_name: 'Buyer', type: 'private' },
          date: charge.refundedAt,
          refunded_payment: { currency: 'XTR', total_amount: charge.amount, invoice_payload: charge.payload, telegram_payment_charge_id: charge.chargeId },
        },
      },
      to,
      o,
    );
  }

  function sendMessage(body: string, to: WebhookTarget, o: { secret?: string; userId?: number } = {}): Promise<SentUpdate> {
    const userId = o.userId ?? randomInt(10_000_000, 2_000_000_000);
    return postUpdate(
      {
        update_id: nextUpdateId(),
        message: {
          message_id: randomInt(1, 1_000_000),
          from: { id: userId, is_bot: false, first_name: 'Visitor', language_code: 'en' },
          chat: { id: userId, first_name: 'Visitor', type: 'private' },
          date: Math.floor(Date.now() / 1000),
          text: body,
          ...(body.startsWith('/') ? { entities: [{ offset: 0, length: body.split(' ')[0]!.length, type: 'bot_command' }] } : {}),
        },
      },
      to,
      o.secret !== undefined ? { secret: o.secret } : {},
    );
  }

  // ------------------------------------------------------------------------ the shared emulator interface

  function findInvoice(by: InvoiceLookup) {
    const link = 'invoiceId' in by ? [...links.values()].reverse().find((l) => l.payload === by.invoiceId) : links.get(by.upstreamId);
    return link && { upstreamId: link.slug, invoiceId: link.payload };
  }

  /** The payer pays without the pre-checkout dance (the shared interface); the payment's update is kept for sendInvoiceWebhook. */
  async function payInFull(slug: string): Promise<void> {
    const link = mustLink(slug);
    link.paidUpdate = paymentUpdate(newCharge(link, randomInt(10_000_000, 2_000_000_000), link.amount));
  }

  async function sendInvoiceWebhook(slug: string, to: WebhookTarget, variant: 'genuine' | 'forged' | 'unsigned' | 'tampered' | 'stale' = 'genuine'): Promise<WebhookAnswer> {
    const link = mustLink(slug);
    if (!link.paidUpdate) throw new Error(`invoice link ${slug} is not paid: call payInFull first`);
    const switches = variantSwitches(variant, WEBHOOK_VARIANTS);
    const sent = await postUpdate(JSON.parse(link.paidUpdate.toString('utf8')) as Record<string, unknown>, to, { ...(switches.forge ? { forge: true } : {}), ...(switches.unsigned ? { unsigned: true } : {}) });
    return { status: sent.status, body: sent.body };
  }

  let refusedToken: string;
  do refusedToken = newBot().token;
  while (bots.has(refusedToken));

  return {
    baseUrl,
    token: main.token,
    bot: main,
    bots,
    requests,
    links,
    charges,
    preCheckouts,
    addBot() {
      const bot = newBot();
      bots.set(bot.token, bot);
      return bot;
    },
    failNext(apiMethod, failure) {
      const { times, ...rest } = failure;
      failures.add(apiMethod, { status: rest.status ?? 0, ...(rest.description ? { description: rest.description } : {}), ...(rest.delayMs ? { delayMs: rest.delayMs } : {}) }, times ?? 1);
    },
    buy,
    refundFromTelegram,
    sendMessage,
    sendUpdate: postUpdate,
    nextUpdateId,
    account: { credentials: { bot_token: main.token }, config: { base_url: baseUrl } },
    refusedCredentials: { bot_token: refusedToken },
    findInvoice,
    payInFull,
    webhookVariants: WEBHOOK_VARIANTS,
    sendInvoiceWebhook,
    stop: () => stopServer(server),
  };
}

/**
 * The secret-token header is the whole of Telegram's scheme: it authenticates the sender, and
 * nothing covers the body, so a body changed in transit with the right header is genuine to any
 * receiver (TLS is what protects it). No tampered variant, and no timestamp to be stale.
 */
export const WEBHOOK_VARIANTS = ['genuine', 'forged', 'unsigned'] as const;
