/** What the bot does when an order is paid: it sends the item to the chat the invoice was opened from. */
import type { Api } from 'grammy';
import type { Invoice } from '@switchyard/client';
import type { Product } from './config.js';

/** The chat /buy put in the invoice's metadata; null for invoices this bot did not open. */
export function chatOf(invoice: Pick<Invoice, 'metadata'>): number | null {
  const id = (invoice.metadata as Record<string, unknown> | null | undefined)?.telegram_chat_id;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : null;
}

/** Sends the item; resolves false when the invoice is not one of this bot's orders. A Telegram failure rejects (the webhook is then retried). */
export async function deliverItem(api: Pick<Api, 'sendMessage'>, product: Product, invoice: Pick<Invoice, 'metadata'>): Promise<boolean> {
  const chatId = chatOf(invoice);
  if (chatId === null) return false;
  await api.sendMessage(chatId, `Paid, here is your item: ${product.name}\n${product.content}`);
  return true;
}
