/**
 * The web shop end to end: a buyer in real Chromium pays for the mug through Switchyard's hosted
 * checkout and comes back to an order page that turns "paid" when Switchyard's signed webhook
 * reaches the shop; and, over plain HTTP, the shop's webhook refuses what Switchyard did not sign.
 * UPDATE_SCREENSHOTS=1 rewrites the pictures in examples/web-shop/docs/.
 */
import { mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, scrollWidth, useBrowser } from '../../../test/helpers/browser.js';
import { updatingScreenshots } from '../../../test/helpers/screenshots.js';
import { eventually } from '../../../test/helpers/harness.js';
import { PRODUCT, SHOP_NAME, startShopWorld, type ShopWorld } from './shop-world.js';
import type { Order } from '../src/orders.js';

/** Every wait has a deadline: the order page refreshes every 2 s, the worker delivers within a second or so. */
const WAIT = { timeout: 15_000 };
const WAIT_MS = { timeoutMs: WAIT.timeout };

const PRICE = '$12.50';
const TEXT = {
  waiting: 'Waiting for payment confirmation…',
  paid: 'Paid — thank you',
  // Switchyard's checkout page (src/checkout/page/i18n/en.ts).
  choose: 'Choose how to pay',
  testOption: /Test payment/,
  bitcoinOption: /Bitcoin/,
  simulatePaid: 'Simulate: paid',
  checkoutPaid: 'Payment complete',
  returnTo: `Return to ${SHOP_NAME}`,
};

const DOCS_DIR = fileURLToPath(new URL('../docs/', import.meta.url));

const browser = useBrowser();
let world: ShopWorld;

beforeAll(async () => {
  world = await startShopWorld();
});
afterAll(() => world?.close());

/** The page at 360 px and at 1280 px, as docs/<name>-<width>.png (UPDATE_SCREENSHOTS=1 only). */
async function picture(page: Page, name: string): Promise<void> {
  if (!updatingScreenshots()) return;
  mkdirSync(DOCS_DIR, { recursive: true });
  const before = page.viewportSize() ?? PHONE;
  for (const viewport of [PHONE, DESKTOP]) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: `${DOCS_DIR}${name}-${viewport.width}.png`, fullPage: true, animations: 'disabled', caret: 'hide' });
  }
  await page.setViewportSize(before);
}

async function expectFitsPhone(page: Page): Promise<void> {
  expect(await scrollWidth(page), 'horizontal scroll at 360 px').toBeLessThanOrEqual(PHONE.width);
}

/** The invoice as the shop's tenant sees it (the harness checks the answer against the OpenAPI document). */
async function invoiceOf(order: Order) {
  const res = await world.h.client.get(`/v1/invoices/${order.invoiceId}`, { auth: world.apiKey });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { id: string; status: string; amount: string; currency: string; external_id: string; gateway_selection: string; return_url: string; fail_return_url: string; gateway: { connector: string } | null };
}

function orderWithCheckout(checkoutUrl: string): Order {
  const order = world.orders.all().find((o) => o.checkoutUrl === checkoutUrl);
  expect(order, `an order sent to ${checkoutUrl}`).toBeDefined();
  return order!;
}

