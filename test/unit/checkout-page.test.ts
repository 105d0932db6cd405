import { describe, expect, it } from 'vitest';
import { create } from 'qrcode';
import type { CheckoutView, SelectedGateway } from '../../src/checkout/checkout-view.js';
import { escapeHtml, fill, html } from '../../src/checkout/page/html.js';
import { en } from '../../src/checkout/page/i18n/en.js';
import { ru } from '../../src/checkout/page/i18n/ru.js';
import { pickLanguage } from '../../src/checkout/page/i18n/index.js';
import { formatAmount, formatCountdown } from '../../src/checkout/page/format.js';
import { connectorName, networkLabel, optionCard, paymentScreen, paymentUri, selectedName } from '../../src/checkout/page/presentation.js';
import { ERROR_CORRECTION, QUIET_ZONE, qrSvg } from '../../src/checkout/page/qr.js';
import { renderCheckoutPage, renderNotFoundPage, type CheckoutPaths } from '../../src/checkout/page/render-page.js';

const PATHS: CheckoutPaths = {
  css: '/assets/checkout/checkout.css',
  js: '/assets/checkout/checkout.js',
  page: '/checkout/tok123',
  state: '/checkout/tok123/state',
  choice: '/checkout/tok123/choice',
  simulate: '/checkout/tok123/simulate',
};
const NOW = new Date('2026-03-01T12:00:00Z');

const BOLT11 = 'lnbc125u1pn9xyzpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpusp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3';
const BTC_ADDRESS = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
const TRON_ADDRESS = 'TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE';

const SELECTED = {
  cryptopay: { connector: 'cryptopay', payUrl: 'https://t.me/CryptoBot?start=IVabc', payment: null },
  walletpay: { connector: 'walletpay', payUrl: 'https://t.me/wallet/start?startapp=wpay_order-1', payment: null },
  paystablecoin: { connector: 'paystablecoin', payUrl: null, payment: { address: TRON_ADDRESS, amount: '25.417301', network: 'TRON (TRC20)', asset: 'USDT' } },
  xthonpay: { connector: 'xthonpay', payUrl: null, payment: { address: '0x8894E0a0c962CB723c1976a4421c95949bE2D4E3', network: 'BSC (BEP-20)', asset: 'USDT', amount: '25.00' } },
  btcBoth: { connector: 'btcpay', payUrl: 'https://btcpay.example/i/1', payment: { address: BTC_ADDRESS, network: 'bitcoin', asset: 'BTC', amount: '0.000125', bolt11: BOLT11 } },
  btcChain: { connector: 'btcpay', payUrl: 'https://btcpay.example/i/1', payment: { address: BTC_ADDRESS, network: 'bitcoin', asset: 'BTC', amount: '0.000125' } },
  btcLightning: { connector: 'btcpay', payUrl: 'https://btcpay.example/i/1', payment: { network: 'lightning', asset: 'BTC', amount: '0.000125', bolt11: BOLT11 } },
  sandbox: { connector: 'sandbox', payUrl: 'http://localhost:3000/sandbox/pay/sb_1', payment: null },
} satisfies Record<string, SelectedGateway>;

function view(over: Partial<CheckoutView> = {}): CheckoutView {
  return {
    token: 'tok123',
    merchant: { name: 'Northwind Coffee', supportUrl: 'https://northwind.example/help' },
    invoice: { status: 'pending', amount: '25.00', currency: 'USD', description: 'Order 1042', expiresAt: '2026-03-01T12:15:00Z', testMode: false, paid: null },
    selection: 'buyer',
    options: [
      { id: 'cryptopay', assets: ['USDT', 'TON'], selected: false },
      { id: 'btcpay', assets: ['BTC-CHAIN', 'BTC-LN'], selected: false },
    ],
    canChoose: true,
    selected: null,
    returnUrl: 'https://shop.example/thanks?order=1042',
    failReturnUrl: 'https://shop.example/cart',
    version: 'v7',
    ...over,
  };
}

