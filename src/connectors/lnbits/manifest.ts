import type { ConnectorManifest } from '../types.js';
import { CURRENCIES } from '../../domain/currencies.js';
import { baseUrlField } from '../kit/index.js';

/** accepted_assets entries LNbits understands: bitcoin, which it only takes over Lightning. */
export const PAYMENT_ASSETS = ['BTC', 'BTC-LN'];

export const manifest: ConnectorManifest = {
  id: 'lnbits',
  name: 'LNbits (Lightning)',
  // A wallet on a mainnet LNbits behind a live key; one on a testnet/regtest/FakeWallet server behind a test key.
  modes: ['live', 'test'],
  credentialFields: [
    {
      name: 'api_key',
      secret: true,
      description: 'the wallet’s Invoice/read key (LNbits → the wallet → API info); not the Admin key: Switchyard only creates incoming invoices',
    },
  ],
  configFields: [baseUrlField('your LNbits server’s address, e.g. https://lnbits.example.com (self-hosted: required)', true)],
  capabilities: {
    // BTC is invoiced in whole sats; a fiat invoice is priced by LNbits itself (unit = the fiat code).
    currencies: ['BTC', ...[...CURRENCIES.values()].filter((c) => c.kind === 'fiat').map((c) => c.code)],
    currencyKinds: ['crypto', 'fiat'],
    paymentAssets: PAYMENT_ASSETS,
    minAmounts: { BTC: '0.00000001' },
    // LNbits documents no bounds on `expiry`; a week is ours (a Lightning node may refuse longer invoices).
    minExpiresIn: 60,
    maxExpiresIn: 604800,
    cancel: false, // an incoming Lightning invoice cannot be withdrawn; our cancel is local.
    refund: false, // a refund would be an outgoing payment: the invoice key cannot pay
    sync: true,
    balance: true,
    webhooks: true,
  },
};
