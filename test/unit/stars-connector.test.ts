import { describe, expect, it } from 'vitest';
import { invoiceTexts, truncate } from '../../src/connectors/stars/invoice-text.js';
import { judgePreCheckout, refusalMessage } from '../../src/connectors/stars/pre-checkout.js';
import { isAboutOurInvoice, linkSlug, toCreateParams, toUpstreamEvents, updateSchema } from '../../src/connectors/stars/transformers.js';
import { unwrapBotApi, withoutToken } from '../../src/connectors/stars/bot-api.js';
import { createStarsConnector, newWebhookSecret, verifySecretToken } from '../../src/connectors/stars/index.js';
import type { AccountContext, InvoiceSnapshot } from '../../src/connectors/types.js';
import { UpstreamError, type UpstreamHttp } from '../../src/connectors/kit/index.js';

const INVOICE = 'inv_01JWRF867835BD1EWQACN7ENYP';
const TOKEN = '1234567890:AAH-very_secret_token_value_0123456789';

describe('Telegram Stars: invoice texts', () => {
  it('a text that fits is kept as it is', () => {
    expect(truncate('Premium', 32)).toBe('Premium');
    expect(truncate('x'.repeat(32), 32)).toBe('x'.repeat(32));
  });

  it('a longer one is cut to the limit with an ellipsis, counting UTF-16 code units', () => {
    const cut = truncate('x'.repeat(40), 32);
    expect(cut).toBe(`${'x'.repeat(31)}…`);
    expect(cut.length).toBe(32);
  });

  it.each([
    ['surrogate pairs', '🌟'.repeat(20)],
    ['a family emoji (one grapheme of eleven code units)', `${'a'.repeat(25)}👨‍👩‍👧‍👦 tail`],
    ['flags', '🇺🇦🇩🇪🇫🇷🇯🇵🇧🇷🇨🇦🇮🇹🇪🇸🇳🇱🇸🇪'],
    ['combining accents', 'e\u0301'.repeat(30)],
  ])('never splits %s', (_what, text) => {
    const cut = truncate(text, 32);
    expect(cut.length).toBeLessThanOrEqual(32);
    expect(cut.endsWith('…')).toBe(true);
    const kept = cut.slice(0, -1);
    expect(text.startsWith(kept)).toBe(true);
    const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);
    // What is kept ends exactly at a grapheme boundary of the original.
    let at = 0;
    const boundaries = new Set([0, ...graphemes.map((g) => (at += g.length))]);
    expect(boundaries.has(kept.length) || boundaries.has(kept.trimEnd().length)).toBe(true);
    expect(/[\uD800-\uDBFF]$/.test(kept)).toBe(false);
  });

  it('title: the first line of the description; description: all of it; defaults without one', () => {
    expect(invoiceTexts({ invoiceId: INVOICE, amount: '5', description: '  Gold pack \n\n100 gems  and a hat ' })).toEqual({ title: 'Gold pack', description: 'Gold pack \n\n100 gems and a hat' });
    expect(invoiceTexts({ invoiceId: INVOICE, amount: '5', description: '   ' })).toEqual({ title: 'Payment', description: `Payment of 5 Telegram Stars (ref. ${INVOICE})` });
    const long = invoiceTexts({ invoiceId: INVOICE, amount: '5', description: 'word '.repeat(100) });
    expect(long.title.length).toBeLessThanOrEqual(32);
    expect(long.description.length).toBeLessThanOrEqual(255);
  });

  it('createInvoiceLink parameters: one price in whole stars, our id as payload (≤128 bytes), no provider token', () => {
    const params = toCreateParams({
      invoiceId: INVOICE,
      amount: '250',
      currency: 'XTR',
      acceptedAssets: [],
      description: 'Premium',
      expiresAt: new Date(),
      expiresInSeconds: 3600,
      customer: null,
      returnUrl: null,
      failReturnUrl: null,
    });
    expect(params).toEqual({ title: 'Premium', description: 'Premium', payload: INVOICE, provider_token: '', currency: 'XTR', prices: [{ label: 'Premium', amount: 250 }] });
    expect(Buffer.byteLength(String(params.payload))).toBeLessThanOrEqual(128);
  });
});

