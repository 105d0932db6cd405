import type { ConnectorManifest } from '../types.js';
import { CURRENCIES } from '../../domain/currencies.js';
import { baseUrlField } from '../kit/index.js';

/** accepted_assets entries BTCPay understands: BTC (every enabled rail) or one rail. */
export const PAYMENT_ASSETS = ['BTC', 'BTC-CHAIN', 'BTC-LN'];

export const manifest: ConnectorManifest = {
  id: 'btcpay',
  name: 'BTCPay Server (Greenfield API)',
  // A testnet or regtest server behind a test key, a mainnet one behind a live key.
  modes: ['live', 'test'],
  credentialFields: [
    { name: 'api_key', secret: true, description: 'Greenfield API key (Account → API Keys) with btcpay.store.cancreateinvoice and btcpay.store.canviewinvoices for the store' },
    { name: 'store_id', secret: false, description: 'Store ID (Store → Settings → General)' },
    { name: 'webhook_secret', secret: true, description: 'Secret of the store webhook pointing at this account’s webhook_url (Store → Settings → Webhooks)' },
  ],
  configFields: [
    baseUrlField('your BTCPay Server’s address, e.g. https://btcpay.example.com (self-hosted: required)', true),
    { name: 'speed_policy', description: 'confirmations before Settled: HighSpeed (0), MediumSpeed (1), LowMediumSpeed (2), LowSpeed (6); default the store’s', required: false },
    { name: 'refund_variant', description: 'what a refund gives back: RateThen (the bitcoin paid, default), CurrentRate (its value now), Fiat (the invoice’s fiat amount)', required: false },
    { name: 'refund_payment_method', description: 'the rail refunds are paid on: BTC-CHAIN (default) or BTC-LN', required: false },
  ],
  capabilities: {
    // Any fiat the store's rate source prices, or BTC itself.
    currencies: [...[...CURRENCIES.values()].filter((c) => c.kind === 'fiat').map((c) => c.code), 'BTC'],
    currencyKinds: ['fiat', 'crypto'],
    paymentAssets: PAYMENT_ASSETS,
    // checkout.expirationMinutes is whole minutes (BTCPay rejects under 30 s).
    minExpiresIn: 60,
    maxExpiresIn: 2678400,
    cancel: false, // the Greenfield API has no cancel: only archive or mark invalid.
    refund: true, // a pull payment the buyer claims (POST …/invoices/{id}/refund)
    sync: true,
    balance: false,
    webhooks: true,
  },
};
