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

/** How long to wait for Telegram's first answer before logging that it is still awaited. */
const WAITING_NOTICE_MS = 10_000;

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

  log.info(`connecting to Telegram at ${config.telegramApiRoot}`);
  // grammY retries network errors until Telegram answers: say so rather than stay silent.
  const waiting = setTimeout(() => log.info(`no answer from Telegram at ${config.telegramApiRoot} yet; still trying (check the network and TELEGRAM_API_ROOT)`), WAITING_NOTICE_MS);
  waiting.unref();
  const polling = bot.start({
    onStart: (me) => {
      clearTimeout(waiting);
      log.info(`polling Telegram as @${me.username}: send it /start`);
    },
  });
  // Observed here so a failure before anyone awaits it is not an unhandled rejection.
  polling.catch(() => {}).finally(() => clearTimeout(waiting));
  return {
    config,
    bot,
    receiver,
    polling,
    async stop() {
      try {
        // bot.stop() ends the pending getUpdates and confirms the updates handled so far.
        const reachedTelegram = bot.isInited();
        if (bot.isRunning()) {
          await bot.stop().catch((err: unknown) => {
            if (reachedTelegram) log.error('could not confirm the last updates to Telegram (they will be handled again on the next start)', err);
          });
        }
        // Until Telegram first answers, grammY retries getMe and cannot be interrupted: no waiting for that.
        if (reachedTelegram) await polling.catch(() => {});
      } finally {
        await receiver.close();
      }
    },
  };
}

/** How long a signal waits for polling to stop and the receiver to close before exiting anyway. */
const STOP_GRACE_MS = 5000;

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
  let stopping = false;
  const stop = async (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    consoleLog.info(`${why}: stopping`);
    // Telegram unreachable can hold the last getUpdates: exit after a grace period regardless.
    await Promise.race([shop.stop(), new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
    process.exit(code);
  };
  process.once('SIGINT', () => void stop('SIGINT', 0));
  process.once('SIGTERM', () => void stop('SIGTERM', 0));
  shop.polling.catch((err) => {
    if (stopping) return;
    consoleLog.error('long polling Telegram failed (check TELEGRAM_BOT_TOKEN, TELEGRAM_API_ROOT, the network, and that no other instance polls with this token)', err);
    void stop('polling failed', 1);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) void main();
