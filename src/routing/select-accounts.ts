import type { GatewayAccountRow } from '../db/gateway-accounts-repo.js';
import type { Connector } from '../connectors/types.js';
import type { Currency } from '../domain/currencies.js';
import { compareAmounts } from '../domain/money.js';

export interface RoutingRequest {
  currency: Currency;
  amount: string;
  livemode: boolean;
  expiresIn: number;
  /** The invoice's accepted_assets (empty = any). */
  acceptedAssets?: string[];
  gateway?: string | undefined;
  gatewayAccountId?: string | undefined;
  /** Whether the invoice carries a field (by body path, e.g. customer.telegram_user_id). */
  provided?: (path: string) => boolean;
}

export interface RejectedAccount {
  account_id: string;
  reason: string;
  /** Set when the invoice lacks a field this upstream requires. */
  missing_field?: string;
}

/**
 * The accepted_assets entries a connector understands: those in its paymentAssets, or plain asset
 * codes (no rail suffix) when it declares none. Empty input stays empty (= not restricted).
 */
export function assetsFor(connector: Connector, acceptedAssets: string[]): string[] {
  const known = connector.manifest.capabilities.paymentAssets;
  return acceptedAssets.filter((a) => (known ? known.includes(a) : !a.includes('-')));
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
  const assets = req.acceptedAssets ?? [];
  if (assets.length && !assetsFor(connector, assets).length) return `${account.connector} cannot take payment in ${assets.join(', ')}`;
  const upstreamMin = caps.minAmounts?.[req.currency.code];
  if (upstreamMin && compareAmounts(req.amount, upstreamMin) < 0) return `${account.connector} takes at least ${upstreamMin} ${req.currency.code}`;
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
): { candidates: GatewayAccountRow[]; rejected: RejectedAccount[] } {
  const candidates: GatewayAccountRow[] = [];
  const rejected: RejectedAccount[] = [];
  for (const account of accounts) {
    if (req.gatewayAccountId && account.id !== req.gatewayAccountId) continue;
    if (req.gateway && account.connector !== req.gateway) continue;
    const connector = connectorFor(account.connector);
    const reason = whyUnsuitable(account, connector, req);
    const missing = connector?.manifest.requiredFields?.find((f) => !req.provided?.(f));
    if (reason) rejected.push({ account_id: account.id, reason });
    else if (missing) rejected.push({ account_id: account.id, reason: `${account.connector} needs ${missing}`, missing_field: missing });
    else candidates.push(account);
  }
  return { candidates, rejected };
}

/**
 * Why selectAccounts considered no account at all (so `rejected` is empty): the forced connector
 * does not work in this mode, or the forced connector or account is not connected, or the tenant
 * has no enabled account in this mode. Phrased for the problem's `detail`.
 */
export function whyNoAccountConsidered(accounts: GatewayAccountRow[], connectorFor: (id: string) => Connector | undefined, req: RoutingRequest): string {
  const mode = req.livemode ? 'live' : 'test';
  const forced = req.gatewayAccountId ? accounts.find((a) => a.id === req.gatewayAccountId) : undefined;
  if (req.gateway) {
    const connector = connectorFor(req.gateway);
    if (!connector) return `${req.gateway} is not available in this build`;
    if (!connector.manifest.modes.includes(mode)) return `${req.gateway} takes ${connector.manifest.modes.join(' and ')} keys only, and this is a ${mode} key`;
    if (forced) return `gateway account ${forced.id} is a ${forced.connector} account, not ${req.gateway}`;
    if (!req.gatewayAccountId) return `no enabled ${req.gateway} account is connected in ${mode} mode (connect one with POST /v1/gateway-accounts)`;
  }
  if (req.gatewayAccountId) return `gateway account ${req.gatewayAccountId} is not an enabled ${mode}-mode account of yours (unknown, deleted, disabled, or of the other mode)`;
  return req.livemode
    ? 'no gateway account is connected in live mode yet (connect one with POST /v1/gateway-accounts; test keys use the built-in sandbox)'
    : 'no gateway account is enabled in test mode (the built-in sandbox account is disabled)';
}