describe('Telegram Stars: pre-checkout', () => {
  const query = { id: '1', from: { id: 7, language_code: 'en' }, currency: 'XTR', total_amount: 50, invoice_payload: INVOICE };
  const now = new Date('2026-12-01T12:00:00Z');
  const invoice = (over: Partial<InvoiceSnapshot> = {}): InvoiceSnapshot => ({
    id: INVOICE,
    status: 'pending',
    amount: '50',
    currency: 'XTR',
    expiresAt: new Date(now.getTime() + 60_000),
    currentHere: true,
    ...over,
  });

  it.each([
    ['a pending invoice of this account, same amount', invoice(), { ok: true }],
    ['an unknown invoice', null, { ok: false, refusal: 'no_longer_valid' }],
    ['an invoice whose buyer moved to another gateway', invoice({ currentHere: false }), { ok: false, refusal: 'no_longer_valid' }],
    ['a paid invoice', invoice({ status: 'paid' }), { ok: false, refusal: 'already_paid' }],
    ['a refunded invoice', invoice({ status: 'refunded' }), { ok: false, refusal: 'already_paid' }],
    ['an expired invoice', invoice({ status: 'expired' }), { ok: false, refusal: 'expired' }],
    ['a pending invoice past its expiry', invoice({ expiresAt: now }), { ok: false, refusal: 'expired' }],
    ['a cancelled invoice', invoice({ status: 'cancelled' }), { ok: false, refusal: 'no_longer_valid' }],
    ['another amount', invoice({ amount: '51' }), { ok: false, refusal: 'amount_changed' }],
    ['another currency', invoice({ currency: 'USD' }), { ok: false, refusal: 'amount_changed' }],
  ] as const)('%s', (_what, snapshot, verdict) => {
    expect(judgePreCheckout(query, snapshot, now)).toEqual(verdict);
  });

  it('messages are short, in Russian for ru users, else English', () => {
    expect(refusalMessage('expired', 'ru')).toBe('Срок действия счёта истёк. Попросите продавца выставить новый.');
    expect(refusalMessage('expired', 'de')).toBe('This invoice has expired. Please ask the seller for a new one.');
    expect(refusalMessage('already_paid', undefined)).toBe('This invoice has already been paid.');
  });
});

describe('Telegram Stars: updates', () => {
  const parse = (update: unknown) => updateSchema.parse(update);
  const payment = (payload: string) => ({
    update_id: 10,
    message: {
      message_id: 1,
      date: 1_796_000_000,
      from: { id: 42, is_bot: false, first_name: 'B' },
      chat: { id: 42, type: 'private' },
      successful_payment: { currency: 'XTR', total_amount: 50, invoice_payload: payload, telegram_payment_charge_id: 'stxABC', provider_payment_charge_id: '' },
    },
  });

  it('successful_payment of our invoice → paid, keeping the charge and the payer; deduped by update and charge', () => {
    expect(toUpstreamEvents(parse(payment(INVOICE)))).toEqual([
      {
        dedupeKey: '10:paid:stxABC',
        upstreamId: INVOICE,
        invoiceId: INVOICE,
        status: 'paid',
        paid: { amount: '50', currency: 'XTR', paidAt: new Date(1_796_000_000_000), fee: null },
        raw: { telegram_payment_charge_id: 'stxABC', provider_payment_charge_id: '', stars_payer_user_id: 42, stars_update_id: 10 },
      },
    ]);
  });

  it('refunded_payment → refunded with the amount and the charge', () => {
    const update = parse({ update_id: 11, message: { message_id: 2, refunded_payment: { currency: 'XTR', total_amount: 50, invoice_payload: INVOICE, telegram_payment_charge_id: 'stxABC' } } });
    expect(toUpstreamEvents(update)).toEqual([expect.objectContaining({ status: 'refunded', invoiceId: INVOICE, refund: { amount: '50', currency: 'XTR', reference: 'stxABC' } })]);
  });

  it('payments of someone else’s invoices, pre-checkout queries and other updates are no events; only ours stay out of forwarding', () => {
    expect(toUpstreamEvents(parse(payment('order-17')))).toEqual([]);
    expect(toUpstreamEvents(parse({ update_id: 12, message: { message_id: 3, text: '/start' } }))).toEqual([]);
    expect(isAboutOurInvoice(parse(payment(INVOICE)))).toBe(true);
    expect(isAboutOurInvoice(parse(payment('order-17')))).toBe(false);
    expect(isAboutOurInvoice(parse({ update_id: 13, callback_query: { id: 'x' } }))).toBe(false);
  });

  it('the link slug names the upstream invoice', () => {
    expect(linkSlug('https://t.me/$AbC-12_xyz')).toBe('AbC-12_xyz');
    expect(linkSlug('https://example.com/other')).toBe('https://example.com/other');
  });
});

