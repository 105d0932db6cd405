/**
 * The bot's conversation: /start greets, /buy opens a Switchyard invoice and answers with its
 * hosted checkout link as a button. The buyer picks how to pay on that page; the item is sent
 * later, when Switchyard's invoice.paid webhook arrives (see webhook-receiver.ts, fulfilment.ts).
 */
import { Bot, InlineKeyboard } from 'grammy';
import type { Switchyard } from '@switchyard/client';
import type { Product } from './config.js';
import type { Log } from './log.js';

export interface BotDeps {
  token: string;
  /** Telegram's Bot API root; a local one in tests. */
  apiRoot?: string;
  switchyard: Pick<Switchyard, 'invoices'>;
  product: Product;
  log: Log;
}

/** How an order is named: in Switchyard (external_id, Idempotency-Key) and in the bot's deep link. */
export function orderRef(chatId: number, messageId: number): string {
  // The chat's message id is unique within the chat, so a /buy delivered twice opens one invoice.
  return `tg_${chatId}_${messageId}`;
}

export function createBot(deps: BotDeps): Bot {
  const { product, log } = deps;
  const price = `${product.price} ${product.currency}`;
  const bot = new Bot(deps.token, deps.apiRoot ? { client: { apiRoot: deps.apiRoot } } : {});

  bot.command('start', async (ctx) => {
    // Coming back from the checkout page through the return_url deep link (t.me/<bot>?start=<order>).
    if (ctx.match.startsWith('tg_')) {
      await ctx.reply(`Thanks! I will send your ${product.name} here as soon as the payment is confirmed.`);
      return;
    }
    await ctx.reply(`Hi ${ctx.from?.first_name ?? 'there'}! I sell the ${product.name} for ${price}.\nSend /buy to get it.`);
  });

  bot.command('buy', async (ctx) => {
    const ref = orderRef(ctx.chat.id, ctx.msg.message_id);
    let checkoutUrl: string;
    try {
      const invoice = await deps.switchyard.invoices.create(
        {
          amount: product.price,
          currency: product.currency,
          description: product.name,
          // The buyer chooses the gateway on Switchyard's checkout page.
          gateway_selection: 'buyer',
          external_id: ref,
          // Echoed in every event about the invoice: how the webhook finds the chat to deliver to.
          metadata: { telegram_chat_id: ctx.chat.id, telegram_user_id: ctx.from?.id ?? null },
          return_url: `https://t.me/${ctx.me.username}?start=${ref}`,
          expires_in: 3600,
        },
        { idempotencyKey: ref },
      );
      checkoutUrl = invoice.checkout_url;
      log.info(`invoice ${invoice.id} (${ref}) opened for chat ${ctx.chat.id}`);
    } catch (err) {
      log.error(`creating the invoice for ${ref} failed`, err);
      await ctx.reply('Sorry, I cannot take payments right now. Please try /buy again in a minute.');
      return;
    }
    await ctx.reply(`${product.name}: ${price}.\nTap the button to pay; your item arrives in this chat once the payment is confirmed.`, {
      reply_markup: new InlineKeyboard().url(`Pay ${price}`, checkoutUrl),
    });
  });

  bot.on('message', (ctx) => ctx.reply('Send /buy to buy, or /start for what I sell.'));

  // Errors in handlers are logged; long polling goes on.
  bot.catch((err) => log.error(`update ${err.ctx.update.update_id} failed`, err.error));
  return bot;
}
