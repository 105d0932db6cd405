import type { ConnectorManifest } from '../types.js';
import { baseUrlField } from '../kit/index.js';

export const CRYPTO_ASSETS = ['USDT', 'TON', 'BTC', 'ETH', 'LTC', 'BNB', 'TRX', 'USDC', 'SOL', 'NOT', 'DOGS'];
export const FIAT_CURRENCIES = [
  'USD', 'EUR', 'RUB', 'BYN', 'UAH', 'GBP', 'CNY', 'KZT', 'UZS', 'GEL', 'TRY', 'AMD', 'THB', 'INR', 'BRL', 'IDR', 'AZN', 'AED', 'PLN', 'ILS', 'KGS', 'TJS',
];

export const manifest: ConnectorManifest = {
  id: 'cryptopay',
  name: 'Crypto Pay (Crypto Bot)',
  modes: ['live', 'test'],
  credentialFields: [{ name: 'token', secret: true, description: 'App token from @CryptoBot → Crypto Pay → My Apps (use @CryptoTestnetBot for testnet)' }],
  configFields: [
    { name: 'environment', description: 'mainnet (default) or testnet', required: false },
    baseUrlField(),
  ],
  capabilities: {
    currencies: [...CRYPTO_ASSETS, ...FIAT_CURRENCIES],
    currencyKinds: ['crypto', 'fiat'],
    minExpiresIn: 60,
    maxExpiresIn: 2678400,
    cancel: true,
    refund: false,
    sync: true,
    balance: true,
    webhooks: true,
  },
};
