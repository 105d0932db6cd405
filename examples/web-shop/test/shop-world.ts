/**
 * The world the web shop's test runs in: a Switchyard (API on a loopback port that is also its
 * PUBLIC_BASE_URL, so checkout URLs open in the browser as they are, and a worker that delivers
 * webhooks), a tenant in test mode with its built-in sandbox account plus a BTCPay Server account
 * (an emulator) so the buyer really has a choice, a webhook endpoint pointing at the shop, and the
 * shop itself on its own loopback port, talking to Switchyard through @switchyard/client.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { Switchyard } from '@switchyard/client';
import { startHarness, type Harness } from '../../../test/helpers/harness.js';
import { addWebhookEndpoint, connectGatewayAccount } from '../../../test/helpers/factories.js';
import { startBtcPayEmulator, type BtcPayEmulator } from '../../../test/emulators/btcpay/index.js';
import { startWorker } from '../../../src/jobs/worker.js';
import { createShop, type ShopLog } from '../src/shop.js';
import { OrderStore } from '../src/orders.js';
import type { Product } from '../src/pages.js';

/** The name on the shop's pages and on Switchyard's checkout page (its display name there). */
export const SHOP_NAME = 'Switchyard Mugs';
export const PRODUCT: Product = {
  name: 'Enamel camp mug',
  description: 'Speckled blue enamel, 350 ml, rolled steel rim. Takes a knock on the trail and goes in the dishwasher at home.',
  price: '12.50',
  currency: 'USD',
};

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

export interface ShopWorld {
  h: Harness;
  /** Switchyard's API and checkout (also its PUBLIC_BASE_URL). */
  switchyardUrl: string;
  shopUrl: string;
  /** The shop's test-mode API key. */
  apiKey: string;
  /** The signing secret of the endpoint that points at the shop. */
  webhookSecret: string;
  /** The shop's order store, to look at what the pages do not show. */
  orders: OrderStore;
  /** What the shop logged, in order. */
  log: LogLine[];
  close(): Promise<void>;
}

/** A loopback server whose handler comes later: its URL is known before what it serves is built. */
async function listenFirst() {
  let handler: http.RequestListener | undefined;
  const server = http.createServer((req, res) => (handler ? handler(req, res) : res.writeHead(503).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    serve: (h: http.RequestListener) => void (handler = h),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function startShopWorld(): Promise<ShopWorld> {
  const [switchyardPort, shopPort] = await Promise.all([listenFirst(), listenFirst()]);
  const h = await startHarness({ PUBLIC_BASE_URL: switchyardPort.url, WEBHOOK_RETRY_SCHEDULE: '0,1,1', OUTBOX_POLL_MS: '200', DELIVERY_SWEEP_MS: '500' });
  switchyardPort.serve(h.app);
  let btcPay: BtcPayEmulator | undefined;
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  const close = async () => {
    try {
      await worker?.close();
      await btcPay?.stop();
    } finally {
      await Promise.all([shopPort.close(), switchyardPort.close()]);
      await h.close();
    }
  };
  try {
    worker = await startWorker(h.core);
    btcPay = await startBtcPayEmulator();

    // The operator's part: a tenant and its test key (the CLI's `tenant create` and `key create`).
    const tenant = await h.createTenant(`${SHOP_NAME} ${randomBytes(3).toString('hex')}`);
    const apiKey = tenant.testKey;
    // The shop's part, once: its name on the checkout page, a second gateway, its webhook endpoint.
    const named = await h.client.patch('/v1/checkout-settings', { auth: apiKey, body: { display_name: SHOP_NAME } });
    expect(named.status, JSON.stringify(named.body)).toBe(200);
    await connectGatewayAccount(h, apiKey, { connector: 'btcpay', credentials: btcPay.account.credentials, config: btcPay.account.config });
    const endpoint = await addWebhookEndpoint(h, apiKey, { url: `${shopPort.url}/webhooks/switchyard` });

    const orders = new OrderStore();
    const log: LogLine[] = [];
    const record =
      (level: LogLine['level']) =>
      (message: string, fields: Record<string, unknown> = {}) =>
        void log.push({ level, message, fields });
    const shopLog: ShopLog = { info: record('info'), warn: record('warn'), error: record('error') };
    const app = createShop({
      switchyard: new Switchyard({ apiKey, baseUrl: switchyardPort.url }),
      webhookSecret: endpoint.secret,
      shopUrl: shopPort.url,
      shopName: SHOP_NAME,
      product: PRODUCT,
      orders,
      log: shopLog,
    });
    shopPort.serve(app);
    return { h, switchyardUrl: switchyardPort.url, shopUrl: shopPort.url, apiKey, webhookSecret: endpoint.secret, orders, log, close };
  } catch (err) {
    await close();
    throw err;
  }
}
