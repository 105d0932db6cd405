import type { ConnectorManifest } from '../types.js';
import { baseUrlField } from '../kit/index.js';

/** orderAmount.currency must be one of these (see PROTOCOL.md). */
export const STABLECOINS = ['USDC', 'USDT', 'USD1'];

export const manifest: ConnectorManifest = {
  id: 'paystablecoin',
  name: 'PayStablecoin (API Checkout)',
  modes: ['live'],
  credentialFields: [
    { name: 'merchant_id', secret: false, description: 'Merchant ID from the PayStablecoin merchant portal (e.g. MCH_20240101_ABC123)' },
    { name: 'api_secret', secret: true, description: 'API Secret from the merchant portal (API Checkout must be enabled for the account)' },
  ],
  configFields: [baseUrlField('override the API address (a proxy or an emulator); default https://api.paystablecoin.global')],
  capabilities: {
    currencies: [...STABLECOINS],
    currencyKinds: ['crypto'],
    // assumption: the guide states no bounds for expiresAt.
    minExpiresIn: 60,
    maxExpiresIn: 7 * 86400,
    cancel: false,
    refund: false,
    sync: true,
    balance: false,
    webhooks: true,
  },
};
