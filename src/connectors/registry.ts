import type { Db } from '../db/knex.js';
import type { Connector } from './types.js';
import type { ConnectorId } from './connector-ids.js';
import type { UpstreamHttp } from './kit/index.js';
import { createSandboxConnector, type SandboxConnector } from './sandbox/index.js';
import { createCryptoPayConnector } from './cryptopay/index.js';
import { createWalletPayConnector } from './walletpay/index.js';
import { createBtcPayConnector } from './btcpay/index.js';
import { createXthonPayConnector } from './xthonpay/index.js';
import { createPayStablecoinConnector } from './paystablecoin/index.js';
import { createXRocketConnector } from './xrocket/index.js';
import { createLnbitsConnector } from './lnbits/index.js';
import { createClnConnector } from './cln/index.js';
import { createStarsConnector } from './stars/index.js';

export interface ConnectorRegistry {
  get(id: string): Connector | undefined;
  all(): Connector[];
  sandbox: SandboxConnector;
}

/** One instance per connector, shared by every tenant account that uses it (medusa-style). */
export function createConnectorRegistry(deps: { db: Db; publicBaseUrl: string; http: UpstreamHttp }): ConnectorRegistry {
  const sandbox = createSandboxConnector(deps);
  // A Record over the ids, so a connector id without an implementation is a compile error.
  const byId: Record<ConnectorId, Connector> = {
    sandbox,
    cryptopay: createCryptoPayConnector(deps),
    walletpay: createWalletPayConnector(deps),
    btcpay: createBtcPayConnector(deps),
    xthonpay: createXthonPayConnector(deps),
    paystablecoin: createPayStablecoinConnector(deps),
    xrocket: createXRocketConnector(deps),
    lnbits: createLnbitsConnector(deps),
    cln: createClnConnector(deps),
    stars: createStarsConnector(deps),
  };
  const connectors = new Map<string, Connector>(Object.entries(byId));
  return {
    get: (id) => connectors.get(id),
    all: () => [...connectors.values()],
    sandbox,
  };
}
