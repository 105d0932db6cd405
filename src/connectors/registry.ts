import type { Db } from '../db/knex.js';
import type { Connector, ConnectorId } from './types.js';
import { createSandboxConnector, type SandboxConnector } from './sandbox/index.js';

export interface ConnectorRegistry {
  get(id: string): Connector | undefined;
  all(): Connector[];
  sandbox: SandboxConnector;
}

/** One instance per connector, shared by every tenant account that uses it (medusa-style). */
export function createConnectorRegistry(deps: { db: Db; publicBaseUrl: string }): ConnectorRegistry {
  const sandbox = createSandboxConnector(deps);
  const connectors = new Map<ConnectorId, Connector>([['sandbox', sandbox]]);
  return {
    get: (id) => connectors.get(id as ConnectorId),
    all: () => [...connectors.values()],
    sandbox,
  };
}
