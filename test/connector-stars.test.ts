import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness } from './helpers/harness.js';
import { connectorConformance, type Connected } from './helpers/connector-conformance.js';
import { connectGatewayAccount, createShop, type Invoice } from './helpers/factories.js';
import type { Receiver } from './helpers/receiver.js';
import { refuseInserts } from './helpers/databases.js';
import { startStarsEmulator, SECRET_HEADER, type StarsEmulator, type StarsRequest } from './emulators/stars.js';
import { upstreamForwardsRepo } from '../src/db/upstream-forwards-repo.js';

const logLines: string[] = [];

const stars = connectorConformance({
  connector: 'stars',
  name: 'Telegram Stars',
  emulator: startStarsEmulator,
  invoice: { amount: '50', currency: 'XTR', description: 'Premium, one month' },
  credentialCheck: (r) => (r as StarsRequest).apiMethod === 'getMe',
  // No status query for one invoice link (see src/connectors/stars/PROTOCOL.md).
  statusQuery: false,
  forgeriesNotApplicable: {
    tampered:
      'Telegram authenticates the sender with a shared secret header and signs no body: a body changed in transit with the right header is genuine to any receiver (TLS is what protects it)',
  },
  logs: { write: (line) => void logLines.push(line) },
});

let h: Harness;
let emu: StarsEmulator;
let receiver: Receiver;
beforeAll(() => void ({ h, emu, receiver } = stars));

const slugOf = (invoice: Invoice) => invoice.gateway.upstream_id;
const callsOf = (apiMethod: string, since = 0) => emu.requests.slice(since).filter((r) => r.apiMethod === apiMethod);
const storedWebhooks = async (accountId: string) =>
  (await h.client.get(`/admin/v1/upstream-webhooks?gateway_account_id=${accountId}&limit=100`, { auth: h.operatorToken })).body.data as Array<{
    id: string;
    verified: boolean;
    processed_at: string | null;
    process_error: string | null;
    headers: Record<string, string>;
    body: string;
  }>;
const tenantEvents = (path: string, type: string, invoiceId: string) =>
  receiver.on(path).map((r) => JSON.parse(r.body) as { type: string; data: { id: string } }).filter((e) => e.type === type && e.data.id === invoiceId);

/** An account on a bot of its own (so webhook registrations of other tests do not interfere). */
async function connectOwnBot(opts: { config?: Record<string, unknown>; webhookSecret?: string; name?: string } = {}): Promise<Connected & { bot: StarsEmulator['bot'] }> {
  const bot = emu.addBot();
  const shop = await createShop(h, 'Stars');
  const account = await connectGatewayAccount(h, shop.testKey, {
    connector: 'stars',
    ...(opts.name ? { name: opts.name } : {}),
    credentials: { bot_token: bot.token, ...(opts.webhookSecret ? { webhook_secret: opts.webhookSecret } : {}) },
    config: { base_url: emu.baseUrl, ...opts.config },
  });
  const path = `/tenant/${shop.id}`;
  const res = await h.client.post('/v1/webhook-endpoints', { auth: shop.testKey, body: { url: receiver.url(path) } });
  expect(res.status).toBe(201);
  return { shop, key: shop.testKey, account, path, bot };
}

/** A paid Stars invoice: bought through the emulator (pre-checkout, then the payment), and applied. */
async function paidInvoice(connected: Connected, body: Record<string, unknown> = {}, secret?: string) {
  const invoice = await stars.createInvoice(connected.key, body);
  await stars.holdReconciliation(invoice.id);
  const bought = await emu.buy(slugOf(invoice), stars.webhookTarget(connected.account), secret ? { secret } : {});
  expect(bought.outcome, JSON.stringify(bought.preCheckout)).toBe('paid');
  await eventually(async () => expect((await stars.invoiceOf(connected.key, invoice.id)).status).toBe('paid'));
  return { invoice, bought };
}