describe('web shop with Switchyard checkout', () => {
  it('a buyer on a phone pays through the checkout, comes back, and the order page turns paid by the webhook', async () => {
    const { page } = await browser.open(world.shopUrl, { viewport: PHONE, navigableOrigins: [world.switchyardUrl] });

    // The product page.
    const res = await page.goto(`${world.shopUrl}/`);
    expect(res?.status()).toBe(200);
    expect(res!.headers()['content-security-policy']).toMatch(/default-src 'none'/);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(PRODUCT.name);
    expect(await page.locator('.price').innerText()).toBe(PRICE);
    await expectFitsPhone(page);
    await picture(page, 'product');

    // Pay: the shop creates the order and the invoice, and sends the buyer to the checkout.
    await page.getByRole('button', { name: `Pay ${PRICE}` }).click();
    await page.waitForURL(`${world.switchyardUrl}/checkout/**`, WAIT);
    const order = orderWithCheckout(page.url());
    const orderUrl = `${world.shopUrl}/orders/${order.id}`;
    expect(await invoiceOf(order)).toMatchObject({
      status: 'pending',
      amount: PRODUCT.price,
      currency: PRODUCT.currency,
      external_id: order.id,
      gateway_selection: 'buyer',
      return_url: orderUrl,
      fail_return_url: orderUrl,
      gateway: null,
    });

    // Meanwhile the order page, open in another window, waits.
    const other = await browser.open(world.shopUrl, { viewport: DESKTOP });
    await other.page.goto(orderUrl);
    expect(await other.page.getByRole('heading', { level: 1 }).innerText()).toBe(TEXT.waiting);

    // On Switchyard's page the buyer has a real choice, picks the test payment and simulates paying.
    await page.getByRole('heading', { name: TEXT.choose }).waitFor(WAIT);
    expect(await page.getByRole('button', { name: TEXT.bitcoinOption }).isVisible()).toBe(true);
    await page.getByRole('button', { name: TEXT.testOption }).click();
    await page.getByRole('button', { name: TEXT.simulatePaid }).click();
    await page.getByRole('heading', { name: TEXT.checkoutPaid }).waitFor(WAIT);

    // Back to the shop by the checkout's return link: the order is paid.
    const back = page.getByRole('link', { name: TEXT.returnTo });
    expect(await back.getAttribute('href')).toBe(orderUrl);
    await back.click();
    await page.waitForURL(orderUrl, WAIT);
    await page.getByRole('heading', { name: TEXT.paid }).waitFor(WAIT);
    const summary = await page.locator('.summary').innerText();
    expect(summary).toContain(order.id);
    expect(summary).toContain(PRICE);
    await expectFitsPhone(page);
    await picture(page, 'paid');

    // The waiting window turned paid by its own refresh.
    await other.page.getByRole('heading', { name: TEXT.paid }).waitFor(WAIT);

    expect(order).toMatchObject({ status: 'paid', payment: { amount: PRODUCT.price, currency: PRODUCT.currency, exception: null } });
    expect(await invoiceOf(order)).toMatchObject({ status: 'paid', gateway: { connector: 'sandbox' } });

    // Switchyard sends the same event again (a redelivery): the shop takes it and nothing changes.
    const events = await world.h.client.get('/v1/events?type=invoice.paid', { auth: world.apiKey });
    const paidEvent = (events.body.data as Array<{ id: string; data: { id: string } }>).find((e) => e.data.id === order.invoiceId);
    expect(paidEvent).toBeDefined();
    const handled = () => world.log.filter((l) => l.message === 'webhook' && l.fields.id === paidEvent!.id);
    await eventually(async () => expect(handled()).toHaveLength(1), WAIT_MS);
    const redeliver = await world.h.client.post(`/v1/events/${paidEvent!.id}/redeliver`, { auth: world.apiKey, body: {} });
    expect(redeliver.status, JSON.stringify(redeliver.body)).toBeLessThan(300);
    await eventually(async () => expect(handled().map((l) => l.fields.outcome)).toEqual(['moved', 'unchanged']), WAIT_MS);
    expect(order.status).toBe('paid');
  }, 90_000);

  it('a webhook Switchyard did not sign is refused with 400 and leaves the order unpaid', async () => {
    const created = await fetch(`${world.shopUrl}/orders`, { method: 'POST', redirect: 'manual' });
    expect(created.status).toBe(303);
    const order = orderWithCheckout(created.headers.get('location')!);
    const orderUrl = `${world.shopUrl}/orders/${order.id}`;
    const waitingPage = async () => {
      const res = await fetch(orderUrl);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain(TEXT.waiting);
      expect(text).toContain('<meta http-equiv="refresh" content="2">');
    };
    await waitingPage();

    // What a forger would send: the real invoice, said to be paid.
    const invoice = await invoiceOf(order);
    const now = new Date();
    const body = JSON.stringify({
      id: `evt_${randomBytes(13).toString('hex')}`,
      type: 'invoice.paid',
      timestamp: now.toISOString(),
      data: { ...invoice, status: 'paid', paid: { amount: invoice.amount, currency: invoice.currency, paid_at: now.toISOString(), fee: null, exception: null } },
    });
    const msgId = JSON.parse(body).id as string;
    const signed = (secret: string, at = now, payload = body) => ({
      'webhook-id': msgId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(msgId, at, payload),
    });
    const send = (headers: Record<string, string>, payload = body) =>
      fetch(`${world.shopUrl}/webhooks/switchyard`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });

    const forgeries: Record<string, Promise<Response>> = {
      'signed with another secret': send(signed(`whsec_${randomBytes(24).toString('base64')}`)),
      'not signed': send({}),
      'body changed after signing': send(signed(world.webhookSecret), body.replace('"paid"', '"paid" ')),
      'timestamp 10 minutes old': send(signed(world.webhookSecret, new Date(now.getTime() - 600_000))),
    };
    for (const [what, answer] of Object.entries(forgeries)) expect((await answer).status, what).toBe(400);
    expect(world.log.filter((l) => l.message === 'webhook refused')).toHaveLength(Object.keys(forgeries).length);
    expect(order.status).toBe('awaiting_payment');
    await waitingPage();

    // The control: the same bytes signed with the endpoint's secret are taken, once.
    expect((await send(signed(world.webhookSecret))).status).toBe(204);
    expect(order.status).toBe('paid');
    expect((await send(signed(world.webhookSecret))).status).toBe(204);
    expect(world.log.filter((l) => l.message === 'webhook' && l.fields.id === msgId).map((l) => l.fields.outcome)).toEqual(['moved', 'unchanged']);
  });
});
