import type { Db } from '../db/knex.js';
import type { Connector, ConnectorId } from './types.js';
import { createSandboxConnector, type SandboxConnector } from './sandbox/index.js';
import { createCryptoPayConnector } from './cryptopay/index.js';
import { createWalletPayConnector } from './walletpay/index.js';
import { createBtcPayConnector } from './btcpay/index.js';
import { createXthonPayConnector } from './xthonpay/index.js';
import { createPayStablecoinConnector } from './paystablecoin/index.js';
import type { UpstreamHttp } from './upstream-http.js';

export interface ConnectorRegistry {
  get(id: string): Connector | undefined;
  all(): Connector[];
  sandbox: SandboxConnector;
}

/** One instance per connector, shared by every tenant account that uses it (medusa-style). */
export function createConnectorRegistry(deps: { db: Db; publicBaseUrl: string; http: UpstreamHttp }): ConnectorRegistry {
  const sandbox = createSandboxConnector(deps);
  const connectors = new Map<ConnectorId, Connector>([
    ['sandbox', sandbox],
    ['cryptopay', createCryptoPayConnector(deps)],
    ['walletpay', createWalletPayConnector(deps)],
    ['btcpay', createBtcPayConnector(deps)],
    ['xthonpay', createXthonPayConnector(deps)],
    ['paystablecoin', createPayStablecoinConnector(deps)],
  ]);
  return {
    get: (id) => connectors.get(id as ConnectorId),
    all: () => [...connectors.values()],
    sandbox,
  };
}
