/**
 * Wires the environment to the two halves of the bot: the grammY bot (long polling Telegram) and
 * the receiver of Switchyard's webhooks. `startShop` is what the tests start in-process; run as a
 * program (`npm start`), it also stops both on SIGINT/SIGTERM.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Bot } from 'grammy';
import { Switchyard } from '@switchyard/client';
import { ConfigError, loadConfig, type BotConfig } from './config.js';
import { createBot } from './bot.js';
import { deliverItem } from './fulfilment.js';
import { consoleLog, type Log } from './log.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

export interface RunningShop {
  config: BotConfig;
  bot: Bot;
  receiver: WebhookReceiver;
  /** Settles when long polling ends: resolves after stop(), rejects when Telegram refuses the bot (a wrong token). */
  polling: Promise<void>;
  /** Stops polling (confirming the updates handled so far) and closes the receiver. */
  stop(): Promise<void>;
}

export async function startShop(env: Record<string, string | undefined>, log: Log = consoleLog): Promise<RunningShop> {
  const config = loadConfig(env);
  const switchyard = new Switchyard({ baseUrl: config.switchyardUrl, apiKey: config.switchyardApiKey });
  const bot = createBot({ token: config.telegramToken, apiRoot: config.telegramApiRoot, switchyard, product: config.product, log });
  const receiver = await startWebhookReceiver({
    host: config.host,
    port: config.port,
    path: config.webhookPath,
    secret: config.webhookSecret,
    verify: (raw, headers, secret) => switchyard.webhooks.verify(raw, headers, secret),
    onInvoicePaid: async (invoice) => {
      if (!(await deliverItem(bot.api, config.product, invoice))) log.info(`invoice ${invoice.id} is not one of this bot's orders (no telegram_chat_id in its metadata)`);
    },
    log,
  });
  log.info(`receiving Switchyard webhooks at ${receiver.url}`);

  const polling = bot.start({ onStart: (me) => log.info(`polling Telegram (${config.telegramApiRoot}) as @${me.username}`) });
  // Observed here so a failure before anyone awaits it is not an unhandled rejection.
  polling.catch(() => {});
  return {
    config,
    bot,
    receiver,
    polling,
    async stop() {
      if (bot.isRunning()) await bot.stop();
      await polling.catch(() => {});
      await receiver.close();
    },
  };
}

/** `node dist/main.js`: start, log where everything is, stop cleanly on a signal. */
async function main(): Promise<void> {
  let shop: RunningShop;
  try {
    consoleLog.info('switchyard-example-telegram-bot starting');
    shop = await startShop(process.env);
  } catch (err) {
    consoleLog.error(err instanceof ConfigError ? `configuration: ${err.message}` : 'could not start', err instanceof ConfigError ? undefined : err);
    process.exit(1);
  }
  const stop = async (why: string) => {
    consoleLog.info(`${why}: stopping`);
    await shop.stop();
    process.exit(process.exitCode ?? 0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  shop.polling.catch((err) => {
    consoleLog.error('long polling Telegram failed (check TELEGRAM_BOT_TOKEN, TELEGRAM_API_ROOT, the network, and that no other instance polls with this token)', err);
    process.exitCode = 1;
    void stop('polling failed');
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) void main();
