/**
 * The world the checkout page's browser tests run in: one Switchyard on a loopback port that is
 * also its PUBLIC_BASE_URL (so every checkout_url it hands out opens in the browser as is), a
 * worker, the upstream emulators the page is shown against, and a receiver that stands in for the
 * shop (its webhook endpoint and its return pages).
 */
import { expect } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { reservePort } from '../helpers/ports.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { addWebhookEndpoint, connectGatewayAccount, createShop, type GatewayAccount, type Invoice, type Shop } from '../helpers/factories.js';
import { startWorker } from '../../src/jobs/worker.js';
import { startCryptoPayEmulator, type CryptoPayEmulator } from '../emulators/cryptopay.js';
import { startPayStablecoinEmulator, type PayStablecoinEmulator } from '../emulators/paystablecoin.js';
import { startBtcPayEmulator, type BtcPayEmulator } from '../emulators/btcpay/index.js';
import type { UpstreamEmulator } from '../emulators/emulator-kit.js';

/** The name every test shop shows buyers (its checkout display name). */
export const SHOP_NAME = 'Acme Stickers';

/** An invoice with the fields these tests read; `gateway` is null until a buyer-selection invoice has a pick. */
export type CheckoutInvoice = Omit<Invoice, 'gateway'> & {
  gateway: Invoice['gateway'] | null;
  return_url: string | null;
  fail_return_url: string | null;
  expires_at: string;
};

/** A shop with its API key of one mode, its accounts and the receiver path of its webhook endpoint. */
export interface CheckoutShop {
  shop: Shop;
  key: string;
  accounts: Record<string, GatewayAccount>;
  /** Receiver path of the shop's webhook endpoint (every event). */
  hookPath: string;
  /** Its endpoint's signing secret. */
  hookSecret: string;
}

export interface CheckoutWorld {
  h: Harness;
  /** Where the app listens: also its PUBLIC_BASE_URL. */
  appUrl: string;
  /** The shop's side: webhook endpoint and return pages. */
  shopSite: Receiver;
  cryptoPay: CryptoPayEmulator;
  payStablecoin: PayStablecoinEmulator;
  btcPay: BtcPayEmulator;
  /** A new shop showing buyers `SHOP_NAME`, with an account on each named upstream in the key's mode, and a webhook endpoint. */
  openShop(mode: 'test' | 'live', connectors: Array<'cryptopay' | 'paystablecoin' | 'btcpay'>): Promise<CheckoutShop>;
  close(): Promise<void>;
}

export async function startCheckoutWorld(): Promise<CheckoutWorld> {
  const port = await reservePort();
  const h = await startHarness({
    PUBLIC_BASE_URL: port.url,
    WEBHOOK_RETRY_SCHEDULE: '0,0',
    OUTBOX_POLL_MS: '200',
    DELIVERY_SWEEP_MS: '500',
  });
  port.serve(h.app);
  const [cryptoPay, payStablecoin, btcPay, shopSite] = await Promise.all([startCryptoPayEmulator(), startPayStablecoinEmulator(), startBtcPayEmulator(), startReceiver()]);
  const worker = await startWorker(h.core);
  const emulators: Record<string, UpstreamEmulator> = { cryptopay: cryptoPay, paystablecoin: payStablecoin, btcpay: btcPay };

  return {
    h,
    appUrl: port.url,
    shopSite,
    cryptoPay,
    payStablecoin,
    btcPay,
    async openShop(mode, connectors) {
      const shop = await createShop(h, 'Checkout shop');
      const key = mode === 'live' ? shop.liveKey : shop.testKey;
      const named = await h.client.patch('/v1/checkout-settings', { auth: key, body: { display_name: SHOP_NAME } });
      expect(named.status, JSON.stringify(named.body)).toBe(200);
      const accounts: Record<string, GatewayAccount> = {};
      for (const connector of connectors) {
        const emu = emulators[connector]!;
        accounts[connector] = await connectGatewayAccount(h, key, { connector, credentials: emu.account.credentials, config: emu.account.config });
      }
      const hookPath = `/hooks/${shop.id}`;
      const endpoint = await addWebhookEndpoint(h, key, { url: shopSite.url(hookPath) });
      return { shop, key, accounts, hookPath, hookSecret: endpoint.secret };
    },
    async close() {
      try {
        await worker.close();
        await Promise.all([cryptoPay.stop(), payStablecoin.stop(), btcPay.stop(), shopSite.close()]);
      } finally {
        await port.close();
        await h.close();
      }
    },
  };
}
