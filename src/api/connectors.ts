import type { ConnectorRegistry } from '../connectors/registry.js';
import type { ConnectorManifest } from '../connectors/types.js';
import type { Handlers } from './handler.js';

function toConnectorObject(m: ConnectorManifest) {
  return {
    id: m.id,
    object: 'connector' as const,
    name: m.name,
    modes: m.modes,
    credential_fields: m.credentialFields.map((f) => ({ name: f.name, secret: f.secret, description: f.description, required: f.required ?? true })),
    config_fields: m.configFields.map((f) => ({ name: f.name, description: f.description, required: f.required })),
    capabilities: {
      currencies: m.capabilities.currencies,
      currency_kinds: m.capabilities.currencyKinds,
      payment_assets: m.capabilities.paymentAssets ?? null,
      min_expires_in: m.capabilities.minExpiresIn,
      max_expires_in: m.capabilities.maxExpiresIn,
      cancel: m.capabilities.cancel,
      refund: m.capabilities.refund,
      sync: m.capabilities.sync,
      balance: m.capabilities.balance,
      webhooks: m.capabilities.webhooks,
    },
  };
}

export function connectorHandlers(deps: { connectors: ConnectorRegistry }): Handlers<'listConnectors'> {
  return {
    async listConnectors(_c, _req, res) {
      res.json({ object: 'list', data: deps.connectors.all().map((c) => toConnectorObject(c.manifest)), has_more: false });
    },
  };
}
