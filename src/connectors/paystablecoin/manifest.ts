import type { ConnectorManifest } from '../types.js';

/** orderAmount.currency must be one of these (seed guide, Step 2). */
export const STABLECOINS = ['USDC', 'USDT', 'USD1'];

export const manifest: ConnectorManifest = {
  id: 'paystablecoin',
  name: 'PayStablecoin (API Checkout)',
  modes: ['live'],
  credentialFields: [
    { name: 'merchant_id', secret: false, description: 'Merchant ID from the PayStablecoin merchant portal (e.g. MCH_20240101_ABC123)' },
    { name: 'api_secret', secret: true, description: 'API Secret from the merchant portal (API Checkout must be enabled for the account)' },
  ],
  configFields: [{ name: 'base_url', description: 'override the API address (a proxy or an emulator); default https://api.paystablecoin.global', required: false }],
  capabilities: {
    currencies: [...STABLECOINS],
    currencyKinds: ['crypto'],
    // assumption: the guide states no bounds for expiresAt.
    minExpiresIn: 60,
    maxExpiresIn: 7 * 86400,
    cancel: false,
    sync: true,
    balance: false,
    webhooks: true,
  },
};