const invoice = (over: Partial<CheckoutView['invoice']>) => ({ ...view().invoice, ...over });
const render = (v: CheckoutView, opts: { lang?: 'en' | 'ru'; notice?: string; changing?: boolean } = {}) =>
  renderCheckoutPage(v, { lang: opts.lang ?? 'en', paths: PATHS, notice: opts.notice, changing: opts.changing, now: NOW });

/** The dark modules an SVG from qr.ts draws, read back from its path (one `M x y h w v1 …z` per run). */
function svgModules(svg: string): { size: number; dark: Set<string> } {
  const viewBox = /viewBox="0 0 (\d+) \1"/.exec(svg);
  const d = /<path fill="#000000" d="([^"]*)"/.exec(svg);
  if (!viewBox?.[1] || d?.[1] === undefined) throw new Error('not a qr.ts SVG');
  const dark = new Set<string>();
  for (const m of d[1].matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
    for (let i = 0; i < Number(m[3]); i++) dark.add(`${Number(m[2]) - QUIET_ZONE},${Number(m[1]) - QUIET_ZONE + i}`);
  }
  return { size: Number(viewBox[1]) - 2 * QUIET_ZONE, dark };
}

/** Whether an SVG from qr.ts shows exactly the symbol the qrcode package makes for `text`. */
function encodes(svg: string, text: string): boolean {
  const { modules } = create(text, { errorCorrectionLevel: ERROR_CORRECTION });
  const drawn = svgModules(svg);
  if (drawn.size !== modules.size) return false;
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (Boolean(modules.get(row, col)) !== drawn.dark.has(`${row},${col}`)) return false;
    }
  }
  return true;
}

const svgsOf = (page: string) => page.match(/<svg[\s\S]*?<\/svg>/g) ?? [];

describe('html template', () => {
  it('escapes every interpolated value', () => {
    const evil = `<script>alert("x")</script>'&`;
    expect(html`<p title="${evil}">${evil}</p>`.html).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;</p>',
    );
  });

  it('lets fragments made by the template through, joins lists and drops null, undefined and false', () => {
    const inner = html`<b>${'a<b'}</b>`;
    expect(html`<p>${inner}${[html`<i>1</i>`, '<2>']}${null}${undefined}${false}${3}</p>`.html).toBe('<p><b>a&lt;b</b><i>1</i>&lt;2&gt;3</p>');
  });

  it('does not trust look-alike objects', () => {
    const fake = { html: '<script>x</script>', toString: () => '<script>x</script>' };
    expect(html`${fake as unknown as string}`.html).toBe(escapeHtml('<script>x</script>'));
  });

  it('fill escapes the message and string values and keeps safe fragments', () => {
    expect(fill('<{a}> in {b}', { a: '<x>', b: html`<span>5</span>` }).html).toBe('&lt;&lt;x&gt;&gt; in <span>5</span>');
  });
});

describe('catalogues', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('have the same keys and no empty strings', () => {
    expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort());
    for (const cat of [en, ru]) for (const [key, value] of Object.entries(cat)) expect(value.trim(), key).not.toBe('');
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(en) as Array<keyof typeof en>) expect(placeholders(ru[key]), key).toEqual(placeholders(en[key]));
  });
});

describe('pickLanguage', () => {
  it.each([
    [undefined, undefined, 'en'],
    ['ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7', undefined, 'ru'],
    ['en-US,en;q=0.9,ru;q=0.8', undefined, 'en'],
    ['de-DE,de;q=0.9,ru;q=0.8,en;q=0.5', undefined, 'ru'],
    ['en;q=0.4, ru;q=0.6', undefined, 'ru'],
    ['ru;q=0, en;q=0.1', undefined, 'en'],
    ['fr, de', undefined, 'en'],
    ['*', undefined, 'en'],
    ['ru;q=abc, en;q=0.2', undefined, 'en'],
    ['', undefined, 'en'],
    ['en-US', 'ru', 'ru'],
    ['ru', 'en', 'en'],
    ['ru', 'RU', 'ru'],
    ['ru', 'de', 'ru'],
    [undefined, 'xx', 'en'],
  ])('Accept-Language %j, ?lang=%j → %s', (accept, param, expected) => {
    expect(pickLanguage(accept, param)).toBe(expected);
  });
});

