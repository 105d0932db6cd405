/**
 * The invoice life cycle as BTCPay's InvoiceWatcher drives it: New → Processing → Settled, New →
 * Expired (PaidPartial / PaidLate), Processing → Invalid. Each change returns the webhook events it
 * causes, in BTCPay's order; the caller decides whether they are delivered.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { D, btc, type Dec } from './formats.js';
import { bolt11, totalPaidBtc } from './payment-methods.js';
import { find, formatPaid, minimumDue, type InvoiceState, type Store } from './store.js';
import type { BtcPayInvoice, BtcPayMethodId, BtcPayPayment } from './types.js';
import type { EventBuilder, WebhookEvent } from './webhook-events.js';

export function createLifecycle(store: Store, buildEvent: EventBuilder) {
  function settledPaid(inv: BtcPayInvoice, st: InvoiceState): Dec {
    let sum = new D(0);
    for (const pm of inv.paymentMethods) for (const p of pm.payments) if (p.status === 'Settled') sum = sum.add(st.payments.get(p.id)?.currencyValue ?? 0);
    return sum;
  }

  function pay(invoiceId: string, o: { amount?: string; method?: BtcPayMethodId } = {}): WebhookEvent[] {
    const { inv, st } = find(store, invoiceId);
    const method = o.method ?? 'BTC-CHAIN';
    const pm = inv.paymentMethods.find((m) => m.paymentMethodId === method);
    if (!pm) throw new Error(`BTCPay invoice ${invoiceId} does not offer ${method}`);
    if (method === 'BTC-LN' && inv.status === 'Expired') throw new Error(`BTCPay invoice ${invoiceId} is expired: its BOLT11 cannot be paid any more`);
    const remaining = new D(inv.amount).sub(st.paid);
    const value = o.amount !== undefined ? new D(o.amount) : remaining;
    if (!value.gt(0)) throw new Error(`nothing due on BTCPay invoice ${invoiceId}: pass an amount`);
    const btcDue = new D(pm.amount).sub(totalPaidBtc(inv));
    const btcValue = value.eq(remaining) && btcDue.gt(0) ? btcDue : value.div(pm.rate).toDecimalPlaces(8, D.ROUND_HALF_UP);
    if (!btcValue.gt(0)) throw new Error(`payment of ${value.toFixed()} ${inv.currency} is below one satoshi`);

    const onchain = method === 'BTC-CHAIN';
    const payment: BtcPayPayment = {
      id: onchain ? `${randomBytes(32).toString('hex')}-${randomInt(4)}` : (store.lightning.get(pm.destination)?.paymentHash ?? randomBytes(32).toString('hex')),
      receivedDate: Math.floor(Date.now() / 1000),
      value: btc(btcValue),
      fee: btc(new D(0)),
      status: onchain ? 'Processing' : 'Settled',
      destination: pm.destination,
    };
    const afterExpiration = inv.status === 'Expired';
    pm.payments.push(payment);
    st.payments.set(payment.id, { afterExpiration, method, currencyValue: value, seq: st.payments.size });
    st.paid = st.paid.add(value);
    inv.paidAmount = formatPaid(inv, st.paid);

    const events: WebhookEvent[] = [buildEvent(inv, 'InvoiceReceivedPayment', payment)];
    if (!onchain) events.push(buildEvent(inv, 'InvoicePaymentSettled', payment));

    // InvoiceWatcher.UpdateInvoice
    const full = st.paid.gte(minimumDue(inv, st));
    const over = st.paid.gt(inv.amount);
    if (inv.status === 'New') {
      if (full) {
        inv.status = 'Processing';
        inv.additionalStatus = over ? 'PaidOver' : 'None';
        const settles = settledPaid(inv, st).gte(minimumDue(inv, st));
        if (!settles || store.options.lightningProcessingEvent) events.push(buildEvent(inv, 'InvoiceProcessing'));
        if (settles) {
          inv.status = 'Settled';
          events.push(buildEvent(inv, 'InvoiceSettled'));
        }
      } else {
        inv.additionalStatus = 'PaidPartial';
      }
    } else if (inv.status === 'Expired') {
      if (full) {
        if (inv.additionalStatus !== 'PaidLate') {
          inv.additionalStatus = 'PaidLate';
          events.push(buildEvent(inv, 'InvoicePaidAfterExpiration'));
        }
      } else {
        inv.additionalStatus = 'PaidPartial';
      }
    } else if (inv.status === 'Processing') {
      inv.additionalStatus = over ? 'PaidOver' : 'None';
      if (settledPaid(inv, st).gte(minimumDue(inv, st))) {
        inv.status = 'Settled';
        events.push(buildEvent(inv, 'InvoiceSettled'));
      }
    }

    // A partial payment: the Lightning invoice is replaced by one for what is still due (assumption).
    if (inv.status === 'New') {
      const ln = inv.paymentMethods.find((m) => m.paymentMethodId === 'BTC-LN');
      const due = ln ? new D(ln.amount).sub(totalPaidBtc(inv)) : new D(0);
      if (ln && due.gt(0)) ln.destination = bolt11(store, due);
    }
    return events;
  }

  function confirm(invoiceId: string): WebhookEvent[] {
    const { inv, st } = find(store, invoiceId);
    const events: WebhookEvent[] = [];
    for (const pm of inv.paymentMethods) {
      for (const p of pm.payments) {
        if (p.status !== 'Processing') continue;
        p.status = 'Settled';
        events.push(buildEvent(inv, 'InvoicePaymentSettled', p));
      }
    }
    if (inv.status === 'Processing' && settledPaid(inv, st).gte(minimumDue(inv, st))) {
      inv.status = 'Settled';
      events.push(buildEvent(inv, 'InvoiceSettled'));
    }
    if (events.length === 0) throw new Error(`BTCPay invoice ${invoiceId} has no unconfirmed payment (status ${inv.status})`);
    return events;
  }

  function expire(invoiceId: string): WebhookEvent[] {
    const { inv } = find(store, invoiceId);
    if (inv.status !== 'New') throw new Error(`BTCPay invoice ${invoiceId} is ${inv.status}: only New invoices expire`);
    inv.status = 'Expired';
    const events = [buildEvent(inv, 'InvoiceExpired')];
    if (inv.additionalStatus === 'PaidPartial') events.push(buildEvent(inv, 'InvoiceExpiredPaidPartial'));
    return events;
  }

  function invalidate(invoiceId: string): WebhookEvent[] {
    const { inv } = find(store, invoiceId);
    if (inv.status !== 'Processing') throw new Error(`BTCPay invoice ${invoiceId} is ${inv.status}: only Processing invoices fail to confirm`);
    inv.status = 'Invalid';
    return [buildEvent(inv, 'InvoiceInvalid')];
  }

  return { pay, confirm, expire, invalidate };
}