describe('Telegram Stars: connecting a bot', () => {
  it('checks the token with getMe, names the account after the bot, and points the bot’s webhook at webhook_url with a secret of its own (never shown, stored encrypted)', async () => {
    const before = emu.requests.length;
    const { account, key } = await stars.connect();
    expect(account.name).toBe(`@${emu.bot.username}`);
    expect(callsOf('getMe', before)).toHaveLength(1);
    const [setWebhook] = callsOf('setWebhook', before);
    expect(setWebhook!.params).toMatchObject({ url: account.webhook_url, allowed_updates: ['message', 'pre_checkout_query'] });
    const secret = String(setWebhook!.params.secret_token);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 random bits
    expect(emu.bot.webhook).toEqual({ url: account.webhook_url, secret, allowedUpdates: ['message', 'pre_checkout_query'] });
    const shown = JSON.stringify((await h.client.get(`/v1/gateway-accounts/${account.id}`, { auth: key })).body);
    const stored = JSON.stringify(await h.core.db('gateway_accounts').where({ id: account.id }).first());
    for (const text of [shown, stored]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(emu.token);
    }
  });

  it('a name of the tenant’s is kept', async () => {
    const { account } = await connectOwnBot({ name: 'Shop bot' });
    expect(account.name).toBe('Shop bot');
  });

  it('a token Telegram refuses is 422 upstream_credentials_invalid, and nothing is registered', async () => {
    const shop = await createShop(h, 'Stars refused');
    const before = emu.requests.length;
    const res = await h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'stars', credentials: emu.refusedCredentials, config: { base_url: emu.baseUrl } } });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'upstream_credentials_invalid', upstream_code: 'HTTP_401' });
    expect(JSON.stringify(res.body)).not.toContain(String(emu.refusedCredentials.bot_token));
    expect(callsOf('setWebhook', before)).toEqual([]);
  });

  it('a webhook Telegram refuses to set refuses the account, with Telegram’s reason', async () => {
    const bot = emu.addBot();
    const shop = await createShop(h, 'Stars no webhook');
    emu.failNext('setWebhook', { status: 400, description: 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook' });
    const res = await h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'stars', credentials: { bot_token: bot.token }, config: { base_url: emu.baseUrl } } });
    expect(res.status).toBe(422);
    expect(res.body.detail).toContain('An HTTPS URL must be provided for webhook');
    expect((await h.client.get('/v1/gateway-accounts?connector=stars', { auth: shop.testKey })).body.data).toEqual([]);
  });

  it('an account PostgreSQL refuses to store leaves no webhook behind at Telegram', async () => {
    await refuseInserts(h.core.db, 'gateway_accounts', 'name', 'Refused bot');
    const bot = emu.addBot();
    const shop = await createShop(h, 'Stars refused row');
    const before = emu.requests.length;
    const res = await h.client.post('/v1/gateway-accounts', { auth: shop.testKey, body: { connector: 'stars', name: 'Refused bot', credentials: { bot_token: bot.token }, config: { base_url: emu.baseUrl } } });
    expect(res.status).toBe(500);
    expect(callsOf('setWebhook', before).map((r) => r.botId)).toEqual([bot.id]);
    expect(callsOf('deleteWebhook', before).map((r) => r.botId)).toEqual([bot.id]);
    expect(bot.webhook).toBeNull();
    expect(await h.core.db('gateway_accounts').where({ tenant_id: shop.id, connector: 'stars' })).toEqual([]);
  });

  it('deleting the account removes the bot’s webhook while it still points here, and leaves one the tenant took back', async () => {
    const { account, key, bot } = await connectOwnBot();
    expect(bot.webhook?.url).toBe(account.webhook_url);
    let before = emu.requests.length;
    expect((await h.client.delete(`/v1/gateway-accounts/${account.id}`, { auth: key })).status).toBe(200);
    expect(callsOf('deleteWebhook', before).map((r) => r.botId)).toEqual([bot.id]);
    expect(bot.webhook).toBeNull();

    const other = await connectOwnBot();
    other.bot.webhook = { url: 'https://bot.example/own', secret: 'theirs', allowedUpdates: [] };
    before = emu.requests.length;
    expect((await h.client.delete(`/v1/gateway-accounts/${other.account.id}`, { auth: other.key })).status).toBe(200);
    expect(callsOf('deleteWebhook', before)).toEqual([]);
    expect(other.bot.webhook?.url).toBe('https://bot.example/own');
  });

  it('changing forward_url later passes the change on to the webhook (Telegram’s default update set), keeping the secret', async () => {
    const { account, key, bot } = await connectOwnBot();
    const secret = bot.webhook!.secret;
    const res = await h.client.patch(`/v1/gateway-accounts/${account.id}`, { auth: key, body: { config: { base_url: emu.baseUrl, forward_url: receiver.url('/bot/later') } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(bot.webhook).toEqual({ url: account.webhook_url, secret, allowedUpdates: [] });
  });

  it('with a webhook_secret of the tenant’s, the bot’s webhook is left alone', async () => {
    const before = emu.requests.length;
    const { bot } = await connectOwnBot({ webhookSecret: 'tenant_secret_1' });
    expect(callsOf('setWebhook', before)).toEqual([]);
    expect(bot.webhook).toBeNull();
  });

  it('a forward_url resolving to a private address is refused unless the operator allows it (422 url_not_allowed)', async () => {
    const { startHarness } = await import('./helpers/harness.js');
    const strict = await startHarness({ ALLOW_PRIVATE_WEBHOOK_URLS: 'false' });
    try {
      const shop = await strict.createTenant('Stars strict');
      const res = await strict.client.post('/v1/gateway-accounts', {
        auth: shop.testKey,
        body: { connector: 'stars', credentials: { bot_token: emu.token }, config: { forward_url: 'http://127.0.0.1:9/bot' } },
      });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'url_not_allowed', errors: [{ field: '/body/config/forward_url' }] });
    } finally {
      await strict.close();
    }
  });
});