describe('presentation', () => {
  it('picks the screen kind from what the upstream gave', () => {
    expect(paymentScreen(SELECTED.cryptopay).kind).toBe('telegram');
    expect(paymentScreen(SELECTED.walletpay).kind).toBe('telegram');
    expect(paymentScreen({ connector: 'xrocket' as never, payUrl: 'https://t.me/xrocket?start=inv_1', payment: null }).kind).toBe('telegram');
    // Telegram Stars invoice links (createInvoiceLink) are t.me/$<slug>.
    expect(paymentScreen({ connector: 'stars', payUrl: 'https://t.me/$AbC-12_xyz', payment: null })).toEqual({ kind: 'telegram', url: 'https://t.me/$AbC-12_xyz' });
    expect(paymentScreen(SELECTED.paystablecoin).kind).toBe('address');
    expect(paymentScreen(SELECTED.xthonpay).kind).toBe('address');
    expect(paymentScreen(SELECTED.btcBoth).kind).toBe('bitcoin');
    expect(paymentScreen(SELECTED.btcChain).kind).toBe('bitcoin');
    expect(paymentScreen(SELECTED.btcLightning).kind).toBe('lightning');
    expect(paymentScreen({ connector: 'lnbits' as never, payUrl: null, payment: { bolt11: BOLT11 } }).kind).toBe('lightning');
    // Core Lightning: what the connector stores (no pay URL, the BOLT11 on the lightning network).
    const cln = { connector: 'cln' as const, payUrl: null, payment: { network: 'lightning', asset: 'BTC', amount: '0.0001', bolt11: BOLT11 } };
    expect(paymentScreen(cln)).toEqual({ kind: 'lightning', bolt11: BOLT11, amount: '0.0001' });
    expect(paymentUri(cln)).toBe(`lightning:${BOLT11}`);
    expect(paymentScreen(SELECTED.sandbox).kind).toBe('test');
    expect(paymentScreen({ connector: 'newpay' as never, payUrl: 'https://pay.example/x', payment: null })).toEqual({ kind: 'hosted', url: 'https://pay.example/x' });
    expect(paymentScreen({ connector: 'btcpay', payUrl: 'https://btcpay.example/i/1', payment: null }).kind).toBe('hosted');
  });

  it('never turns an unsafe or missing link, or an address without its amount, into something to pay', () => {
    expect(paymentScreen({ connector: 'newpay' as never, payUrl: 'javascript:alert(1)', payment: null }).kind).toBe('unavailable');
    expect(paymentScreen({ connector: 'cryptopay', payUrl: 'javascript:alert(1)', payment: null }).kind).toBe('unavailable');
    expect(paymentScreen({ connector: 'cryptopay', payUrl: null, payment: null }).kind).toBe('unavailable');
    expect(paymentScreen({ connector: 'paystablecoin', payUrl: null, payment: { address: TRON_ADDRESS, asset: 'USDT' } }).kind).toBe('unavailable');
  });

  it('builds the exact QR / wallet URI', () => {
    expect(paymentUri(SELECTED.cryptopay)).toBe('https://t.me/CryptoBot?start=IVabc');
    expect(paymentUri(SELECTED.paystablecoin)).toBe(TRON_ADDRESS);
    expect(paymentUri(SELECTED.btcBoth)).toBe(`bitcoin:${BTC_ADDRESS}?amount=0.000125&lightning=${BOLT11}`);
    expect(paymentUri(SELECTED.btcChain)).toBe(`bitcoin:${BTC_ADDRESS}?amount=0.000125`);
    expect(paymentUri({ connector: 'btcpay', payUrl: null, payment: { address: BTC_ADDRESS, network: 'bitcoin' } })).toBe(`bitcoin:${BTC_ADDRESS}`);
    expect(paymentUri(SELECTED.btcLightning)).toBe(`lightning:${BOLT11}`);
    expect(paymentUri(SELECTED.sandbox)).toBeNull();
    expect(paymentUri({ connector: 'newpay' as never, payUrl: 'https://pay.example/x', payment: null })).toBeNull();
  });

  it('names upstreams the way buyers know them, for any id', () => {
    expect(connectorName('cryptopay', en)).toBe('Crypto Bot');
    expect(connectorName('walletpay', en)).toBe('Wallet');
    expect(connectorName('xrocket', en)).toBe('xRocket');
    expect(connectorName('stars', en)).toBe('Telegram Stars');
    expect(connectorName('btcpay', en)).toBe('Bitcoin / Lightning');
    expect(connectorName('btcpay', en, ['BTC-LN'])).toBe('Lightning');
    expect(connectorName('cln', en)).toBe('Lightning');
    expect(connectorName('lnbits', en)).toBe('Lightning');
    expect(connectorName('sandbox', en)).toBe('Test payment');
    expect(connectorName('sandbox', ru)).toBe('Тестовая оплата');
    expect(connectorName('paystablecoin', en, ['USDT', 'USDC'])).toBe('USDT / USDC');
    expect(connectorName('someupstream', en)).toBe('Someupstream');
    expect(optionCard({ id: 'cryptopay', assets: ['USDT', 'TON', 'BTC', 'ETH', 'LTC', 'BNB', 'TRX', 'SOL'], selected: false }, en)).toMatchObject({
      name: 'Crypto Bot',
      assets: ['USDT', 'TON', 'BTC', 'ETH', 'LTC', 'BNB'],
      moreAssets: 2,
    });
  });

  it('names networks and the selected upstream by what is paid where', () => {
    expect(networkLabel('TRON (TRC20)')).toBe('TRON (TRC-20)');
    expect(networkLabel('trc20')).toBe('TRON (TRC-20)');
    expect(networkLabel('BSC (BEP-20)')).toBe('BSC (BEP-20)');
    expect(networkLabel('Some Chain')).toBe('Some Chain');
    expect(selectedName(SELECTED.paystablecoin, en)).toBe('USDT (TRON)');
    expect(selectedName(SELECTED.xthonpay, en)).toBe('USDT (BSC)');
    expect(selectedName(SELECTED.btcBoth, en)).toBe('Bitcoin / Lightning');
    expect(selectedName(SELECTED.cryptopay, en)).toBe('Crypto Bot');
  });
});

