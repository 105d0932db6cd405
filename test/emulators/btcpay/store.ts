/** The state of the one emulated store: its invoices and what the server keeps beside each of them. */
import { randomBytes } from 'node:crypto';
import type { BtcPayPullPayment } from './refunds.js';
import { D, digitsFor, type Dec } from './formats.js';
import type { BtcPayInvoice, BtcPayMethodId, BtcPayOptions } from './types.js';

export interface PaymentMeta {
  afterExpiration: boolean;
  method: BtcPayMethodId;
  /** In the invoice currency. */
  currencyValue: Dec;
  /** Arrival order across payment methods. */
  seq: number;
}

/** Per invoice, what the Greenfield model does not show. */
export interface InvoiceState {
  paid: Dec;
  tolerance: Dec;
  receipt: Record<string, unknown>;
  payments: Map<string, PaymentMeta>;
  keyPath: string;
}

export interface LightningDetails {
  paymentHash: string;
  nodeInvoiceId: string;
}

export interface Store {
  storeId: string;
  /** The server root; set once the server listens (invoices are only created after that). */
  serverUrl: string;
  /** The emulator's live options object: tests flip switches on it. */
  options: BtcPayOptions;
  invoices: Map<string, BtcPayInvoice>;
  states: Map<string, InvoiceState>;
  /** By BOLT11. */
  lightning: Map<string, LightningDetails>;
  /** Refunds made through the API, by pull payment id. */
  pullPayments: Map<string, BtcPayPullPayment>;
  nodeInfo: string;
  nextKeyIndex: number;
  /** createdTime never goes backwards, so "newest first" is stable. */
  lastCreated: number;
}

export function createStore(storeId: string, options: BtcPayOptions): Store {
  return {
    storeId,
    serverUrl: '',
    options,
    invoices: new Map(),
    states: new Map(),
    lightning: new Map(),
    pullPayments: new Map(),
    nodeInfo: `03${randomBytes(32).toString('hex')}@127.0.0.1:9735`,
    nextKeyIndex: 0,
    lastCreated: 0,
  };
}

/** An invoice and its state; a test naming an unknown invoice is a mistake, so it throws. */
export function find(store: Store, id: string): { inv: BtcPayInvoice; st: InvoiceState } {
  const inv = store.invoices.get(id);
  const st = store.states.get(id);
  if (!inv || !st) throw new Error(`no BTCPay invoice ${id}`);
  return { inv, st };
}

export const rateFor = (store: Store, currency: string): string => (currency === 'BTC' ? '1' : store.options.rate);

export function formatPaid(inv: BtcPayInvoice, paid: Dec): string {
  return paid.isZero() ? '0' : paid.toFixed(digitsFor(inv.currency));
}

/** What counts as paid in full: the amount less the invoice's payment tolerance. */
export function minimumDue(inv: BtcPayInvoice, st: InvoiceState): Dec {
  return new D(inv.amount).mul(new D(100).sub(st.tolerance)).div(100);
}
