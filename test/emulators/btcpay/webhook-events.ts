/** Webhook events as BTCPay builds and serialises them. */
import { base58Id } from './formats.js';
import { methodName, paymentModel } from './payment-methods.js';
import type { Store } from './store.js';
import type { BtcPayEventType, BtcPayInvoice, BtcPayPayment } from './types.js';

export type WebhookEvent = Record<string, unknown>;
export type EventBuilder = (inv: BtcPayInvoice, type: BtcPayEventType, payment?: BtcPayPayment, timestamp?: number) => WebhookEvent;

function lastPayment(store: Store, inv: BtcPayInvoice, settledOnly: boolean): BtcPayPayment | undefined {
  const st = store.states.get(inv.id);
  const seq = (p: BtcPayPayment) => st?.payments.get(p.id)?.seq ?? 0;
  const all = inv.paymentMethods.flatMap((pm) => pm.payments).filter((p) => !settledOnly || p.status === 'Settled');
  return all.sort((a, b) => seq(a) - seq(b)).at(-1);
}

/** Builds the event objects of one store webhook, with a fresh deliveryId each. */
export function eventBuilder(store: Store, webhookId: string): EventBuilder {
  /** The event object in WebhookInvoice*Event property order: type-specific fields first. */
  return function buildEvent(inv, type, payment, timestamp = Math.floor(Date.now() / 1000)) {
    const st = store.states.get(inv.id);
    const head: Record<string, unknown> = {};
    switch (type) {
      case 'InvoiceSettled':
        head.manuallyMarked = false;
        head.overPaid = inv.additionalStatus === 'PaidOver';
        break;
      case 'InvoiceInvalid':
        head.manuallyMarked = false;
        break;
      case 'InvoiceProcessing':
        head.overPaid = inv.additionalStatus === 'PaidOver';
        break;
      case 'InvoiceExpired':
        head.partiallyPaid = inv.additionalStatus === 'PaidPartial';
        break;
      case 'InvoiceReceivedPayment':
      case 'InvoicePaymentSettled': {
        const p = payment ?? lastPayment(store, inv, type === 'InvoicePaymentSettled') ?? lastPayment(store, inv, false);
        if (!p) throw new Error(`BTCPay invoice ${inv.id} has no payment: call pay() first`);
        const meta = st?.payments.get(p.id);
        const pm = meta?.method ?? inv.paymentMethods.find((m) => m.payments.includes(p))?.paymentMethodId ?? 'BTC-CHAIN';
        head.afterExpiration = meta?.afterExpiration ?? false;
        head.paymentMethodId = methodName(store, pm);
        head.payment = paymentModel(p);
        break;
      }
      default:
        break; // InvoiceCreated, InvoicePaidAfterExpiration, InvoiceExpiredPaidPartial: none (assumption for the last two)
    }
    const deliveryId = base58Id();
    return {
      ...head,
      deliveryId,
      webhookId,
      originalDeliveryId: deliveryId,
      isRedelivery: false,
      type,
      timestamp,
      storeId: inv.storeId,
      invoiceId: inv.id,
      metadata: inv.metadata,
    };
  };
}

/** JsonConvert.SerializeObject(evt, Formatting.Indented): two-space indented JSON. */
export const toBytes = (evt: unknown): Buffer => Buffer.from(JSON.stringify(evt, null, 2), 'utf8');
