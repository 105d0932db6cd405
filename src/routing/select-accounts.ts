import type { GatewayAccountRow } from '../db/gateway-accounts-repo.js';
import type { Connector } from '../connectors/types.js';
import type { Currency } from '../domain/currencies.js';
import { compareAmounts } from '../domain/money.js';

export interface RoutingRequest {
  currency: Currency;
  amount: string;
  livemode: boolean;
  expiresIn: number;
  gateway?: string | undefined;
  gatewayAccountId?: string | undefined;
}

/** Why an account cannot take this invoice, or undefined when it can. */
export function whyUnsuitable(account: GatewayAccountRow, connector: Connector | undefined, req: RoutingRequest): string | undefined {
  if (!connector) return `connector ${account.connector} is not available in this build`;
  const caps = connector.manifest.capabilities;
  if (!connector.manifest.modes.includes(req.livemode ? 'live' : 'test')) return `${account.connector} is not available in this mode`;
  if (!caps.currencyKinds.includes(req.currency.kind)) return `${account.connector} does not accept ${req.currency.kind} currencies`;
  if (caps.currencies.length && !caps.currencies.includes(req.currency.code)) return `${account.connector} does not accept ${req.currency.code}`;
  if (account.currencies && !account.currencies.includes(req.currency.code)) return `account is not configured for ${req.currency.code}`;
  if (req.expiresIn < caps.minExpiresIn || req.expiresIn > caps.maxExpiresIn)
    return `${account.connector} accepts expires_in between ${caps.minExpiresIn} and ${caps.maxExpiresIn}`;
  if (account.min_amount && compareAmounts(req.amount, account.min_amount) < 0) return `amount is below the account minimum ${account.min_amount}`;
  if (account.max_amount && compareAmounts(req.amount, account.max_amount) > 0) return `amount is above the account maximum ${account.max_amount}`;
  return undefined;
}

/**
 * The accounts to try for one invoice, in order (priority, then age). A forced connector or
 * account narrows the list; the reasons for leaving accounts out explain a `no_gateway_available`.
 */
export function selectAccounts(
  accounts: GatewayAccountRow[],
  connectorFor: (id: string) => Connector | undefined,
  req: RoutingRequest,
): { candidates: GatewayAccountRow[]; rejected: Array<{ account_id: string; reason: string }> } {
  const candidates: GatewayAccountRow[] = [];
  const rejected: Array<{ account_id: string; reason: string }> = [];
  for (const account of accounts) {
    if (req.gatewayAccountId && account.id !== req.gatewayAccountId) continue;
    if (req.gateway && account.connector !== req.gateway) continue;
    const reason = whyUnsuitable(account, connectorFor(account.connector), req);
    if (reason) rejected.push({ account_id: account.id, reason });
    else candidates.push(account);
  }
  return { candidates, rejected };
}
