import { z } from 'zod';
import { baseUrlSetting } from '../kit/index.js';

/** `<bot id>:<secret>`, as @BotFather shows it. */
export const BOT_TOKEN = /^\d{1,20}:[A-Za-z0-9_-]{30,80}$/;
/** What setWebhook takes as secret_token (and so what Telegram sends back in the header). */
export const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;
/** Update type names as allowed_updates lists them (message, pre_checkout_query, …). */
const UPDATE_TYPE = /^[a-z][a-z_]{0,63}$/;

export const ENVIRONMENTS = ['production', 'test'] as const;

export const credentialsSchema = z.object({
  bot_token: z.string({ error: 'is required: the bot token from @BotFather' }).regex(BOT_TOKEN, 'must be a bot token from @BotFather (<digits>:<letters>)'),
  // Absent: Switchyard owns the bot's webhook and makes a secret of its own (stored here, encrypted).
  webhook_secret: z.string().regex(SECRET_TOKEN, 'must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram’s secret_token)').optional(),
});

export const configSchema = z.object({
  base_url: baseUrlSetting.optional(),
  environment: z.enum(ENVIRONMENTS, { error: `must be one of ${ENVIRONMENTS.join(', ')}` }).optional(),
  // The address is checked by the account service (http(s), no credentials, the outbound guard).
  forward_url: z.string().min(1).max(2048).optional(),
  allowed_updates: z.array(z.string().regex(UPDATE_TYPE, 'must be an update type name such as message or callback_query')).max(32).optional(),
});