describe('format', () => {
  it('groups the header amount per language and keeps the digits', () => {
    expect(formatAmount('1234567.50', 'en')).toBe('1,234,567.50');
    expect(formatAmount('1234567.50', 'ru')).toBe('1\u00a0234\u00a0567,50');
    expect(formatAmount('0.000125', 'en')).toBe('0.000125');
    expect(formatAmount('weird', 'en')).toBe('weird');
  });

  it('formats the countdown', () => {
    expect(formatCountdown(14 * 60_000 + 32_000)).toBe('14:32');
    expect(formatCountdown(3 * 3600_000 + 5 * 60_000 + 9_000)).toBe('3:05:09');
    expect(formatCountdown(-5)).toBe('0:00');
  });
});

describe('qrSvg', () => {
  const text = `bitcoin:${BTC_ADDRESS}?amount=0.000125&lightning=${BOLT11}`;
  const svg = qrSvg(text, 'QR "code" <of> it').html;

  it('draws exactly the symbol qrcode makes for the text, with a quiet zone', () => {
    expect(encodes(svg, text)).toBe(true);
    expect(encodes(svg, `${text}x`)).toBe(false);
    const { modules } = create(text, { errorCorrectionLevel: ERROR_CORRECTION });
    expect(svg).toContain(`viewBox="0 0 ${modules.size + 2 * QUIET_ZONE} ${modules.size + 2 * QUIET_ZONE}"`);
  });

  it('is CSP-safe and accessible', () => {
    expect(svg).not.toMatch(/style=/i);
    expect(svg).not.toMatch(/<script/i);
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-label="QR &quot;code&quot; &lt;of&gt; it"');
  });
});