describe('Telegram Stars: creating invoices', () => {
  it('createInvoiceLink gets title and description from ours, our invoice id as payload, no provider token, XTR and one price in whole stars; pay_url is the t.me link', async () => {
    const { key } = await stars.connect();
    const before = emu.requests.length;
    const invoice = await stars.createInvoice(key, { amount: '75', description: 'Gold pack\n100 gems and a hat' });
    const [create] = callsOf('createInvoiceLink', before);
    expect(create!.params).toEqual({
      title: 'Gold pack',
      description: 'Gold pack\n100 gems and a hat',
      payload: invoice.id,
      provider_token: '',
      currency: 'XTR',
      prices: [{ label: 'Gold pack', amount: 75 }],
    });
    expect(invoice.pay_url).toBe(`https://t.me/$${slugOf(invoice)}`);
    expect(emu.links.get(slugOf(invoice))).toMatchObject({ payload: invoice.id, amount: 75 });
  });

  it('long texts are cut at a character boundary with an ellipsis (never splitting an emoji) and accepted by Telegram; no description gets a default', async () => {
    const { key } = await stars.connect();
    const before = emu.requests.length;
    // 🌟 is two UTF-16 code units; the family emoji at the end is one grapheme of eleven.
    const long = `${'🌟'.repeat(20)} ${'Lorem ipsum dolor sit amet '.repeat(20)}👨‍👩‍👧‍👦`;
    const cut = await stars.createInvoice(key, { description: long });
    const plain = await stars.createInvoice(key, { amount: '3', description: undefined });
    const [first, second] = callsOf('createInvoiceLink', before).map((r) => r.params as { title: string; description: string });
    expect(cut.status).toBe('pending');
    expect(first!.title).toBe(`${'🌟'.repeat(15)}…`);
    expect(first!.description.length).toBeLessThanOrEqual(255);
    expect(first!.description).toMatch(/^(🌟){20} Lorem ipsum .*…$/su);
    expect(second).toMatchObject({ title: 'Payment', description: `Payment of 3 Telegram Stars (ref. ${plain.id})` });
  });

  it('only XTR invoices are routed to it, and only whole stars: anything else never reaches Telegram', async () => {
    const { key } = await stars.connect();
    const before = emu.requests.length;
    const usd = await h.client.post('/v1/invoices', { auth: key, body: { amount: '5', currency: 'USDT', gateway: 'stars' } });
    expect(usd.status).toBe(422);
    expect(usd.body.code).toBe('no_gateway_available');
    const fraction = await h.client.post('/v1/invoices', { auth: key, body: { amount: '1.5', currency: 'XTR', gateway: 'stars' } });
    expect(fraction.status).toBe(422);
    expect(fraction.body.errors[0]).toMatchObject({ field: '/body/amount' });
    expect(callsOf('createInvoiceLink', before)).toEqual([]);
  });

  it('an invoice cannot be synced: 422 sync_not_supported', async () => {
    const { key } = await stars.connect();
    const invoice = await stars.createInvoice(key);
    const res = await h.client.post(`/v1/invoices/${invoice.id}/sync`, { auth: key });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('sync_not_supported');
  });
});

