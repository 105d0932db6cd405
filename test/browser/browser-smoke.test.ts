/**
 * The browser test helpers themselves, against tiny pages served on loopback: QR codes are read
 * back exactly, axe runs under a strict CSP, and CSP violations, page errors and requests to other
 * origins are all caught.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import { DESKTOP, PHONE, useBrowser } from '../helpers/browser.js';
import { decodeQr } from '../helpers/qr.js';
import { axeScan } from '../helpers/axe.js';

const STRICT_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const DEEP_LINK = 'https://t.me/CryptoBot?start=IVqTZ8mHa7pY';
// A BIP21 URI with a BOLT11 invoice: the longest thing the checkout page puts in a QR code.
const BITCOIN_URI =
  'bitcoin:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq?amount=0.00012345&lightning=lnbc123450n1pjqwd8zpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpusp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9qrsgq2zmk2j8cchqyyy3r5c9n4pmh8y7xg8xzqyk2w4c4mk2ll6l9k9y8r8rp7hm9s8zpcq4mxvmqs';

interface Served {
  url: string;
  close(): Promise<void>;
}

/** A loopback HTTP server answering each path with a fixed HTML page and headers. */
async function serve(pages: Record<string, { body: string; headers?: Record<string, string> }>): Promise<Served> {
  const server = http.createServer((req, res) => {
    const page = pages[new URL(req.url ?? '/', 'http://x').pathname];
    if (!page) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...page.headers }).end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const html = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><link rel="stylesheet" href="/page.css"></head><body><main>${body}</main></body></html>`;

// Small, unframed and below the fold: decodeQr must zoom, add a quiet zone and scroll.
const CSS = '.spacer { height: 1500px } #deep { width: 120px } #bitcoin { width: 180px }';

const browser = useBrowser();
let app: Served;
let elsewhere: Served;

beforeAll(async () => {
  elsewhere = await serve({ '/landing': { body: html('Shop', '<h1>Thanks</h1>') } });
  const deepLinkSvg = await QRCode.toString(DEEP_LINK, { type: 'svg' });
  const bitcoinSvg = await QRCode.toString(BITCOIN_URI, { type: 'svg', margin: 0, errorCorrectionLevel: 'L' });
  app = await serve({
    '/page.css': { headers: { 'content-type': 'text/css' }, body: CSS },
    '/qr': {
      headers: { 'content-security-policy': STRICT_CSP },
      body: html(
        'QR codes',
        `<h1>Pay</h1><div class="spacer">spacer</div>
         <div id="deep" role="img" aria-label="QR code">${deepLinkSvg}</div>
         <div id="bitcoin" role="img" aria-label="QR code">${bitcoinSvg}</div>`,
      ),
    },
    '/inline-script': { headers: { 'content-security-policy': STRICT_CSP }, body: html('Inline', '<h1>Inline</h1><script>document.title = "ran"</script>') },
    '/throws': { body: html('Throws', '<h1>Throws</h1><script>null.boom()</script>') },
    '/leaky': { body: html('Leaky', `<h1>Leaky</h1><img alt="" src="${elsewhere.url}/pixel.png"><a href="${elsewhere.url}/landing">Back to the shop</a>`) },
    '/unnamed-button': { headers: { 'content-security-policy': STRICT_CSP }, body: html('Buttons', '<h1>Buttons</h1><button></button>') },
  });
});

afterAll(async () => {
  await Promise.all([app?.close(), elsewhere?.close()]);
});

describe('browser helpers', () => {
  it('decodeQr reads back exactly what an inline SVG QR code holds, small or dense, below the fold', async () => {
    const { page } = await browser.open(app.url, { viewport: PHONE });
    await page.goto(`${app.url}/qr`);
    expect((await page.locator('#deep').boundingBox())?.width).toBe(120);
    expect(await decodeQr(page, page.locator('#deep'))).toBe(DEEP_LINK);
    expect(await decodeQr(page, page.locator('#bitcoin svg'))).toBe(BITCOIN_URI);
  });

  it('axeScan runs under a strict CSP and reports serious/critical violations only', async () => {
    const { page } = await browser.open(app.url, { viewport: DESKTOP });
    await page.goto(`${app.url}/qr`);
    expect(await axeScan(page)).toEqual([]);
    await page.goto(`${app.url}/unnamed-button`);
    const violations = await axeScan(page);
    expect(violations.map((v) => [v.id, v.impact])).toEqual([['button-name', 'critical']]);
  });

  it('records a CSP violation and an uncaught page error', async () => {
    const watched = await browser.open(app.url, { unchecked: true });
    await watched.page.goto(`${app.url}/inline-script`);
    expect(await watched.page.title()).toBe('Inline');
    expect(watched.cspViolations).toEqual([expect.stringMatching(/^script-src-elem blocked inline/)]);
    await watched.page.goto(`${app.url}/throws`);
    expect(watched.pageErrors).toEqual([expect.stringContaining('TypeError')]);
    expect(() => watched.expectNoErrors()).toThrow(/CSP violations/);
  });

  it('aborts and reports requests to another origin, but lets the buyer navigate to a navigable origin', async () => {
    const watched = await browser.open(app.url, { navigableOrigins: [elsewhere.url], unchecked: true });
    await watched.page.goto(`${app.url}/leaky`);
    expect(watched.foreignRequests().map((r) => r.url)).toEqual([`${elsewhere.url}/pixel.png`]);
    expect(() => watched.expectOnlyOwnOrigin()).toThrow(/requests to origins other than/);
    await watched.page.getByRole('link', { name: 'Back to the shop' }).click();
    await watched.page.waitForURL(`${elsewhere.url}/landing`);
    expect(watched.foreignRequests().map((r) => r.url)).toEqual([`${elsewhere.url}/pixel.png`]);
    expect(watched.requests.map((r) => r.url)).toContain(`${elsewhere.url}/landing`);
  });
});
