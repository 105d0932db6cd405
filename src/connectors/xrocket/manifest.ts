import type { ConnectorManifest } from '../types.js';
import { baseUrlField } from '../kit/index.js';
import { CURRENCY_CODES, MAX_EXPIRED_IN } from './transformers.js';

export const manifest: ConnectorManifest = {
  id: 'xrocket',
  name: 'xRocket Pay',
  modes: ['live', 'test'],
  credentialFields: [{ name: 'api_key', secret: true, description: 'App API token from @xRocket → Rocket Pay → Create App → API token (@ton_rocket_test_bot for testnet)' }],
  configFields: [
    baseUrlField('override the API address (default https://pay.xrocket.tg; a testnet host, a proxy or an emulator)'),
    { name: 'webhook_ip_allowlist', description: 'source addresses or CIDR ranges webhooks may come from (xRocket publishes none; off by default)', required: false },
  ],
  capabilities: {
    // Our codes; TON travels as TONCOIN (transformers.ts). The list is an assumption (see PROTOCOL.md).
    currencies: Object.keys(CURRENCY_CODES),
    currencyKinds: ['crypto'],
    minExpiresIn: 60,
    // expiredIn takes 0…86400 s, and 0 means "never": we always send a lifetime within 1…86400.
    maxExpiresIn: MAX_EXPIRED_IN,
    cancel: true,
    refund: false,
    sync: true,
    balance: true,
    webhooks: true,
  },
};