describe('Telegram Stars: a buyer pays', () => {
  it('the pre-checkout query is answered ok on the request path, before it is acknowledged; then the payment makes the invoice paid and the tenant gets ONE invoice.paid', async () => {
    const connected = await stars.connect();
    const { invoice, bought } = await paidInvoice(connected);
    expect(bought.preCheckout).toMatchObject({ ok: true, answeredBeforeAck: true });
    expect(bought.preCheckoutAnswer.status).toBe(200);
    const paid = await stars.invoiceOf(connected.key, invoice.id);
    expect(paid.paid).toMatchObject({ amount: '50', currency: 'XTR', exception: null });
    // What a refund needs is kept: the charge and the payer.
    const row = await h.core.db('invoices').where({ id: invoice.id }).first();
    expect(row.upstream_data).toMatchObject({ telegram_payment_charge_id: bought.charge!.chargeId, stars_payer_user_id: bought.charge!.userId });
    await eventually(async () => expect(tenantEvents(connected.path, 'invoice.paid', invoice.id)).toHaveLength(1));
    await stars.webhooksProcessed(connected.account.id);
    expect(await stars.eventsOf(connected.key, invoice.id, 'invoice.paid')).toHaveLength(1);
    // Both updates are stored like every inbound webhook, without the secret header.
    const stored = await storedWebhooks(connected.account.id);
    expect(stored).toHaveLength(2);
    for (const w of stored) {
      expect(w.verified).toBe(true);
      expect(Object.keys(w.headers).map((k) => k.toLowerCase())).not.toContain(SECRET_HEADER);
    }
  });

  it.each([
    ['a changed price', 'The price has changed. Please ask the seller for a new invoice.'],
    ['an expired invoice', 'This invoice has expired. Please ask the seller for a new one.'],
    ['an invoice already paid', 'This invoice has already been paid.'],
    ['an invoice Switchyard does not know', 'This invoice is no longer valid. Please ask the seller for a new one.'],
  ])('%s is refused at pre-checkout with a message the buyer understands, and nothing is paid', async (what, message) => {
    const connected = await stars.connect();
    const target = stars.webhookTarget(connected.account);
    const invoice = await stars.createInvoice(connected.key);
    await stars.holdReconciliation(invoice.id);
    let slug = slugOf(invoice);
    let opts: { amount?: number } = {};
    if (what === 'a changed price') opts = { amount: 49 };
    if (what === 'an expired invoice') await h.core.db('invoices').where({ id: invoice.id }).update({ expires_at: new Date(Date.now() - 1000) });
    if (what === 'an invoice already paid') await paidAgain(connected, invoice);
    if (what === 'an invoice Switchyard does not know') {
      const link = await fetch(`${emu.baseUrl}/bot${emu.token}/createInvoiceLink`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'x', description: 'x', payload: 'inv_01ARZ3NDEKTSV4RRFFQ69G5FAV', currency: 'XTR', prices: [{ label: 'x', amount: 50 }] }),
      });
      slug = ((await link.json()) as { result: string }).result.split('$')[1]!;
    }
    const before = emu.charges.size;
    const bought = await emu.buy(slug, target, opts);
    expect(bought).toMatchObject({ outcome: 'refused', preCheckout: { ok: false, errorMessage: message, answeredBeforeAck: true } });
    expect(emu.charges.size).toBe(before);
    await stars.webhooksProcessed(connected.account.id);
    const stored = await storedWebhooks(connected.account.id);
    expect(stored.filter((w) => JSON.parse(w.body).pre_checkout_query?.id === bought.preCheckout.id)).toEqual([expect.objectContaining({ verified: true, processed_at: expect.any(String) })]);
    if (what !== 'an invoice already paid') expect((await stars.invoiceOf(connected.key, invoice.id)).status).toBe('pending');
  });

  /** Pays the invoice once (for the "already paid" case). */
  async function paidAgain(connected: Connected, invoice: Invoice) {
    const first = await emu.buy(slugOf(invoice), stars.webhookTarget(connected.account));
    expect(first.outcome).toBe('paid');
    await eventually(async () => expect((await stars.invoiceOf(connected.key, invoice.id)).status).toBe('paid'));
  }

  it('a Russian-speaking buyer is refused in Russian', async () => {
    const connected = await stars.connect();
    const invoice = await stars.createInvoice(connected.key);
    const bought = await emu.buy(slugOf(invoice), stars.webhookTarget(connected.account), { amount: 10, languageCode: 'ru' });
    expect(bought.preCheckout.errorMessage).toBe('Цена изменилась. Попросите продавца выставить новый счёт.');
  });

  it('a failed answer call is logged and changes nothing else: the update is acknowledged, stored and processed', async () => {
    const connected = await stars.connect();
    const invoice = await stars.createInvoice(connected.key);
    emu.failNext('answerPreCheckoutQuery', { status: 500, description: 'Internal Server Error' });
    const sent = await emu.sendUpdate(
      { update_id: emu.nextUpdateId(), pre_checkout_query: { id: '77001', from: { id: 5, is_bot: false, first_name: 'B' }, currency: 'XTR', total_amount: 50, invoice_payload: invoice.id } },
      stars.webhookTarget(connected.account),
    );
    expect(sent.status).toBe(200);
    await stars.webhooksProcessed(connected.account.id);
    expect(await storedWebhooks(connected.account.id)).toEqual([expect.objectContaining({ verified: true, processed_at: expect.any(String), process_error: null })]);
    expect(logLines.some((l) => l.includes('upstream webhook answer failed'))).toBe(true);
  });

  it('an answer slower than the budget does not hold the acknowledgement: the update is stored first and acknowledged within the budget', async () => {
    const connected = await stars.connect();
    const invoice = await stars.createInvoice(connected.key);
    // Held far beyond the budget: the answer call can only be given up on.
    emu.failNext('answerPreCheckoutQuery', { delayMs: 60_000 });
    const sent = await emu.sendUpdate(
      { update_id: emu.nextUpdateId(), pre_checkout_query: { id: '77002', from: { id: 5, is_bot: false, first_name: 'B' }, currency: 'XTR', total_amount: 50, invoice_payload: invoice.id } },
      stars.webhookTarget(connected.account),
    );
    expect(sent.status).toBe(200);
    const answer = callsOf('answerPreCheckoutQuery').find((r) => r.params.pre_checkout_query_id === '77002');
    // The emulator saw the answer call begin, but our acknowledgement came before it was answered.
    expect(answer?.status).toBe(0);
    expect(await storedWebhooks(connected.account.id)).toEqual([expect.objectContaining({ verified: true })]);
    expect(logLines.some((l) => l.includes('took too long') || l.includes('upstream webhook answer failed'))).toBe(true);
    await stars.webhooksProcessed(connected.account.id);
  }, 20_000);
});

