/** The bot's settings, read once from the environment; a bad value stops it with the variable's name. */

export interface Product {
  /** What the buyer gets, shown in the chat and as the invoice's description. */
  name: string;
  /** A Money string as Switchyard takes it ("5.00"). */
  price: string;
  currency: string;
  /** Sent to the buyer once the payment is confirmed (a download link, a code, …). */
  content: string;
}

export interface BotConfig {
  telegramToken: string;
  /** Where the Bot API lives: Telegram's, or a local Bot API server (the tests' emulator). */
  telegramApiRoot: string;
  switchyardUrl: string;
  switchyardApiKey: string;
  /** The `whsec_…` secret of the webhook endpoint that points at this bot. */
  webhookSecret: string;
  host: string;
  port: number;
  webhookPath: string;
  product: Product;
}

export class ConfigError extends Error {}

// Switchyard's Money and CurrencyCode formats (openapi/openapi.yaml).
const MONEY = /^(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?$/;
const CURRENCY = /^[A-Z][A-Z0-9]{1,9}$/;

export function loadConfig(env: Record<string, string | undefined>): BotConfig {
  const value = (name: string, fallback?: string): string => {
    const v = env[name]?.trim() || fallback;
    if (v === undefined) throw new ConfigError(`${name} is required`);
    return v;
  };
  const matching = (name: string, re: RegExp, fallback: string, what: string): string => {
    const v = value(name, fallback);
    if (!re.test(v)) throw new ConfigError(`${name} must be ${what}, got "${v}"`);
    return v;
  };
  const url = (name: string, fallback?: string): string => {
    const v = value(name, fallback);
    if (!URL.canParse(v) || !/^https?:$/.test(new URL(v).protocol)) throw new ConfigError(`${name} must be an http(s) URL, got "${v}"`);
    return v.replace(/\/+$/, '');
  };

  const port = Number(value('PORT', '8080'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number, got "${env.PORT}"`);
  const webhookSecret = value('SWITCHYARD_WEBHOOK_SECRET');
  if (!webhookSecret.startsWith('whsec_')) throw new ConfigError('SWITCHYARD_WEBHOOK_SECRET must be the whsec_… secret shown when the webhook endpoint was created');
  return {
    telegramToken: value('TELEGRAM_BOT_TOKEN'),
    telegramApiRoot: url('TELEGRAM_API_ROOT', 'https://api.telegram.org'),
    switchyardUrl: url('SWITCHYARD_URL', 'http://localhost:3000'),
    switchyardApiKey: value('SWITCHYARD_API_KEY'),
    webhookSecret,
    host: value('HOST', '0.0.0.0'),
    port,
    webhookPath: matching('WEBHOOK_PATH', /^\/\S*$/, '/switchyard/webhook', 'a path starting with /'),
    product: {
      name: value('ITEM_NAME', 'Switchyard sticker pack'),
      price: matching('PRICE', MONEY, '5.00', 'a decimal amount such as 5.00'),
      currency: matching('CURRENCY', CURRENCY, 'USD', 'an upper-case currency code such as USD'),
      content: value('ITEM_CONTENT', 'https://example.com/downloads/sticker-pack.zip'),
    },
  };
}
