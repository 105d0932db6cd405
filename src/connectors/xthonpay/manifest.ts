import type { ConnectorManifest } from '../types.js';
import { baseUrlField } from '../kit/index.js';

export const manifest: ConnectorManifest = {
  id: 'xthonpay',
  name: 'XthonPay (USDT on BSC)',
  modes: ['live', 'test'],
  credentialFields: [
    { name: 'api_key', secret: true, description: 'API key id (xpk_live_…) from @XthonPayBot → API Keys' },
    { name: 'api_secret', secret: true, description: 'API secret (xps_live_…) of the same key pair; signs every request' },
    { name: 'webhook_secret', secret: true, description: 'secret XthonPay signs webhooks with (X-Xthon-Signature)' },
  ],
  configFields: [
    baseUrlField('override the API address (default https://xthonpay.com/api/v1; a proxy or an emulator)'),
    {
      name: 'status_path',
      description: 'the invoice status query, if your XthonPay API has one (the guide documents none): a path under base_url with {external_id} (our invoice id) or {invoice_id} (XthonPay’s), e.g. /invoices/{external_id}; enables sync and reconciliation',
      required: false,
    },
  ],
  capabilities: {
    // USDT on BSC (BEP-20) only, per the quick-start guide.
    currencies: ['USDT'],
    currencyKinds: ['crypto'],
    // assumption: the guide documents no invoice lifetime; these bounds are ours, not the upstream's.
    minExpiresIn: 60,
    maxExpiresIn: 2678400,
    cancel: false,
    refund: false,
    // No status query in the guide: only accounts that configure one (status_path) can sync.
    sync: false,
    balance: true,
    webhooks: true,
  },
};