describe('Telegram Stars: your bot keeps its webhook and forwards payment updates', () => {
  it('payment updates forwarded with the tenant’s secret pay the invoice; another secret is refused', async () => {
    const connected = await connectOwnBot({ webhookSecret: 'tenant_secret_2' });
    const invoice = await stars.createInvoice(connected.key);
    const target = stars.webhookTarget(connected.account);
    const forged = await emu.buy(slugOf(invoice), target, { secret: 'not_the_secret' });
    expect(forged).toMatchObject({ outcome: 'webhook_failed', preCheckoutAnswer: { status: 401 }, preCheckout: { answeredAt: null } });
    const bought = await emu.buy(slugOf(invoice), target, { secret: 'tenant_secret_2' });
    expect(bought).toMatchObject({ outcome: 'paid', preCheckout: { ok: true, answeredBeforeAck: true } });
    await eventually(async () => expect((await stars.invoiceOf(connected.key, invoice.id)).status).toBe('paid'));
    await eventually(async () => expect(tenantEvents(connected.path, 'invoice.paid', invoice.id)).toHaveLength(1));
  });
});

describe('Telegram Stars: Switchyard owns the webhook and forwards the rest', () => {
  it('every other update reaches forward_url with the same bytes and the same secret header, retried when it fails once; payment updates of ours stay here', async () => {
    const botPath = `/bot/${Date.now()}`;
    const connected = await connectOwnBot({ config: { forward_url: receiver.url(botPath) } });
    expect(connected.bot.webhook?.allowedUpdates).toEqual([]);
    const secret = connected.bot.webhook!.secret;
    const target = stars.webhookTarget(connected.account);
    receiver.respond(botPath, { status: 500, body: 'busy' });
    const start = await emu.sendMessage('/start', target);
    expect(start.status).toBe(200);
    await eventually(async () => expect(receiver.on(botPath)).toHaveLength(2));
    for (const got of receiver.on(botPath)) {
      expect(Buffer.from(got.body, 'utf8').equals(start.bytes)).toBe(true);
      expect(got.headers[SECRET_HEADER]).toBe(secret);
    }
    const [webhook] = await storedWebhooks(connected.account.id);
    await eventually(async () => expect(await upstreamForwardsRepo.find(h.core.db, webhook!.id)).toMatchObject({ status: 'delivered', attempts: 2, last_status_code: 200 }));

    await paidInvoice(connected);
    await stars.webhooksProcessed(connected.account.id);
    expect(receiver.on(botPath)).toHaveLength(2);
  });

  it('a payment that is not Switchyard’s is forwarded and left for the tenant’s bot to answer', async () => {
    const botPath = `/bot/own-${Date.now()}`;
    const connected = await connectOwnBot({ config: { forward_url: receiver.url(botPath) } });
    const before = emu.requests.length;
    const sent = await emu.sendUpdate(
      { update_id: emu.nextUpdateId(), pre_checkout_query: { id: '88001', from: { id: 9, is_bot: false, first_name: 'B' }, currency: 'XTR', total_amount: 5, invoice_payload: 'order-17' } },
      stars.webhookTarget(connected.account),
    );
    expect(sent.status).toBe(200);
    await eventually(async () => expect(receiver.on(botPath).map((r) => r.body)).toEqual([sent.bytes.toString('utf8')]));
    expect(callsOf('answerPreCheckoutQuery', before)).toEqual([]);
  });

  it('without forward_url nothing is forwarded, and someone else’s pre-checkout query is refused rather than left to time out', async () => {
    const connected = await connectOwnBot();
    const before = emu.requests.length;
    await emu.sendUpdate(
      { update_id: emu.nextUpdateId(), pre_checkout_query: { id: '88002', from: { id: 9, is_bot: false, first_name: 'B' }, currency: 'XTR', total_amount: 5, invoice_payload: 'order-18' } },
      stars.webhookTarget(connected.account),
    );
    expect(callsOf('answerPreCheckoutQuery', before).map((r) => r.params)).toEqual([
      { pre_checkout_query_id: '88002', ok: false, error_message: 'This invoice is no longer valid. Please ask the seller for a new one.' },
    ]);
    await stars.webhooksProcessed(connected.account.id);
    expect(await upstreamForwardsRepo.listForAccount(h.core.db, connected.account.id)).toEqual([]);
  });
});

