/** How the API shows invoices: one invoice, and the filtered list. */
import { ApiError, type ValidationError } from './errors.js';
import { methodName, paymentMethodModels } from './payment-methods.js';
import type { Store } from './store.js';
import type { BtcPayInvoice, BtcPayStatus } from './types.js';

function availableStatuses(inv: BtcPayInvoice): BtcPayStatus[] {
  // InvoiceState.CanMarkComplete / CanMarkInvalid (no manual marking here, so never Marked)
  const out: BtcPayStatus[] = [];
  if (['New', 'Processing', 'Expired', 'Invalid'].includes(inv.status)) out.push('Settled');
  if (['New', 'Processing', 'Expired'].includes(inv.status)) out.push('Invalid');
  return out;
}

/** The Greenfield InvoiceData model (with paymentMethods when asked for). */
export function invoiceModel(store: Store, inv: BtcPayInvoice, withPaymentMethods: boolean): Record<string, unknown> {
  const st = store.states.get(inv.id);
  const checkout = { ...inv.checkout };
  if (Array.isArray(checkout.paymentMethods)) checkout.paymentMethods = (checkout.paymentMethods as string[]).map((id) => methodName(store, id));
  if (typeof checkout.defaultPaymentMethod === 'string') checkout.defaultPaymentMethod = methodName(store, checkout.defaultPaymentMethod);
  return {
    id: inv.id,
    storeId: inv.storeId,
    amount: inv.amount,
    paidAmount: inv.paidAmount,
    currency: inv.currency,
    type: inv.type,
    checkoutLink: inv.checkoutLink,
    createdTime: inv.createdTime,
    expirationTime: inv.expirationTime,
    monitoringExpiration: inv.monitoringExpiration,
    status: inv.status,
    additionalStatus: inv.additionalStatus,
    availableStatusesForManualMarking: availableStatuses(inv),
    archived: false,
    metadata: inv.metadata,
    checkout,
    receipt: st?.receipt ?? { enabled: true, showQR: true, showPayments: true },
    ...(withPaymentMethods ? { paymentMethods: paymentMethodModels(store, inv) } : {}),
  };
}

/** GET /stores/{storeId}/invoices: filters, newest first, skip/take. */
export function listInvoices(store: Store, q: URLSearchParams): unknown[] {
  const errors: ValidationError[] = [];
  const int = (name: string): number | undefined => {
    const v = q.get(name);
    if (v === null || v === '') return undefined;
    if (!/^-?\d+$/.test(v.trim())) {
      errors.push({ path: name, message: `The value '${v}' is not valid.` });
      return undefined;
    }
    return Number(v);
  };
  const skip = int('skip');
  const take = int('take');
  const startDate = int('startDate');
  const endDate = int('endDate');
  if (startDate !== undefined && endDate !== undefined && startDate > endDate) {
    errors.push({ path: 'startDate', message: 'startDate should not be above endDate' }, { path: 'endDate', message: 'endDate should not be below startDate' });
  }
  if (errors.length) throw new ApiError(422, errors);
  const orderIds = q.getAll('orderId');
  const statuses = q.getAll('status').map((s) => s.toLowerCase());
  const text = q.get('textSearch')?.toLowerCase();
  const withPms = q.get('includePaymentMethods')?.toLowerCase() === 'true';
  const all = [...store.invoices.values()].map((inv, i) => ({ inv, i }));
  all.sort((a, b) => b.inv.createdTime - a.inv.createdTime || b.i - a.i);
  let found = all
    .map((x) => x.inv)
    .filter((inv) => inv.storeId === store.storeId)
    .filter((inv) => orderIds.length === 0 || orderIds.includes(String(inv.metadata.orderId ?? '')))
    .filter((inv) => statuses.length === 0 || statuses.includes(inv.status.toLowerCase()))
    .filter((inv) => startDate === undefined || inv.createdTime >= startDate)
    .filter((inv) => endDate === undefined || inv.createdTime <= endDate)
    .filter((inv) => !text || inv.id.toLowerCase().includes(text) || JSON.stringify(inv.metadata).toLowerCase().includes(text));
  if (skip !== undefined && skip > 0) found = found.slice(skip);
  if (take !== undefined && take >= 0) found = found.slice(0, take);
  return found.map((inv) => invoiceModel(store, inv, withPms));
}
