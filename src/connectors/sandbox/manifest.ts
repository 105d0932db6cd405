import type { ConnectorManifest } from '../types.js';

export const manifest: ConnectorManifest = {
  id: 'sandbox',
  name: 'Sandbox (test mode)',
  modes: ['test'],
  credentialFields: [],
  configFields: [],
  capabilities: {
    currencies: [],
    currencyKinds: ['fiat', 'crypto'],
    minExpiresIn: 60,
    maxExpiresIn: 2678400,
    cancel: true,
    refund: true, // settles at once: test mode's stand-in for a refunding upstream
    sync: true,
    balance: false,
    webhooks: false,
  },
};
