import type { GatewayAccountRow } from '../../src/db/gateway-accounts-repo.js';

/** A gateway account row as the repository returns it, for unit tests of routing that need no database. */
export const gatewayAccountRow = (over: Partial<GatewayAccountRow> = {}): GatewayAccountRow => ({
  id: 'ga_1',
  tenant_id: 'ten_1',
  livemode: false,
  connector: 'sandbox',
  name: null,
  credentials_encrypted: null,
  config: {},
  enabled: true,
  priority: 0,
  weight: 1,
  currencies: null,
  min_amount: null,
  max_amount: null,
  created_at: new Date(),
  updated_at: new Date(),
  deleted_at: null,
  ...over,
});
