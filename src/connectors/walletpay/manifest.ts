import type { ConnectorManifest } from '../types.js';
import { baseUrlField } from '../kit/index.js';

/** The two addresses Wallet Pay documents as its webhook sources (see PROTOCOL.md). */
export const DOCUMENTED_WEBHOOK_IPS = ['172.255.248.29', '172.255.248.12'];

export const manifest: ConnectorManifest = {
  id: 'walletpay',
  name: 'Telegram Wallet Pay',
  modes: ['live', 'test'],
  credentialFields: [{ name: 'api_key', secret: true, description: 'Store API key from the Wallet Pay merchant dashboard' }],
  configFields: [
    baseUrlField(),
    { name: 'webhook_ip_allowlist', description: `source addresses webhooks may come from (Wallet Pay documents ${DOCUMENTED_WEBHOOK_IPS.join(', ')})`, required: false },
    { name: 'webhook_timestamp_tolerance_seconds', description: 'refuse webhooks whose WalletPay-Timestamp is further than this from our clock (off by default)', required: false },
  ],
  capabilities: {
    currencies: ['TON', 'BTC', 'USDT', 'NOT', 'USD', 'EUR', 'RUB'],
    currencyKinds: ['crypto', 'fiat'],
    minExpiresIn: 60,
    maxExpiresIn: 864000,
    cancel: false,
    refund: false,
    sync: true,
    balance: false,
    webhooks: true,
    // Wallet Pay refuses orders below these (see PROTOCOL.md).
    minAmounts: { TON: '0.001', BTC: '0.000001', USDT: '0.01', USD: '0.01', EUR: '0.01', RUB: '0.1' },
  },
  requiredFields: ['customer.telegram_user_id'],
};
