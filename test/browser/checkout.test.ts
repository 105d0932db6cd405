/**
 * The hosted checkout page in real Chromium, against emulated upstreams: what the buyer sees and
 * scans at each step, that the page follows the invoice by itself, and that it stays on its own
 * origin under its CSP (every page opened here is checked for that when its test ends; see
 * test/helpers/browser.ts). UPDATE_SCREENSHOTS=1 rewrites the pictures in docs/checkout/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, scrollWidth, useBrowser, type WatchedPage } from '../helpers/browser.js';
import { decodeQr } from '../helpers/qr.js';
import { axeScan } from '../helpers/axe.js';
import { saveScreenshot, updatingScreenshots } from '../helpers/screenshots.js';
import { eventually } from '../helpers/harness.js';
import { createInvoice } from '../helpers/factories.js';
import { SHOP_NAME, startCheckoutWorld, type CheckoutInvoice, type CheckoutShop, type CheckoutWorld } from './checkout-world.js';

/** What the buyer reads, as the page's English and Russian catalogues word it. */
const EN = {
  choose: 'Choose how to pay',
  cryptoBot: /Crypto Bot/,
  stablecoin: /Stablecoin transfer/,
  amountToSend: 'Amount to send',
  address: 'Address',
  networkWarning: (asset: string, network: string) => new RegExp(`Send only ${asset} on ${escapeRegExp(network)}`, 'i'),
  changeMethod: 'Choose another way to pay',
  telegramButton: 'Pay in Telegram',
  paid: 'Payment complete',
  returnTo: `Return to ${SHOP_NAME}`,
  expired: 'This payment has expired',
  backToShop: 'Back to the shop',
  testRibbon: /no money moves/,
  simulatePaid: 'Simulate: paid',
};
const RU = {
  choose: 'Выберите способ оплаты',
  stablecoin: /Перевод стейблкоинов/,
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every wait on the page has a deadline: the page polls every 2 s and the paid page returns after 5 s. */
const WAIT = { timeout: 15_000 };
const WAIT_MS = { timeoutMs: WAIT.timeout };

const browser = useBrowser();
let world: CheckoutWorld;

beforeAll(async () => {
  world = await startCheckoutWorld();
});
afterAll(() => world?.close());

async function newInvoice(shop: CheckoutShop, body: Record<string, unknown>): Promise<CheckoutInvoice> {
  return (await createInvoice(world.h, shop.key, body)) as unknown as CheckoutInvoice;
}

/** A page that may leave only for the shop's own site (return URLs). */
function openPage(opts: { viewport?: typeof PHONE; locale?: string } = {}): Promise<WatchedPage> {
  return browser.open(world.appUrl, { viewport: PHONE, ...opts, navigableOrigins: [new URL(world.shopSite.url()).origin] });
}

/** Opens the checkout page and checks the headers every checkout answer carries. */
async function visit(page: Page, url: string): Promise<void> {
  const res = await page.goto(url);
  expect(res?.status(), url).toBe(200);
  const headers = res!.headers();
  expect(headers['content-security-policy']).toMatch(/script-src 'self'/);
  expect(headers['referrer-policy']).toBe('no-referrer');
}

/** 360 px: nothing wider than the screen, every button at least 44 px high. */
async function expectFitsPhone(page: Page): Promise<void> {
  expect(page.viewportSize()?.width).toBe(PHONE.width);
  expect(await scrollWidth(page), 'horizontal scroll at 360 px').toBeLessThanOrEqual(PHONE.width);
  const small: string[] = [];
  let measured = 0;
  for (const target of await page.locator('button, input[type=submit], a.button').all()) {
    if (!(await target.isVisible())) continue;
    const box = await target.boundingBox();
    measured++;
    if (box && box.height < 44) small.push(`${(await target.innerText()).trim()} (${box.height} px)`);
  }
  expect(measured, 'buttons on the page').toBeGreaterThan(0);
  expect(small, 'tap targets under 44 px high').toEqual([]);
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await axeScan(page), 'axe: serious and critical violations').toEqual([]);
}

/** The page as the buyer sees it at 360 px, then at 1280 px, in docs/checkout/ (UPDATE_SCREENSHOTS=1 only). */
async function picture(page: Page, name: string): Promise<void> {
  if (!updatingScreenshots()) return;
  const before = page.viewportSize() ?? PHONE;
  for (const viewport of [PHONE, DESKTOP]) {
    await page.setViewportSize(viewport);
    await saveScreenshot(page, name);
  }
  await page.setViewportSize(before);
}

/** The `dd` of the `dt` with exactly this text: a labelled value on the payment screen. */
const fieldValue = (page: Page, label: string) => page.locator(`dt:text-is("${label}") + dd`);