describe('Telegram Stars: refunds', () => {
  it('POST /v1/invoices/{id}/refund calls refundStarPayment with the payer and the charge; the invoice is refunded and the tenant gets invoice.refunded', async () => {
    const connected = await stars.connect();
    const { invoice, bought } = await paidInvoice(connected);
    const before = emu.requests.length;
    const res = await h.client.post(`/v1/invoices/${invoice.id}/refund`, { auth: connected.key, headers: { 'Idempotency-Key': `refund-${invoice.id}` }, body: { reason: 'customer asked' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'refunded', refunds: [{ amount: '50', currency: 'XTR', status: 'succeeded', reference: bought.charge!.chargeId, source: 'api', reason: 'customer asked' }] });
    expect(callsOf('refundStarPayment', before).map((r) => r.params)).toEqual([{ user_id: bought.charge!.userId, telegram_payment_charge_id: bought.charge!.chargeId }]);
    expect(emu.charges.get(bought.charge!.chargeId)!.refundedAt).not.toBeNull();
    await eventually(async () => expect(tenantEvents(connected.path, 'invoice.refunded', invoice.id)).toHaveLength(1));
    // Telegram's own notice of that refund afterwards changes nothing more.
    await emu.refundFromTelegram(bought.charge!.chargeId, stars.webhookTarget(connected.account));
    await stars.webhooksProcessed(connected.account.id);
    expect(await stars.eventsOf(connected.key, invoice.id, 'invoice.refunded')).toHaveLength(1);
  });

  it('a refund Telegram reports (refunded_payment) refunds the invoice too', async () => {
    const connected = await stars.connect();
    const { invoice, bought } = await paidInvoice(connected);
    const sent = await emu.refundFromTelegram(bought.charge!.chargeId, stars.webhookTarget(connected.account));
    expect(sent.status).toBe(200);
    await eventually(async () => expect((await stars.invoiceOf(connected.key, invoice.id)).status).toBe('refunded'));
    const refunded = (await h.client.get(`/v1/invoices/${invoice.id}`, { auth: connected.key })).body;
    expect(refunded.refunds).toEqual([expect.objectContaining({ amount: '50', currency: 'XTR', reference: bought.charge!.chargeId, source: 'upstream' })]);
    await eventually(async () => expect(tenantEvents(connected.path, 'invoice.refunded', invoice.id)).toHaveLength(1));
  });

  it('a refund Telegram refuses leaves the invoice paid, with Telegram’s reason (422 refund_declined)', async () => {
    const connected = await stars.connect();
    const { invoice } = await paidInvoice(connected);
    emu.failNext('refundStarPayment', { status: 400, description: 'Bad Request: CHARGE_ALREADY_REFUNDED' });
    const res = await h.client.post(`/v1/invoices/${invoice.id}/refund`, { auth: connected.key, headers: { 'Idempotency-Key': `refund-no-${invoice.id}` }, body: {} });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'refund_declined', upstream_code: 'CHARGE_ALREADY_REFUNDED' });
    expect(res.body.detail).toContain('Bad Request: CHARGE_ALREADY_REFUNDED');
    expect((await stars.invoiceOf(connected.key, invoice.id)).status).toBe('paid');
  });
});

