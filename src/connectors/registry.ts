import type { Db } from '../db/knex.js';
import type { Connector, ConnectorId } from './types.js';
import { createSandboxConnector, type SandboxConnector } from './sandbox/index.js';
import { createCryptoPayConnector } from './cryptopay/index.js';
import { createWalletPayConnector } from './walletpay/index.js';
import { createBtcPayConnector } from './btcpay/index.js';
import { createXthonPayConnector } from './xthonpay/index.js';
import { createPayStablecoinConnector } from './paystablecoin/index.js';
import type { UpstreamHttp } from './kit/http.js';
import { legacyHttp } from './upstream-http.js';
import type { ConnectorId as Id } from './connector-ids.js';

export interface ConnectorRegistry {
  get(id: string): Connector | undefined;
  all(): Connector[];
  sandbox: SandboxConnector;
}

/** One instance per connector, shared by every tenant account that uses it (medusa-style). */
export function createConnectorRegistry(deps: { db: Db; publicBaseUrl: string; http: UpstreamHttp }): ConnectorRegistry {
  const sandbox = createSandboxConnector(deps);
  const legacy = { ...deps, http: legacyHttp(deps.http) };
  // A Record, so a connector id without an implementation is a compile error.
  const byId: Record<Id, Connector> = {
    sandbox,
    cryptopay: createCryptoPayConnector(deps),
    walletpay: createWalletPayConnector(legacy),
    btcpay: createBtcPayConnector(deps),
    xthonpay: createXthonPayConnector(deps),
    paystablecoin: createPayStablecoinConnector(legacy),
  };
  const connectors = new Map<ConnectorId, Connector>(Object.entries(byId) as Array<[ConnectorId, Connector]>);
  return {
    get: (id) => connectors.get(id as ConnectorId),
    all: () => [...connectors.values()],
    sandbox,
  };
}
