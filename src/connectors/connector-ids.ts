/**
 * Every connector this build has, defined once: the registry must provide each (a compile error
 * otherwise) and a test checks the OpenAPI `ConnectorId` enum against this list.
 */
export const CONNECTOR_IDS = ['sandbox', 'cryptopay', 'walletpay', 'btcpay', 'xthonpay', 'paystablecoin', 'xrocket', 'lnbits', 'cln', 'stars'] as const;

export type ConnectorId = (typeof CONNECTOR_IDS)[number];

export function isConnectorId(value: string): value is ConnectorId {
  return (CONNECTOR_IDS as readonly string[]).includes(value);
}