describe('Telegram Stars: the Bot API and the secret', () => {
  it('errors carry the upper-case name inside Telegram’s description as their code, the description as detail', () => {
    const unwrap = (json: unknown, status = 400) => unwrapBotApi({ status, text: JSON.stringify(json), json });
    expect(unwrap({ ok: true, result: true })).toEqual({ data: true });
    expect(unwrap({ ok: false, error_code: 400, description: 'Bad Request: CHARGE_ALREADY_REFUNDED' })).toEqual({ error: { code: 'CHARGE_ALREADY_REFUNDED', detail: 'Bad Request: CHARGE_ALREADY_REFUNDED' } });
    expect(unwrap({ ok: false, error_code: 401, description: 'Unauthorized' }, 401)).toEqual({ error: { code: undefined, detail: 'Unauthorized' } });
    expect(unwrap({ ok: false, error_code: 400, description: 'Bad Request: query is too old and response timeout expired or query ID is invalid' })).toEqual({
      error: { code: undefined, detail: 'Bad Request: query is too old and response timeout expired or query ID is invalid' },
    });
    expect(unwrap('<html>')).toEqual({ unreadable: expect.any(String) });
  });

  it('an error that quotes the URL (with the token in it) reaches nobody with the token', async () => {
    const seen: string[] = [];
    const http: UpstreamHttp = {
      async send(req) {
        seen.push(req.url);
        throw new UpstreamError(`could not reach the upstream: ECONNRESET: socket hang up at ${req.url}`, 'integration', true, 'ECONNRESET');
      },
    };
    const connector = createStarsConnector({ http });
    const account: AccountContext = { accountId: 'ga_1', livemode: false, credentials: { bot_token: TOKEN }, config: {}, webhookUrl: 'https://sy.example/hooks/stars/ga_1' };
    const err = (await connector.checkCredentials!(account).catch((e: unknown) => e)) as UpstreamError;
    expect(seen).toEqual([`https://api.telegram.org/bot${TOKEN}/getMe`]);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.message).not.toContain(TOKEN);
    expect(err.message).toContain('<bot token>');
    expect(String(err.stack)).not.toContain(TOKEN);
    expect(withoutToken(`a ${TOKEN} b ${TOKEN}`, TOKEN)).toBe('a <bot token> b <bot token>');
  });

  it('the test environment adds /test to the path', async () => {
    const seen: string[] = [];
    const http: UpstreamHttp = { send: async (req) => (seen.push(req.url), { status: 200, text: '', json: { ok: true, result: { id: 1, is_bot: true, first_name: 'B', username: 'b_bot' } } }) };
    const connector = createStarsConnector({ http });
    const identity = await connector.checkCredentials!({ accountId: 'ga_1', livemode: false, credentials: { bot_token: TOKEN }, config: { environment: 'test', base_url: 'http://127.0.0.1:1/' }, webhookUrl: '' });
    expect(seen).toEqual([`http://127.0.0.1:1/bot${TOKEN}/test/getMe`]);
    expect(identity).toEqual({ name: '@b_bot' });
  });

  it('the secret token is compared exactly: missing, wrong, or of another length is refused', () => {
    expect(verifySecretToken('abc', 'abc')).toEqual({ ok: true });
    expect(verifySecretToken('abc', undefined)).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifySecretToken('abc', 'abd')).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifySecretToken('abc', 'abcd')).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifySecretToken(undefined, 'abc')).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('generated secrets are 256 random bits in Telegram’s alphabet', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(a);
  });
});