describe('renderCheckoutPage', () => {
  const ALL_PAGES: Array<[string, CheckoutView]> = [
    ['choose', view()],
    ['telegram', view({ selected: SELECTED.cryptopay })],
    ['address', view({ selected: SELECTED.paystablecoin })],
    ['bitcoin', view({ selected: SELECTED.btcBoth })],
    ['lightning', view({ selected: SELECTED.btcLightning })],
    ['test', view({ invoice: invoice({ testMode: true }), selected: SELECTED.sandbox })],
    ['processing', view({ invoice: invoice({ status: 'processing' }), canChoose: false, selected: SELECTED.btcChain })],
    ['paid', view({ invoice: invoice({ status: 'paid', paid: { amount: '25.00', currency: 'USD', exception: null } }), canChoose: false, options: [] })],
    ['expired', view({ invoice: invoice({ status: 'expired' }), canChoose: false, options: [] })],
  ];

  it('has the head the brief asks for and nothing inline or third-party', () => {
    for (const [name, v] of ALL_PAGES) {
      for (const lang of ['en', 'ru'] as const) {
        const page = render(v, { lang });
        expect(page, name).toMatch(/^<!doctype html>\n<html lang="(en|ru)">/);
        expect(page, name).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
        expect(page, name).toContain('<meta name="referrer" content="no-referrer">');
        expect(page, name).toContain('<meta name="robots" content="noindex">');
        expect(page, name).toContain(`<link rel="stylesheet" href="${PATHS.css}">`);
        expect(page, name).toContain(`<script src="${PATHS.js}" defer></script>`);
        expect(page.match(/<script\b[^>]*>/g), name).toEqual([`<script src="${PATHS.js}" defer>`]);
        expect(page, name).not.toMatch(/\sstyle=/i);
        expect(page, name).not.toMatch(/<style/i);
        expect(page, name).not.toMatch(/\son[a-z]+=/i);
        // Only our own assets load: no src or stylesheet from elsewhere.
        for (const m of page.matchAll(/\s(?:src|srcset)="([^"]*)"/g)) expect(m[1], name).toBe(PATHS.js);
        expect(page, name).toContain('aria-live="polite"');
      }
    }
  });

  it('escapes what the tenant and the upstream supplied', () => {
    const page = render(
      view({
        merchant: { name: `<script>alert("m")</script>'Shop'`, supportUrl: 'javascript:alert(1)' },
        invoice: invoice({ description: `"><img src=x onerror=alert(1)>` }),
        selected: { connector: 'paystablecoin', payUrl: null, payment: { address: '"><script>a()</script>', amount: '1<b>', network: '<i>net</i>', asset: 'USDT' } },
      }),
    );
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<i>net</i>');
    expect(page).toContain('&lt;script&gt;alert(&quot;m&quot;)&lt;/script&gt;&#39;Shop&#39;');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('javascript:');
  });

  it('drops links that are not http(s)', () => {
    const page = render(
      view({ invoice: invoice({ status: 'paid' }), returnUrl: 'javascript:alert(1)', failReturnUrl: 'data:text/html,x', merchant: { name: 'M', supportUrl: 'vbscript:x' } }),
    );
    expect(page).not.toMatch(/javascript:|data:text|vbscript:/);
    expect(page).not.toContain('data-return-url');
  });

  it('shows the header: merchant, description, amount, countdown and support link', () => {
    const page = render(view());
    expect(page).toContain('<h1 class="merchant">Northwind Coffee</h1>');
    expect(page).toContain('Order 1042');
    expect(page).toContain('<span class="amount-value">25.00</span> <span class="amount-currency">USD</span>');
    expect(page).toContain('<time datetime="2026-03-01T12:15:00.000Z" data-countdown>15:00</time>');
    expect(page).toContain('at 12:15 UTC');
    expect(page).toContain('href="https://northwind.example/help"');
    expect(page).not.toContain('class="ribbon"');
  });

  it('shows the date instead of a countdown for a long payment window', () => {
    const page = render(view({ invoice: invoice({ expiresAt: '2026-03-05T09:30:00Z' }) }));
    expect(page).toContain('Pay by <time datetime="2026-03-05T09:30:00.000Z">2026-03-05 09:30</time> UTC');
    expect(page).not.toContain('data-countdown');
  });

  it('gives the script what it needs in body data attributes', () => {
    const page = render(view());
    expect(page).toContain(`data-state-url="${PATHS.state}"`);
    expect(page).toContain('data-version="v7"');
    expect(page).toContain('data-status="pending"');
    expect(page).toContain('data-terminal="false"');
    expect(page).toContain('data-expires-at="2026-03-01T12:15:00Z"');
    expect(page).toContain('data-server-now="2026-03-01T12:00:00.000Z"');
    expect(page).toContain('data-t-copied="Copied"');
    expect(page).toContain('<noscript><meta http-equiv="refresh" content="15"></noscript>');
  });

  it('lists one form per option when nothing is selected', () => {
    const page = render(view());
    expect(page).toContain('<h2>Choose how to pay</h2>');
    const forms = page.match(/<form method="post" action="\/checkout\/tok123\/choice\?lang=en">/g) ?? [];
    expect(forms).toHaveLength(2);
    expect(page).toContain('<input type="hidden" name="option" value="cryptopay">');
    expect(page).toContain('<input type="hidden" name="option" value="btcpay">');
    expect(page).toContain('Crypto Bot');
    expect(page).toContain('Bitcoin / Lightning');
    expect(page).toContain('<span class="chip">USDT</span>');
  });

  it('shows the cards with the current one highlighted when the buyer is changing', () => {
    const options = view().options.map((o) => ({ ...o, selected: o.id === 'cryptopay' }));
    const page = render(view({ selected: SELECTED.cryptopay, options }), { changing: true });
    expect(page).toContain('<h2>Choose how to pay</h2>');
    expect(page).toMatch(/class="option option-selected" aria-current="true"><span class="option-text"><span class="option-name">Crypto Bot/);
    expect(page).toContain('href="/checkout/tok123?lang=en">Keep the current method: Crypto Bot</a>');
    expect(page).toContain('href="/checkout/tok123?change=1&amp;lang=ru"');
  });

  it('ignores changing once the buyer can no longer choose', () => {
    const page = render(view({ selected: SELECTED.cryptopay, canChoose: false }), { changing: true });
    expect(page).not.toContain('Choose how to pay');
    expect(page).not.toContain('Choose another way to pay');
    expect(page).toContain('Pay with Crypto Bot');
  });

  it('telegram: a deep link button and the QR of the link', () => {
    const page = render(view({ selected: SELECTED.cryptopay }));
    expect(page).toContain('<a class="button button-primary" href="https://t.me/CryptoBot?start=IVabc">Pay in Telegram</a>');
    const svgs = svgsOf(page);
    expect(svgs).toHaveLength(1);
    expect(encodes(svgs[0] ?? '', 'https://t.me/CryptoBot?start=IVabc')).toBe(true);
    expect(page).toContain('href="/checkout/tok123?change=1&amp;lang=en">Choose another way to pay</a>');
  });

  it('address: exact amount, address, copy buttons, the network warning and the QR of the bare address', () => {
    const page = render(view({ selected: SELECTED.paystablecoin }));
    expect(page).toContain('<h2>Pay with USDT (TRON)</h2>');
    expect(page).toContain('Send only USDT on <span class="nowrap">TRON (TRC-20)</span>.');
    expect(page).toContain('Anything else sent to this address is lost.');
    expect(page).toContain('<code class="mono">25.417301</code>');
    expect(page).toContain(`<code class="mono">${TRON_ADDRESS}</code>`);
    expect(page).toContain('data-copy="25.417301" aria-label="Copy amount" hidden>Copy</button>');
    expect(page).toContain(`data-copy="${TRON_ADDRESS}" aria-label="Copy address" hidden>Copy</button>`);
    const svgs = svgsOf(page);
    expect(svgs).toHaveLength(1);
    expect(encodes(svgs[0] ?? '', TRON_ADDRESS)).toBe(true);
  });

  it('address (XthonPay): USDT on BSC', () => {
    const page = render(view({ selected: SELECTED.xthonpay }));
    expect(page).toContain('Send only USDT on <span class="nowrap">BSC (BEP-20)</span>.');
    expect(page).toContain('<code class="mono">25.00</code>');
  });

  it('bitcoin with Lightning: one BIP21 QR carrying lightning=', () => {
    const page = render(view({ selected: SELECTED.btcBoth }));
    const uri = `bitcoin:${BTC_ADDRESS}?amount=0.000125&lightning=${BOLT11}`;
    const svgs = svgsOf(page);
    expect(svgs).toHaveLength(1);
    expect(encodes(svgs[0] ?? '', uri)).toBe(true);
    expect(page).toContain(`href="${escapeHtml(uri)}">Open in wallet</a>`);
    expect(page).toContain(`data-copy="${BTC_ADDRESS}"`);
    expect(page).toContain(`data-copy="${BOLT11}"`);
  });

  it('bitcoin on-chain only: a BIP21 QR without lightning=', () => {
    const page = render(view({ selected: SELECTED.btcChain }));
    const svgs = svgsOf(page);
    expect(svgs).toHaveLength(1);
    expect(encodes(svgs[0] ?? '', `bitcoin:${BTC_ADDRESS}?amount=0.000125`)).toBe(true);
    expect(page).not.toContain('lightning=');
  });

  it('lightning only: the lightning: URI', () => {
    const page = render(view({ selected: SELECTED.btcLightning }));
    const svgs = svgsOf(page);
    expect(svgs).toHaveLength(1);
    expect(encodes(svgs[0] ?? '', `lightning:${BOLT11}`)).toBe(true);
    expect(page).toContain(`href="lightning:${BOLT11}">Open in wallet</a>`);
  });

  it('hosted: a Pay button to the upstream page', () => {
    const page = render(view({ selected: { connector: 'newpay' as never, payUrl: 'https://pay.example/x?a=1&b=2', payment: null } }));
    expect(page).toContain('<a class="button button-primary" href="https://pay.example/x?a=1&amp;b=2">Pay</a>');
    expect(svgsOf(page)).toHaveLength(0);
  });

  it('test mode: simulate buttons for the sandbox of a test invoice only', () => {
    const test = render(view({ invoice: invoice({ testMode: true }), selected: SELECTED.sandbox }));
    expect(test).toContain('Test mode — no money moves');
    for (const status of ['paid', 'expired', 'failed']) {
      expect(test).toContain(`<form method="post" action="/checkout/tok123/simulate?lang=en"><input type="hidden" name="status" value="${status}">`);
    }
    expect(test).toContain('Simulate: paid');
    expect(test).not.toContain('localhost:3000/sandbox');

    const notTest = render(view({ selected: SELECTED.sandbox }));
    expect(notTest).not.toContain('/simulate');
    const otherUpstream = render(view({ invoice: invoice({ testMode: true }), selected: SELECTED.cryptopay }));
    expect(otherUpstream).not.toContain('/simulate');
    expect(otherUpstream).toContain('Test mode — no money moves');
  });

  it('shows a translated notice for known codes only', () => {
    expect(render(view(), { notice: 'gateway_unavailable' })).toContain('<div class="notice" role="alert"><p>That payment method is unavailable right now.');
    expect(render(view(), { notice: 'rate_limited', lang: 'ru' })).toContain('Слишком много попыток');
    expect(render(view(), { notice: '<b>x</b>' })).not.toContain('class="notice"');
  });

  it('says when no payment method is available', () => {
    const page = render(view({ options: [], canChoose: false }));
    expect(page).toContain('No payment method is available right now.');
  });

  it('processing: payment received, waiting', () => {
    const page = render(view({ invoice: invoice({ status: 'processing' }), canChoose: false, selected: SELECTED.btcChain }));
    expect(page).toContain('Payment received');
    expect(page).toContain('<noscript>');
    expect(page).not.toContain('data-countdown');
  });

  it('paid: receipt, return link, redirect data for the script, no refresh', () => {
    const page = render(view({ invoice: invoice({ status: 'paid', paid: { amount: '25.00', currency: 'USD', exception: null } }), canChoose: false, options: [] }));
    expect(page).toContain('Payment complete');
    expect(page).toContain('<dd>25.00 USD</dd>');
    expect(page).toContain('href="https://shop.example/thanks?order=1042">Return to Northwind Coffee</a>');
    expect(page).toContain('data-return-url="https://shop.example/thanks?order=1042" data-return-delay="5"');
    expect(page).toContain('data-redirect-note hidden>Returning to Northwind Coffee in <span data-redirect-seconds>5</span> s</p>');
    expect(page).toContain('data-terminal="true"');
    expect(page).not.toContain('<noscript>');
  });

  it('shows under-, over- and late payments honestly', () => {
    const under = render(view({ invoice: invoice({ status: 'expired', paid: { amount: '20.00', currency: 'USD', exception: 'underpaid' } }) }));
    expect(under).toContain('We received 20.00 USD, less than the 25.00 USD requested.');
    const over = render(view({ invoice: invoice({ status: 'paid', paid: { amount: '30.00', currency: 'USD', exception: 'overpaid' } }) }));
    expect(over).toContain('We received 30.00 USD, more than the 25.00 USD requested.');
    const late = render(view({ invoice: invoice({ status: 'expired', paid: { amount: '25.00', currency: 'USD', exception: 'late' } }) }));
    expect(late).toContain('Your payment of 25.00 USD arrived after this payment had closed.');
  });

  it.each([
    ['expired', 'This payment has expired'],
    ['cancelled', 'This payment was cancelled'],
    ['failed', 'The payment did not go through'],
  ] as const)('%s: says so and links back to the shop', (status, heading) => {
    const page = render(view({ invoice: invoice({ status }), canChoose: false, options: [] }));
    expect(page).toContain(`<h2>${heading}</h2>`);
    expect(page).toContain('href="https://shop.example/cart">Back to the shop</a>');
    expect(page).not.toContain('<noscript>');
    expect(page).not.toContain('data-return-url');
  });

  it('renders Russian', () => {
    const page = render(view({ selected: SELECTED.paystablecoin }), { lang: 'ru' });
    expect(page).toContain('<html lang="ru">');
    expect(page).toContain('Отправляйте только USDT в сети <span class="nowrap">TRON (TRC-20)</span>.');
    expect(page).toContain('Сумма к переводу');
    expect(page).toContain('Выбрать другой способ оплаты');
    expect(page).toContain('<span class="amount-value">25,00</span>');
    expect(page).toContain('href="/checkout/tok123?lang=en" lang="en" hreflang="en">English</a>');
    expect(render(view(), { lang: 'ru' })).toContain('Выберите способ оплаты');
  });
});

describe('renderNotFoundPage', () => {
  it('says the page is not found, in the buyer language, with our stylesheet and no script', () => {
    const page = renderNotFoundPage('en', PATHS);
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<h1>Payment page not found</h1>');
    expect(page).toContain(`<link rel="stylesheet" href="${PATHS.css}">`);
    expect(page).toContain('<meta name="robots" content="noindex">');
    expect(page).not.toMatch(/<script|style=|<noscript/);
    expect(renderNotFoundPage('ru', PATHS)).toContain('Страница оплаты не найдена');
  });
});