describe('Telegram Stars: the bot token stays secret', () => {
  it('the balance comes from getMyStarBalance', async () => {
    const { key, account } = await stars.connect();
    const res = await h.client.get(`/v1/gateway-accounts/${account.id}/balance`, { auth: key });
    expect(res.status).toBe(200);
    expect(res.body.balances).toEqual([{ currency: 'XTR', available: expect.stringMatching(/^\d+$/), onhold: '0' }]);
  });

  it('after every flow above (and an upstream failure), no bot token or webhook secret is in any stored row, log line or answer', async () => {
    const { key } = await stars.connect();
    emu.failNext('createInvoiceLink', { status: 500, description: 'Internal Server Error' });
    const failed = await h.client.post('/v1/invoices', { auth: key, body: { amount: '5', currency: 'XTR', gateway: 'stars' } });
    expect(failed.status).toBe(502);
    const answers = JSON.stringify(failed.body);
    const secrets = [...emu.bots.values()].flatMap((b) => [b.token, ...(b.webhook?.secret ? [b.webhook.secret] : [])]);
    const tables = (await h.core.db.raw(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).rows.map((r: { tablename: string }) => r.tablename);
    let dump = '';
    for (const table of tables) dump += JSON.stringify(await h.core.db(table).select('*'));
    expect(logLines.length).toBeGreaterThan(0);
    const logs = logLines.join('\n');
    for (const secret of secrets) {
      expect(answers).not.toContain(secret);
      expect(dump, 'a stored row').not.toContain(secret);
      expect(logs, 'a log line').not.toContain(secret);
    }
  });
});
