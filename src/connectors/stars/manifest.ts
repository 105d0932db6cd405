import type { ConnectorManifest } from '../types.js';
import { baseUrlField } from '../kit/index.js';

export const manifest: ConnectorManifest = {
  id: 'stars',
  name: 'Telegram Stars',
  modes: ['live', 'test'],
  credentialFields: [
    { name: 'bot_token', secret: true, description: 'the token of the bot that takes the payments, from @BotFather (checked with getMe)' },
    {
      name: 'webhook_secret',
      secret: true,
      required: false,
      description:
        'only if your bot keeps its own webhook and forwards payment updates to webhook_url: the secret_token its webhook uses. Leave it out and Switchyard sets the bot’s webhook to webhook_url itself, with a secret of its own',
    },
  ],
  configFields: [
    baseUrlField('override the Bot API address (default https://api.telegram.org; a local Bot API server or an emulator)'),
    { name: 'environment', description: 'production (default) or test: Telegram’s test environment (/bot<token>/test/<method>)', required: false },
    {
      name: 'forward_url',
      description: 'when Switchyard owns the bot’s webhook: your bot’s own webhook address; every update that is not about a Switchyard invoice is passed on there unchanged, with the same X-Telegram-Bot-Api-Secret-Token header',
      required: false,
      url: true,
    },
    {
      name: 'allowed_updates',
      description: 'when Switchyard owns the bot’s webhook: the update types Telegram sends (message and pre_checkout_query are always added); default: only those two, or Telegram’s default set when forward_url is set',
      required: false,
    },
  ],
  capabilities: {
    currencies: ['XTR'],
    currencyKinds: ['in_app'],
    // Telegram's invoice links do not expire: these bounds are ours (the invoice's own expiry is enforced at pre-checkout).
    minExpiresIn: 60,
    maxExpiresIn: 2678400,
    cancel: false,
    refund: true, // refundStarPayment
    sync: false, // no status query for one invoice link: see PROTOCOL.md
    balance: true, // getMyStarBalance
    webhooks: true,
    minAmounts: { XTR: '1' },
  },
};
