/**
 * The web shop as an express app: the product page, order creation (an invoice at Switchyard,
 * then off to its hosted checkout), the order page the buyer returns to, and the webhook that
 * tells the shop the order is paid. `createShop` takes everything from outside as arguments, so
 * main.ts wires it from the environment and the tests start it in-process.
 */
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { fileURLToPath } from 'node:url';
import { SwitchyardError, WebhookVerificationError, type Switchyard } from '@switchyard/client';
import { OrderStore } from './orders.js';
import { messagePage, orderPage, productPage, type Product } from './pages.js';
import { applyWebhookEvent } from './webhook-events.js';

export interface ShopLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface ShopDeps {
  /** The Switchyard client, with the shop's API key. */
  switchyard: Pick<Switchyard, 'invoices' | 'webhooks'>;
  /** The signing secret (whsec_…) of the webhook endpoint that points at /webhooks/switchyard. */
  webhookSecret: string;
  /** Where buyers reach the shop (the base of the return URLs), without a trailing slash. */
  shopUrl: string;
  shopName: string;
  product: Product;
  orders?: OrderStore;
  log?: ShopLog;
}

const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));

/** The largest webhook body taken: Switchyard's events are a few kilobytes. */
const WEBHOOK_BODY_LIMIT = '256kb';

const consoleLog: ShopLog = {
  info: (m, f) => console.log(m, f ?? ''),
  warn: (m, f) => console.warn(m, f ?? ''),
  error: (m, f) => console.error(m, f ?? ''),
};

/**
 * No scripts, no frames, styles from the shop itself. `form-action` is left out on purpose: the
 * Pay form's answer is a redirect to Switchyard's checkout, which a `form-action 'self'` would block.
 */
const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'";

export function createShop(deps: ShopDeps): express.Express {
  const { switchyard, webhookSecret, shopName, product } = deps;
  const shopUrl = deps.shopUrl.replace(/\/+$/, '');
  const orders = deps.orders ?? new OrderStore();
  const log = deps.log ?? consoleLog;
  const app = express();
  app.disable('x-powered-by');

  app.use((_req, res, next) => {
    res.set({ 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin' });
    next();
  });
  app.use('/assets', express.static(PUBLIC_DIR, { index: false }));

  app.get('/', (_req, res) => void res.type('html').send(productPage(shopName, product)));

  app.post('/orders', async (_req, res) => {
    const order = orders.create({ productName: product.name, amount: product.price, currency: product.currency });
    const orderUrl = `${shopUrl}/orders/${order.id}`;
    try {
      const invoice = await switchyard.invoices.create(
        {
          amount: product.price,
          currency: product.currency,
          description: product.name,
          external_id: order.id,
          // The buyer picks how to pay on Switchyard's checkout page, among the shop's gateways.
          gateway_selection: 'buyer',
          return_url: orderUrl,
          fail_return_url: orderUrl,
          metadata: { order_id: order.id },
        },
        // A retried create (the client retries network errors) makes no second invoice.
        { idempotencyKey: `order-${order.id}` },
      );
      orders.attachInvoice(order.id, invoice.id, invoice.checkout_url);
      log.info('invoice created', { order: order.id, invoice: invoice.id });
      res.redirect(303, invoice.checkout_url);
    } catch (err) {
      orders.move(order.id, 'failed');
      const detail = err instanceof SwitchyardError ? { status: err.status, code: err.code, detail: err.detail, requestId: err.requestId } : { error: String(err) };
      log.error('invoice create failed', { order: order.id, ...detail });
      res.status(502).type('html').send(messagePage(shopName, 'The payment could not be started', 'Nothing was charged. Please try again in a moment.'));
    }
  });

  app.get('/orders/:id', (req: Request<{ id: string }>, res) => {
    const order = orders.get(req.params.id);
    if (!order) return void notFound(res);
    // The page changes when the webhook arrives: never serve it from a cache.
    res.set('Cache-Control', 'no-store').type('html').send(orderPage(shopName, order));
  });

  // The raw bytes, not parsed JSON: the signature is over exactly what Switchyard sent.
  app.post('/webhooks/switchyard', express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }), (req, res) => {
    const rawBody: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let event;
    try {
      event = switchyard.webhooks.verify(rawBody, req.headers, webhookSecret);
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      log.warn('webhook refused', { reason: err.message, webhookId: req.get('webhook-id') });
      return void res.status(400).type('text').send('invalid signature');
    }
    const outcome = applyWebhookEvent(orders, event);
    log.info('webhook', { id: event.id, type: event.type, outcome });
    // 2xx for every genuine event, even one the shop ignores: anything else makes Switchyard retry it.
    res.status(204).end();
  });

  app.use((_req, res) => notFound(res));

  const onError: ErrorRequestHandler = (err: { status?: number; message?: string }, _req, res, _next) => {
    const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error('request failed', { error: err.message });
    res.status(status).type('html').send(messagePage(shopName, 'Something went wrong', 'Please try again in a moment.'));
  };
  app.use(onError);

  function notFound(res: Response): void {
    res.status(404).type('html').send(messagePage(shopName, 'Page not found', 'There is nothing at this address.'));
  }

  return app;
}
