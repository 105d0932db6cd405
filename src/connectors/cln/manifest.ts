import type { ConnectorManifest } from '../types.js';
import { baseUrlField } from '../kit/index.js';

export const manifest: ConnectorManifest = {
  id: 'cln',
  name: 'Core Lightning (clnrest)',
  // A mainnet node behind a live key; a testnet, signet or regtest node behind a test key.
  modes: ['live', 'test'],
  credentialFields: [
    {
      name: 'rune',
      secret: true,
      description: 'A rune for clnrest (lightning-cli createrune) that allows getinfo, invoice, listinvoices, waitanyinvoice and delinvoice',
    },
  ],
  configFields: [
    baseUrlField('the address of your node’s clnrest plugin, e.g. https://node.example.com:3010 (self-hosted: required)', true),
    { name: 'node_id', description: 'your node’s id (getinfo → id), sent as the Nodeid header clnrest v23.08 requires; later versions ignore it', required: false },
    { name: 'wait_timeout_seconds', description: 'how long one waitanyinvoice long poll is held open (default 30): keep it below any proxy’s idle timeout', required: false },
  ],
  capabilities: {
    // Lightning invoices are in bitcoin only; fiat would need a rate source the node does not have.
    currencies: ['BTC'],
    currencyKinds: ['crypto'],
    minExpiresIn: 60,
    maxExpiresIn: 2678400,
    cancel: true, // delinvoice of the unpaid invoice
    refund: false, // giving money back would be paying the buyer's own invoice: not offered
    sync: true,
    balance: false,
    // No webhooks: the worker long-polls waitanyinvoice per account (paymentWaits).
    webhooks: false,
  },
};
