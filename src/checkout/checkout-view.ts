import type { ConnectorId } from '../connectors/connector-ids.js';
import type { InvoiceStatus } from '../domain/invoice-status.js';

/**
 * What the buyer's page may know about an invoice: the buyer's business only. No tenant
 * secrets, no account ids, no metadata, no customer data. The page renderer (checkout/page/)
 * turns it into HTML; nothing else about the invoice reaches the page.
 */
export interface CheckoutView {
  /** The checkout token: the page's own links and forms are built from it. */
  token: string;
  /** The tenant's buyer-facing name (its display name, else its name) and optional support link. */
  merchant: { name: string; supportUrl: string | null };
  invoice: {
    status: InvoiceStatus;
    amount: string;
    currency: string;
    description: string | null;
    /** RFC 3339. */
    expiresAt: string;
    /** A test-mode invoice: the page says no money moves. */
    testMode: boolean;
    /** What arrived, when something did (paid, partly paid, or late). */
    paid: { amount: string; currency: string; exception: 'underpaid' | 'overpaid' | 'late' | null } | null;
  };
  /** `buyer`: the buyer picks among `options`; `auto`: routing picked at creation. */
  selection: 'auto' | 'buyer';
  /** The gateways the buyer may pick (buyer selection while the invoice is pending); empty otherwise. */
  options: CheckoutOption[];
  /** Whether the buyer may (still) pick another option: buyer selection, pending, no payment seen. */
  canChoose: boolean;
  /** The chosen upstream invoice's payment details, once there is one. */
  selected: SelectedGateway | null;
  /** Where to send the buyer once the invoice is paid / has failed, expired or been cancelled. */
  returnUrl: string | null;
  failReturnUrl: string | null;
  /** Changes whenever anything the page shows changes (status, choice, payment): the page reloads on a new one. */
  version: string;
}

/** One card on the choosing screen: one upstream (several accounts of one connector are one card and fail over among themselves). */
export interface CheckoutOption {
  /** The connector id: what the choice form posts. */
  id: ConnectorId;
  /** The assets the buyer can pay with there (accepted_assets narrowed to the upstream, or what it takes). */
  assets: string[];
  /** The option the invoice currently has an upstream invoice on. */
  selected: boolean;
}

/** The upstream invoice the buyer pays now. */
export interface SelectedGateway {
  connector: ConnectorId;
  /** The upstream's own page or Telegram deep link, when it has one. */
  payUrl: string | null;
  /** Address-style payment instructions (address/network/asset/amount) and/or a Lightning invoice. */
  payment: { address?: string; network?: string; asset?: string; amount?: string; bolt11?: string } | null;
}
