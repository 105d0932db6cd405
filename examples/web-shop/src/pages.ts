/** The shop's HTML pages: a layout, the product, an order, and the error pages. No scripts. */
import { html, type Html } from './html.js';
import type { Order, OrderStatus } from './orders.js';

export interface Product {
  name: string;
  description: string;
  /** A decimal string, as Switchyard takes amounts ("12.50"): never a float. */
  price: string;
  currency: string;
}

/** "$12.50" for ISO currencies; "0.0001 BTC" or "5 USDT" where Intl would round or does not know the code. */
export function formatMoney(amount: string, currency: string): string {
  try {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    const digits = amount.split('.')[1]?.length ?? 0;
    // A string keeps every digit (Intl formats it as a decimal, not through a float).
    if (digits <= (format.resolvedOptions().maximumFractionDigits ?? 0)) return format.format(amount as `${number}`);
  } catch {
    // Not a currency code Intl accepts (USDT, TON): shown as it is below.
  }
  return `${amount} ${currency}`;
}

const TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** "30 Nov 2026, 10:03 UTC" */
function formatTime(iso: string): string {
  return `${TIME.format(new Date(iso))} UTC`;
}

function layout(shopName: string, title: string, main: Html, opts: { refreshSeconds?: number } = {}): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${opts.refreshSeconds ? html`<meta http-equiv="refresh" content="${opts.refreshSeconds}">` : ''}
<title>${title} · ${shopName}</title>
<link rel="stylesheet" href="/assets/shop.css">
</head>
<body>
<header class="site"><a class="brand" href="/">${shopName}</a></header>
<main>
${main}
</main>
<footer class="site">Payments by Switchyard</footer>
</body>
</html>
`.text;
}

export function productPage(shopName: string, product: Product): string {
  const price = formatMoney(product.price, product.currency);
  return layout(
    shopName,
    product.name,
    html`<article class="card product">
<div class="product-art" aria-hidden="true"><span>${product.name.slice(0, 1)}</span></div>
<div class="product-body">
<h1>${product.name}</h1>
<p class="description">${product.description}</p>
<p class="price">${price}</p>
<form method="post" action="/orders"><button type="submit" class="button">Pay ${price}</button></form>
<p class="hint">You pay on a secure checkout page and come straight back here.</p>
</div>
</article>`,
  );
}

const HEADINGS: Record<OrderStatus, string> = {
  awaiting_payment: 'Waiting for payment confirmation…',
  processing: 'Payment received, waiting for confirmation…',
  paid: 'Paid — thank you',
  expired: 'This payment expired',
  cancelled: 'This payment was cancelled',
  failed: 'The payment did not go through',
  refunded: 'This order was refunded',
};

/** Pages that wait for a webhook reload themselves every 2 s (a meta refresh: no script, nothing for a CSP to block). */
const WAITING: ReadonlySet<OrderStatus> = new Set(['awaiting_payment', 'processing']);

function orderSummary(order: Order): Html {
  const paid = order.payment;
  return html`<dl class="summary">
<div><dt>Order</dt><dd><code>${order.id}</code></dd></div>
<div><dt>Item</dt><dd>${order.productName}</dd></div>
<div><dt>${paid ? 'Amount paid' : 'Amount'}</dt><dd>${paid ? formatMoney(paid.amount, paid.currency) : formatMoney(order.amount, order.currency)}</dd></div>
${paid ? html`<div><dt>Paid at</dt><dd>${formatTime(paid.paidAt)}</dd></div>` : ''}
</dl>`;
}

function orderBody(order: Order): Html {
  switch (order.status) {
    case 'awaiting_payment':
    case 'processing':
      return html`<p>This page updates by itself as soon as the payment provider confirms the payment.</p>
${order.checkoutUrl && order.status === 'awaiting_payment' ? html`<p><a href="${order.checkoutUrl}">Back to the payment page</a></p>` : ''}`;
    case 'paid': {
      const exception = order.payment?.exception;
      const note =
        exception === 'underpaid'
          ? html`<p class="warning">Less than the order total arrived. We will be in touch about the difference.</p>`
          : exception === 'overpaid'
            ? html`<p class="warning">More than the order total arrived. We will be in touch about the difference.</p>`
            : '';
      return html`<p>Your order is confirmed and on its way.</p>${note}`;
    }
    case 'refunded':
      return html`<p>The payment has been given back to you.</p>`;
    default:
      // An invoice that expired after a partial payment still reports what arrived.
      return html`<p>${order.payment ? 'Part of the amount arrived. We will be in touch about it.' : 'Nothing was charged for this order.'}</p>
<p><a class="button" href="/">Order again</a></p>`;
  }
}

export function orderPage(shopName: string, order: Order): string {
  const tone = order.status === 'paid' ? 'ok' : WAITING.has(order.status) ? 'wait' : 'closed';
  return layout(
    shopName,
    HEADINGS[order.status],
    html`<section class="card order order-${tone}">
<div role="status">
<span class="badge badge-${tone}" aria-hidden="true"></span>
<h1>${HEADINGS[order.status]}</h1>
${orderBody(order)}
</div>
${orderSummary(order)}
</section>`,
    { refreshSeconds: WAITING.has(order.status) ? 2 : undefined },
  );
}

export function messagePage(shopName: string, heading: string, text: string): string {
  return layout(shopName, heading, html`<section class="card order order-closed"><h1>${heading}</h1><p>${text}</p><p><a class="button" href="/">Back to the shop</a></p></section>`);
}
