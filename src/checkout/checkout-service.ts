import { createHash } from 'node:crypto';
import type { Db } from '../db/knex.js';
import { invoicesRepo, type InvoiceRow, type TenantScope } from '../db/invoices-repo.js';
import { tenantsRepo } from '../db/tenants-repo.js';
import { upstreamInvoicesRepo } from '../db/upstream-invoices-repo.js';
import type { GatewayAccountRow } from '../db/gateway-accounts-repo.js';
import type { ConnectorRegistry } from '../connectors/registry.js';
import type { ConnectorId } from '../connectors/connector-ids.js';
import { assetsFor } from '../routing/select-accounts.js';
import { findCurrency } from '../domain/currencies.js';
import { CheckoutError } from '../domain/errors.js';
import type { RateLimiter } from '../security/rate-limiter.js';
import type { InvoiceService } from '../invoices/invoice-service.js';
import { checkoutUrl, paidObject, paymentInOrder } from '../invoices/invoice-view.js';
import type { CheckoutOption, CheckoutView } from './checkout-view.js';

export interface CheckoutLimits {
  /** Picks per invoice, and per buyer address, in their windows. */
  choicesPerInvoice: RateLimiter;
  choicesPerAddress: RateLimiter;
  /** Page and state requests per address. */
  requestsPerAddress: RateLimiter;
}

/** One option per connector, in routing order: accounts of one connector fail over among themselves. */
function groupByConnector(accounts: GatewayAccountRow[]): Map<string, GatewayAccountRow[]> {
  const groups = new Map<string, GatewayAccountRow[]>();
  for (const a of accounts) groups.set(a.connector, [...(groups.get(a.connector) ?? []), a]);
  return groups;
}

/**
 * The hosted checkout behind `/checkout/{token}`: finds the invoice by its token, builds what the
 * buyer may see (checkout-view.ts), and carries out the buyer's pick and (test mode) simulations
 * through the invoice service, rate limited per invoice and per address.
 */
export function createCheckoutService(deps: { db: Db; invoices: InvoiceService; connectors: ConnectorRegistry; publicBaseUrl: string; limits: CheckoutLimits }) {
  const { db, invoices, connectors } = deps;

  async function load(token: string): Promise<InvoiceRow> {
    const row = await invoicesRepo.findByCheckoutToken(db, token);
    if (!row) throw new CheckoutError('not_found', 'No checkout at this address; ask the seller for a new payment link');
    return row;
  }

  /** The assets a buyer can pay with on one connector: the invoice's own (crypto), its accepted_assets there, or what the upstream declares. */
  function assetsOn(row: InvoiceRow, connectorId: string): string[] {
    const connector = connectors.get(connectorId);
    if (!connector) return [];
    if (findCurrency(row.currency)?.kind === 'crypto') return [row.currency];
    if (row.accepted_assets.length) return assetsFor(connector, row.accepted_assets);
    return (connector.manifest.capabilities.paymentAssets ?? []).filter((a) => !a.includes('-'));
  }

  async function options(row: InvoiceRow): Promise<Array<CheckoutOption & { accountIds: string[] }>> {
    if (!invoices.choosable(row)) return [];
    const groups = groupByConnector(await invoices.eligibleAccounts(row));
    return [...groups].map(([connector, accounts]) => ({
      id: connector as ConnectorId,
      assets: assetsOn(row, connector),
      selected: row.connector === connector,
      accountIds: accounts.map((a) => a.id),
    }));
  }

  async function view(row: InvoiceRow): Promise<CheckoutView> {
    const tenant = await tenantsRepo.find(db, row.tenant_id);
    const offered = await options(row);
    const payment = row.payment && paymentInOrder(row.payment);
    const shown = {
      token: row.checkout_token,
      merchant: { name: tenant?.display_name ?? tenant?.name ?? '', supportUrl: tenant?.support_url ?? null },
      invoice: {
        status: row.status,
        amount: row.amount,
        currency: row.currency,
        description: row.description,
        expiresAt: row.expires_at.toISOString(),
        testMode: !row.livemode,
        paid: row.paid && { amount: row.paid.amount, currency: row.paid.currency, exception: row.paid.exception ?? null },
      },
      selection: row.gateway_selection,
      options: offered.map(({ id, assets, selected }) => ({ id, assets, selected })),
      canChoose: invoices.choosable(row) && offered.length > 0,
      selected: row.connector && row.upstream_id ? { connector: row.connector as ConnectorId, payUrl: row.pay_url, payment } : null,
      returnUrl: row.return_url,
      failReturnUrl: row.fail_return_url,
    };
    return { ...shown, version: createHash('sha256').update(JSON.stringify(shown)).digest('base64url').slice(0, 16) };
  }

  return {
    /** Counts one page or state request from this address (throws rate_limited). */
    async countRequest(address: string): Promise<void> {
      await deps.limits.requestsPerAddress.consume(address);
    },
    view: async (token: string) => view(await load(token)),
    async choose(token: string, option: string, address: string): Promise<CheckoutView> {
      const row = await load(token);
      await deps.limits.choicesPerAddress.consume(address);
      await deps.limits.choicesPerInvoice.consume(row.id);
      return view(await invoices.chooseGateway(row, option));
    },
    async simulate(token: string, status: 'paid' | 'expired' | 'failed'): Promise<CheckoutView> {
      return view(await invoices.simulateOn(await load(token), { status }));
    },
    /** GET /v1/invoices/{id}/checkout: the offer and every upstream invoice, as the tenant sees them. */
    async forTenant(scope: TenantScope, invoiceId: string) {
      const row = await invoices.find(scope, invoiceId);
      const offered = await options(row);
      const upstreams = await upstreamInvoicesRepo.listForInvoice(db, row.id);
      return {
        object: 'invoice_checkout' as const,
        url: checkoutUrl(deps.publicBaseUrl, row.checkout_token),
        gateway_selection: row.gateway_selection,
        choosable: invoices.choosable(row) && offered.length > 0,
        options: offered.map((o) => ({
          connector: o.id,
          name: connectors.get(o.id)?.manifest.name ?? o.id,
          assets: o.assets,
          account_ids: o.accountIds,
          selected: o.selected,
        })),
        upstream_invoices: upstreams.map((u) => ({
          connector: u.connector as ConnectorId,
          account_id: u.gateway_account_id,
          upstream_id: u.upstream_id,
          state: u.state,
          status: u.status,
          paid: u.paid && paidObject(u.paid),
          created_at: u.created_at.toISOString(),
        })),
      };
    },
  };
}

export type CheckoutService = ReturnType<typeof createCheckoutService>;

/** The JSON twin of the page (CheckoutState in openapi/openapi.yaml). */
export function toCheckoutState(v: CheckoutView) {
  return {
    object: 'checkout_state' as const,
    status: v.invoice.status,
    version: v.version,
    merchant: { name: v.merchant.name, support_url: v.merchant.supportUrl },
    amount: v.invoice.amount,
    currency: v.invoice.currency,
    description: v.invoice.description,
    expires_at: v.invoice.expiresAt,
    test_mode: v.invoice.testMode,
    gateway_selection: v.selection,
    can_choose: v.canChoose,
    options: v.options.map((o) => ({ id: o.id, assets: o.assets, selected: o.selected })),
    selected: v.selected && { connector: v.selected.connector, pay_url: v.selected.payUrl, payment: v.selected.payment },
    paid: v.invoice.paid,
    return_url: v.returnUrl,
    fail_return_url: v.failReturnUrl,
  };
}
