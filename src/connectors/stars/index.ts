import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { Decimal } from 'decimal.js';
import { defineConnector, headerOf, parseWebhookBody, UpstreamError, type UpstreamHttp } from '../kit/index.js';
import type { Connector, VerificationResult } from '../types.js';
import { manifest } from './manifest.js';
import { configSchema, credentialsSchema } from './settings.js';
import { createBotApi, type StarsAccount } from './bot-api.js';
import {
  isAboutOurInvoice,
  isOurPayload,
  starAmountSchema,
  toCreateParams,
  toUpstreamEvents,
  toUpstreamInvoice,
  updateSchema,
  userSchema,
  webhookInfoSchema,
  type Update,
} from './transformers.js';
import { judgePreCheckout, refusalMessage } from './pre-checkout.js';

/** The header Telegram sends with every webhook call: the secret_token given to setWebhook. */
export const SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';

/** The update types Switchyard itself needs: payments arrive as service messages. */
const PAYMENT_UPDATES = ['message', 'pre_checkout_query'];

/** A fresh webhook secret: 32 random bytes (256 bits), base64url (43 characters of A-Z a-z 0-9 _ -). */
export function newWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The shared secret is compared in constant time; the body carries no signature (see PROTOCOL.md). */
export function verifySecretToken(expected: string | undefined, received: string | undefined): VerificationResult {
  if (!received) return { ok: false, reason: 'missing_signature' };
  if (!expected) return { ok: false, reason: 'bad_signature' };
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

/** A body that is not an update we can read is simply not ours to answer or forward. */
function readUpdate(rawBody: Buffer): Update | undefined {
  try {
    return parseWebhookBody(updateSchema, rawBody);
  } catch {
    return undefined;
  }
}

export function createStarsConnector(deps: { http: UpstreamHttp }): Connector {
  const call = createBotApi(deps.http);

  const webhookInfo = (account: StarsAccount) => call(account, 'getWebhookInfo', {}, webhookInfoSchema);

  /** Points the bot's webhook at the account's webhook_url with its secret. */
  async function registerWebhook(account: StarsAccount, secret: string): Promise<void> {
    const configured = account.config.allowed_updates;
    // An empty list is Telegram's default set (everything but chat_member and reactions): what a bot gets unless it asks otherwise.
    const allowed = configured ? [...new Set([...PAYMENT_UPDATES, ...configured])] : account.config.forward_url ? [] : PAYMENT_UPDATES;
    await call(account, 'setWebhook', { url: account.webhookUrl, secret_token: secret, allowed_updates: allowed }, z.literal(true));
  }

  /** Removes the bot's webhook only while it still points at this account (the tenant may have taken it back). */
  async function releaseWebhook(account: StarsAccount): Promise<void> {
    if ((await webhookInfo(account)).url === account.webhookUrl) await call(account, 'deleteWebhook', {}, z.literal(true));
  }

  const botId = (account: StarsAccount) => account.credentials.bot_token.split(':')[0];

  return defineConnector({
    manifest,
    credentials: credentialsSchema,
    config: configSchema,
    async checkCredentials(account) {
      const me = await call(account, 'getMe', {}, userSchema);
      if (!me.is_bot) throw new UpstreamError('Telegram Bot API getMe: the token is not a bot’s', 'integration', false, 'NOT_A_BOT');
      return { name: me.username ? `@${me.username}` : me.first_name };
    },
    /**
     * Without a webhook_secret of the tenant's, Switchyard owns the bot's webhook: it makes a
     * secret and points the webhook at webhook_url. Afterwards, whenever the webhook still points
     * here, a change of settings is passed on to it (new secret, allowed updates). A bot replaced
     * by another one is let go.
     */
    async onAccountConnected(account, previous) {
      let completed: Record<string, string> | undefined;
      if (!account.credentials.webhook_secret) {
        completed = { ...account.credentials, webhook_secret: newWebhookSecret() };
        await registerWebhook({ ...account, credentials: { ...account.credentials, webhook_secret: completed.webhook_secret! } }, completed.webhook_secret!);
      } else if (previous && (await webhookInfo(account)).url === account.webhookUrl) {
        await registerWebhook(account, account.credentials.webhook_secret);
      }
      if (previous && botId(previous) !== botId(account)) await releaseWebhook(previous).catch(() => undefined);
      return completed ? { credentials: completed } : undefined;
    },
    onAccountDeleted: releaseWebhook,
    async createInvoice(account, input) {
      // Routing only sends XTR here; anything else is refused before Telegram is asked.
      if (input.currency !== 'XTR' || !/^[1-9]\d*$/.test(input.amount)) {
        throw new UpstreamError(`Telegram Stars takes whole amounts of XTR only, not ${input.amount} ${input.currency}`, 'unsuitable', false, 'CURRENCY_NOT_SUPPORTED');
      }
      const params = toCreateParams(input);
      return toUpstreamInvoice(await call(account, 'createInvoiceLink', params, z.string().min(1)), params);
    },
    async getInvoice() {
      // getStarTransactions cannot find one payment cheaply: see PROTOCOL.md.
      throw new UpstreamError('Telegram has no status query for one invoice link', 'integration', false, 'NOT_SUPPORTED');
    },
    async refund(account, request) {
      const charge = request.upstreamData.telegram_payment_charge_id;
      const payer = request.upstreamData.stars_payer_user_id;
      if (typeof charge !== 'string' || typeof payer !== 'number') {
        throw new UpstreamError('the payment’s Telegram charge id or payer is not known, so Telegram cannot be asked', 'decline', false, 'CHARGE_UNKNOWN');
      }
      await call(account, 'refundStarPayment', { user_id: payer, telegram_payment_charge_id: charge }, z.literal(true));
      return { status: 'succeeded', reference: charge, claimUrl: null, raw: { telegram_payment_charge_id: charge, stars_refunded_to: payer } };
    },
    async getBalance(account) {
      const balance = await call(account, 'getMyStarBalance', {}, starAmountSchema);
      const available = new Decimal(balance.amount).add(new Decimal(balance.nanostar_amount ?? 0).div(1e9)).toFixed();
      return [{ currency: 'XTR', available, onhold: '0' }];
    },
    webhooks: {
      verify: (account, request) => verifySecretToken(account.credentials.webhook_secret, headerOf(request.headers, SECRET_HEADER)),
      parse: (rawBody) => toUpstreamEvents(parseWebhookBody(updateSchema, rawBody)),
      // Any 2xx will do; an empty body, since a JSON one could be read as a method call.
      acknowledgement: { status: 200, contentType: 'text/plain', body: '' },
      redactHeaders: [SECRET_HEADER],
      /** The pre-checkout query: Telegram waits (10 s at most) for answerPreCheckoutQuery before it takes the stars. */
      async respond(account, rawBody, ctx) {
        const query = readUpdate(rawBody)?.pre_checkout_query;
        if (!query) return;
        // Someone else's invoice: the tenant's bot answers it once the update reaches it, if it does.
        if (!isOurPayload(query.invoice_payload) && account.config.forward_url) return;
        const verdict = isOurPayload(query.invoice_payload)
          ? judgePreCheckout(query, await ctx.lookup(query.invoice_payload), new Date())
          : ({ ok: false, refusal: 'no_longer_valid' } as const);
        const answer = verdict.ok
          ? { pre_checkout_query_id: query.id, ok: true }
          : { pre_checkout_query_id: query.id, ok: false, error_message: refusalMessage(verdict.refusal, query.from.language_code) };
        await call(account, 'answerPreCheckoutQuery', answer, z.literal(true), { timeoutMs: Math.max(250, ctx.deadline - Date.now()) });
      },
      /** Everything that is not about a Switchyard invoice goes on to the tenant's bot, when it has a forward_url. */
      forward(account, rawBody) {
        const url = account.config.forward_url;
        const secret = account.credentials.webhook_secret;
        // Forwarding to this account's own webhook_url would send each update round for ever.
        if (!url || !secret || url === account.webhookUrl) return null;
        const update = readUpdate(rawBody);
        if (!update || isAboutOurInvoice(update)) return null;
        return { url, headers: { [SECRET_HEADER]: secret } };
      },
    },
  });
}