describe('hosted checkout in Chromium', () => {
  it('buyer choice at 360 px: PayStablecoin by address, back, then Crypto Bot in Telegram; paid by webhook, the page follows and returns to the shop', async () => {
    const shop = await world.openShop('live', ['cryptopay', 'paystablecoin']);
    const returnUrl = world.shopSite.url(`/orders/${shop.shop.id}/thanks`);
    const inv = await newInvoice(shop, { amount: '5', currency: 'USDT', gateway_selection: 'buyer', return_url: returnUrl, description: 'Sticker pack' });
    expect(inv.checkout_url).toMatch(new RegExp(`^${escapeRegExp(world.appUrl)}/checkout/[^/?#]+$`));
    expect(inv.gateway).toBeNull();
    expect(inv.pay_url).toBe(inv.checkout_url);

    const { page } = await openPage();
    await visit(page, inv.checkout_url);
    await page.getByRole('heading', { name: EN.choose }).waitFor(WAIT);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(SHOP_NAME);
    const cryptoBot = page.getByRole('button', { name: EN.cryptoBot });
    const stablecoin = page.getByRole('button', { name: EN.stablecoin });
    expect(await cryptoBot.isVisible()).toBe(true);
    expect(await stablecoin.innerText()).toContain('USDT');
    await expectFitsPhone(page);
    await expectAccessible(page);
    await picture(page, 'choose');

    // PayStablecoin: the exact crypto amount of the order (not the invoice's 5), its address, its network.
    await stablecoin.click();
    await fieldValue(page, EN.address).waitFor(WAIT);
    const order = world.payStablecoin.orders.get(world.payStablecoin.findInvoice({ invoiceId: inv.id })!.upstreamId)!;
    expect(order.cryptoPaymentAmount.value).not.toBe('5');
    expect(await fieldValue(page, EN.amountToSend).innerText()).toContain(order.cryptoPaymentAmount.value);
    expect(await fieldValue(page, EN.address).innerText()).toContain(order.depositAddress);
    expect(await page.getByText(EN.networkWarning('USDT', order.networkDisplayName)).isVisible()).toBe(true);
    expect(await decodeQr(page, page.getByRole('img', { name: /QR code/ }))).toBe(order.depositAddress);
    await expectFitsPhone(page);
    await expectAccessible(page);
    await picture(page, 'pay-address');

    // Back to the cards, then Crypto Bot: its deep link as a button and as a QR code.
    await page.getByRole('link', { name: EN.changeMethod }).click();
    await page.getByRole('heading', { name: EN.choose }).waitFor(WAIT);
    await page.getByRole('button', { name: EN.cryptoBot }).click();
    const telegram = page.getByRole('link', { name: EN.telegramButton });
    await telegram.waitFor(WAIT);
    const upstreamId = Number(world.cryptoPay.findInvoice({ invoiceId: inv.id })!.upstreamId);
    const deepLink = world.cryptoPay.invoices.get(upstreamId)!.bot_invoice_url;
    expect(await telegram.getAttribute('href')).toBe(deepLink);
    expect(await decodeQr(page, page.getByRole('img', { name: /QR code/ }))).toBe(deepLink);
    await expectFitsPhone(page);
    await expectAccessible(page);
    await picture(page, 'pay-telegram');

    // The buyer pays in Telegram; Crypto Pay tells Switchyard; the page notices without a reload from us.
    await world.h.core.db('invoices').where({ id: inv.id }).update({ next_reconcile_at: new Date(Date.now() + 3600_000) });
    await world.cryptoPay.payInFull(String(upstreamId));
    const answer = await world.cryptoPay.sendInvoiceWebhook(String(upstreamId), { url: shop.accounts.cryptopay!.webhook_url! });
    expect(answer.status, answer.body).toBe(200);
    await page.getByRole('heading', { name: EN.paid }).waitFor(WAIT);
    const back = page.getByRole('link', { name: EN.returnTo });
    expect(await back.getAttribute('href')).toBe(returnUrl);
    await expectFitsPhone(page);
    await expectAccessible(page);
    await picture(page, 'paid');
    await page.waitForURL(returnUrl, WAIT);
    // The shop's page learns nothing of the checkout URL (Referrer-Policy: no-referrer).
    const landed = world.shopSite.on(new URL(returnUrl).pathname);
    expect(landed).toHaveLength(1);
    expect(landed[0]!.headers.referer).toBeUndefined();

    // The shop heard of it too, signed.
    const paidHook = await eventually(async () => {
      const found = world.shopSite.on(shop.hookPath).find((r) => JSON.parse(r.body).type === 'invoice.paid');
      expect(found).toBeDefined();
      return found!;
    });
    const event = new Webhook(shop.hookSecret).verify(paidHook.body, paidHook.headers as Record<string, string>) as { data: { id: string; status: string } };
    expect(event.data).toMatchObject({ id: inv.id, status: 'paid' });
  }, 60_000);

  it('BTCPay: one QR code with the on-chain address, the amount and the Lightning invoice', async () => {
    const shop = await world.openShop('test', ['btcpay']);
    const inv = await newInvoice(shop, { amount: '5', currency: 'USD', gateway: 'btcpay' });
    const payment = inv.payment as { address: string; amount: string; bolt11: string };
    const { page } = await openPage();
    await visit(page, inv.checkout_url);
    const qr = page.getByRole('img', { name: /QR code/ });
    await qr.waitFor(WAIT);
    expect(await decodeQr(page, qr)).toBe(`bitcoin:${payment.address}?amount=${payment.amount}&lightning=${payment.bolt11}`);
    await expectFitsPhone(page);
    await expectAccessible(page);
    await picture(page, 'lightning');
  });

  it('expiry: the open page turns expired by itself and offers the way back to the shop', async () => {
    const shop = await world.openShop('live', ['cryptopay']);
    const failUrl = world.shopSite.url(`/orders/${shop.shop.id}/retry`);
    const inv = await newInvoice(shop, { amount: '3', currency: 'USDT', gateway: 'cryptopay', fail_return_url: failUrl });
    const { page } = await openPage();
    await visit(page, inv.checkout_url);
    await page.getByRole('link', { name: EN.telegramButton }).waitFor(WAIT);
    await world.h.core.db('invoices').where({ id: inv.id }).update({ expires_at: new Date(Date.now() - 1000), next_reconcile_at: new Date(Date.now() + 3600_000) });
    expect(await world.h.core.invoices.expireOverdue()).toBeGreaterThanOrEqual(1);
    await page.getByRole('heading', { name: EN.expired }).waitFor(WAIT);
    expect(await page.getByRole('link', { name: EN.backToShop }).getAttribute('href')).toBe(failUrl);
    await expectFitsPhone(page);
    await expectAccessible(page);
    await picture(page, 'expired');
  });

  it('test mode: the sandbox says no money moves, and "Simulate: paid" pays it', async () => {
    const shop = await world.openShop('test', []);
    const inv = await newInvoice(shop, { amount: '9.99', currency: 'USD' });
    const { page } = await openPage();
    await visit(page, inv.checkout_url);
    expect(await page.getByText(EN.testRibbon).first().isVisible()).toBe(true);
    await expectFitsPhone(page);
    await page.getByRole('button', { name: EN.simulatePaid }).click();
    await page.getByRole('heading', { name: EN.paid }).waitFor(WAIT);
    expect((await world.h.client.get(`/v1/invoices/${inv.id}`, { auth: shop.key })).body.status).toBe('paid');
  });

  it('Russian: from ?lang=ru and from Accept-Language', async () => {
    const shop = await world.openShop('live', ['cryptopay', 'paystablecoin']);
    const inv = await newInvoice(shop, { amount: '5', currency: 'USDT', gateway_selection: 'buyer' });

    const byParam = await openPage();
    await visit(byParam.page, `${inv.checkout_url}?lang=ru`);
    await byParam.page.getByRole('heading', { name: RU.choose }).waitFor(WAIT);
    expect(await byParam.page.getByRole('button', { name: RU.stablecoin }).isVisible()).toBe(true);
    expect(await byParam.page.locator('html').getAttribute('lang')).toBe('ru');

    const byHeader = await openPage({ locale: 'ru-RU' });
    await visit(byHeader.page, inv.checkout_url);
    await byHeader.page.getByRole('heading', { name: RU.choose }).waitFor(WAIT);
    expect(await byHeader.page.locator('html').getAttribute('lang')).toBe('ru');
    await expectFitsPhone(byHeader.page);
    await expectAccessible(byHeader.page);
  });

  it('no third-party requests: the page loads its own stylesheet and script and polls its own state URL', async () => {
    // Every page above was checked for foreign requests when its test ended; this one also lists what a desktop page loads.
    const shop = await world.openShop('live', ['cryptopay', 'paystablecoin']);
    const inv = await newInvoice(shop, { amount: '5', currency: 'USDT', gateway_selection: 'buyer' });
    const watched = await openPage({ viewport: DESKTOP });
    await visit(watched.page, inv.checkout_url);
    await watched.page.getByRole('heading', { name: EN.choose }).waitFor(WAIT);
    // The script has run its first poll: a same-origin request for the state.
    await eventually(async () => expect(watched.requests.some((r) => new URL(r.url).pathname.endsWith('/state'))).toBe(true), WAIT_MS);
    expect(watched.requests.map((r) => new URL(r.url).origin).filter((o) => o !== world.appUrl)).toEqual([]);
    expect(watched.requests.map((r) => new URL(r.url).pathname)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/checkout\//), '/assets/checkout/checkout.css', '/assets/checkout/checkout.js']),
    );
    watched.expectNoErrors();
  });
});
