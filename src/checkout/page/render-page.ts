import type { CheckoutView } from '../checkout-view.js';
import { isSettled } from '../../domain/invoice-status.js';
import { COUNTDOWN_MAX_MS, formatAmount, formatCountdown, formatUtcDateTime, formatUtcTime } from './format.js';
import { fill, html, type SafeHtml } from './html.js';
import { catalogue, interpolate, type Lang, type Messages } from './i18n/index.js';
import { documentShell } from './layout.js';
import { renderScreen, simulateForms, type ScreenContext } from './payment-screens.js';
import { optionCard, paymentScreen, selectedName } from './presentation.js';
import { safeLink } from './safe-url.js';

/** The page's own URLs, absolute paths given by the routes. */
export interface CheckoutPaths {
  css: string;
  js: string;
  /** The page itself, e.g. /checkout/TOKEN. */
  page: string;
  /** The JSON the script polls. */
  state: string;
  /** POST target of the option cards (field `option`). */
  choice: string;
  /** POST target of the sandbox's buttons (field `status`). */
  simulate: string;
}

/** Codes a failed form post redirects back with; anything else is ignored. */
export const CHECKOUT_NOTICES = ['rate_limited', 'choice_closed', 'gateway_unavailable', 'simulate_failed'] as const;
export type CheckoutNotice = (typeof CHECKOUT_NOTICES)[number];

export function isCheckoutNotice(value: unknown): value is CheckoutNotice {
  return typeof value === 'string' && (CHECKOUT_NOTICES as readonly string[]).includes(value);
}

export interface RenderOptions {
  lang: Lang;
  paths: CheckoutPaths;
  /** The `notice` query parameter, when a form post failed. */
  notice?: string | null;
  /** The buyer asked to choose another way (`?change=1`): show the cards although one is selected. */
  changing?: boolean;
  /** The server's clock, for the countdown's first text. */
  now?: Date;
}

/** How long the paid page shows "Returning to …" before the script follows the return URL. */
export const RETURN_DELAY_SECONDS = 5;
/** How often the script polls the state URL. */
export const POLL_INTERVAL_MS = 2000;

interface PageContext {
  view: CheckoutView;
  t: Messages;
  lang: Lang;
  paths: CheckoutPaths;
  changing: boolean;
  now: Date;
  /** `?lang=xx`: every link and form keeps the buyer's language. */
  langQuery: string;
}

const money = (amount: string, currency: string, lang: Lang) => `${formatAmount(amount, lang)} ${currency}`;

export function renderCheckoutPage(view: CheckoutView, opts: RenderOptions): string {
  const t = catalogue(opts.lang);
  const ctx: PageContext = {
    view,
    t,
    lang: opts.lang,
    paths: opts.paths,
    changing: opts.changing === true,
    now: opts.now ?? new Date(),
    langQuery: `?lang=${opts.lang}`,
  };
  const terminal = isSettled(view.invoice.status);
  const content = html`${view.invoice.testMode ? html`<p class="ribbon" role="note">${t.testRibbon}</p>` : ''}
<main class="checkout">
<div class="card">
${header(ctx)}
${notice(ctx, opts.notice)}
<section class="stage" id="status" aria-live="polite" aria-label="${t.statusRegion}">
${stage(ctx)}
</section>
</div>
${footer(ctx)}
<p class="visually-hidden" role="status" data-copy-status></p>
</main>`;
  return documentShell({
    lang: opts.lang,
    title: interpolate(t.pageTitle, { merchant: view.merchant.name }),
    css: opts.paths.css,
    js: opts.paths.js,
    refreshWithoutScript: !terminal,
    bodyAttrs: bodyAttributes(ctx, terminal),
    content,
  });
}

/** What public/checkout/checkout.js reads: where to poll, what the page shows now, and its few strings. */
function bodyAttributes(ctx: PageContext, terminal: boolean): SafeHtml {
  const { view, t } = ctx;
  const returnUrl = view.invoice.status === 'paid' ? safeLink(view.returnUrl) : null;
  return html` class="checkout-page" data-state-url="${ctx.paths.state}" data-version="${view.version}" data-status="${view.invoice.status}" data-terminal="${terminal ? 'true' : 'false'}" data-expires-at="${view.invoice.expiresAt}" data-server-now="${ctx.now.toISOString()}" data-poll-ms="${POLL_INTERVAL_MS}"${
    returnUrl ? html` data-return-url="${returnUrl}" data-return-delay="${RETURN_DELAY_SECONDS}"` : ''
  } data-t-copied="${t.copied}" data-t-copy-failed="${t.copyFailed}" data-t-expired="${t.expired}"`;
}

function header(ctx: PageContext): SafeHtml {
  const { view, t, lang } = ctx;
  const support = safeLink(view.merchant.supportUrl, { telegram: true });
  return html`<header class="summary">
<div class="summary-top"><p class="summary-to">${t.paymentTo}</p>${support ? html`<a class="support" href="${support}" rel="noopener">${t.supportLink}</a>` : ''}</div>
<h1 class="merchant">${view.merchant.name}</h1>
${view.invoice.description ? html`<p class="description">${view.invoice.description}</p>` : ''}
<p class="amount"><span class="visually-hidden">${t.amountLabel}: </span><span class="amount-value">${formatAmount(view.invoice.amount, lang)}</span> <span class="amount-currency">${view.invoice.currency}</span></p>
${view.invoice.status === 'pending' ? expiry(ctx) : ''}
</header>`;
}

/** "Expires in 14:32 · at 14:05 UTC" (the script ticks the countdown), or the date for long windows. */
function expiry(ctx: PageContext): SafeHtml {
  const { t } = ctx;
  const expiresAt = new Date(ctx.view.invoice.expiresAt);
  if (Number.isNaN(expiresAt.getTime())) return html``;
  const datetime = expiresAt.toISOString();
  const remaining = expiresAt.getTime() - ctx.now.getTime();
  if (remaining <= 0) return html`<p class="expiry expiry-over" data-expiry><time datetime="${datetime}">${t.expired}</time></p>`;
  if (remaining >= COUNTDOWN_MAX_MS) {
    return html`<p class="expiry" data-expiry>${fill(t.expiresOn, { datetime: html`<time datetime="${datetime}">${formatUtcDateTime(expiresAt)}</time>` })}</p>`;
  }
  const countdown = html`<time datetime="${datetime}" data-countdown>${formatCountdown(remaining)}</time>`;
  return html`<p class="expiry" data-expiry>${fill(t.expiresIn, { countdown })} <span class="expiry-at">· ${fill(t.expiresAt, { time: formatUtcTime(expiresAt) })}</span></p>`;
}

function notice(ctx: PageContext, code: string | null | undefined): SafeHtml {
  if (!isCheckoutNotice(code)) return html``;
  return html`<div class="notice" role="alert"><p>${ctx.t[`notice_${code}`]}</p></div>`;
}

function stage(ctx: PageContext): SafeHtml {
  switch (ctx.view.invoice.status) {
    case 'pending':
      return pendingStage(ctx);
    case 'processing':
      return processingStage(ctx);
    case 'paid':
      return paidStage(ctx);
    case 'expired':
    case 'cancelled':
    case 'failed':
    case 'refunded':
      return closedStage(ctx);
  }
}

function pendingStage(ctx: PageContext): SafeHtml {
  const { view, t } = ctx;
  const choosing = view.canChoose && view.options.length > 0 && (view.selected === null || ctx.changing);
  if (choosing) return chooseStage(ctx);
  if (view.selected) return payStage(ctx, view.selected);
  return html`<div class="state state-empty"><h2>${t.noOptions}</h2><p>${fill(t.noOptionsHint, { merchant: view.merchant.name })}</p></div>`;
}

function chooseStage(ctx: PageContext): SafeHtml {
  const { view, t, paths, langQuery } = ctx;
  const action = `${paths.choice}${langQuery}`;
  const cards = view.options.map((option) => {
    const card = optionCard(option, t);
    const chips = card.assets.length
      ? html`<span class="chips">${card.assets.map((a) => html`<span class="chip">${a}</span>`)}${
          card.moreAssets ? html`<span class="chip chip-more">${fill(t.moreAssets, { count: String(card.moreAssets) })}</span>` : ''
        }</span>`
      : '';
    return html`<li><form method="post" action="${action}"><input type="hidden" name="option" value="${option.id}"><button type="submit" class="option${option.selected ? ' option-selected' : ''}"${
      option.selected ? html` aria-current="true"` : ''
    }><span class="option-text"><span class="option-name">${card.name}</span><span class="option-detail">${card.detail}</span>${chips}</span>${
      option.selected ? html`<span class="option-badge">${t.optionCurrent}</span>` : html`<span class="option-arrow" aria-hidden="true"></span>`
    }</button></form></li>`;
  });
  const keep = ctx.changing && view.selected ? html`<p class="secondary-action"><a href="${paths.page}${langQuery}">${fill(t.keepMethod, { name: selectedName(view.selected, t) })}</a></p>` : '';
  return html`<h2>${t.chooseHeading}</h2>
<ul class="options">${cards}</ul>
${keep}`;
}

function screenContext(ctx: PageContext, name: string): ScreenContext {
  return { t: ctx.t, name, simulateAction: `${ctx.paths.simulate}${ctx.langQuery}`, testMode: ctx.view.invoice.testMode };
}

function payStage(ctx: PageContext, selected: NonNullable<CheckoutView['selected']>): SafeHtml {
  const { view, t } = ctx;
  const name = selectedName(selected, t);
  const change = view.canChoose && view.options.length > 1 ? html`<p class="secondary-action"><a href="${`${ctx.paths.page}?change=1&lang=${ctx.lang}`}">${t.changeMethod}</a></p>` : '';
  return html`<h2>${fill(t.payHeading, { name })}</h2>
${renderScreen(paymentScreen(selected), screenContext(ctx, name))}
${change}`;
}

/** The sandbox's buttons stay while a test invoice can still move (a processing one can still be paid or fail). */
function isSandboxTest(view: CheckoutView): boolean {
  return view.invoice.testMode && view.selected?.connector === 'sandbox';
}

/** What arrived, when it differs from what was asked (or came late): said plainly, with who to contact. */
function paymentException(ctx: PageContext): SafeHtml {
  const { view, t, lang } = ctx;
  const paid = view.invoice.paid;
  if (!paid?.exception) return html``;
  const vars = { paid: money(paid.amount, paid.currency, lang), due: money(view.invoice.amount, view.invoice.currency, lang) };
  const [note, hint] = { underpaid: [t.underpaidNote, t.underpaidHint], overpaid: [t.overpaidNote, t.overpaidHint], late: [t.lateNote, t.lateHint] }[paid.exception];
  const support = safeLink(view.merchant.supportUrl, { telegram: true });
  return html`<div class="warning" role="note"><p><strong>${fill(note ?? '', vars)}</strong> ${fill(hint ?? '', { merchant: view.merchant.name })}</p>${
    support ? html`<p><a href="${support}" rel="noopener">${t.supportLink}</a></p>` : ''
  }</div>`;
}

function processingStage(ctx: PageContext): SafeHtml {
  const { view, t } = ctx;
  return html`<div class="state state-processing">
<span class="state-icon state-icon-wait" aria-hidden="true"></span>
<h2>${t.processingHeading}</h2>
<p>${t.processingBody}</p>
${paymentException(ctx)}
${isSandboxTest(view) ? simulateForms(screenContext(ctx, t.nameTest), ['paid', 'failed']) : ''}
</div>`;
}

function paidStage(ctx: PageContext): SafeHtml {
  const { view, t, lang } = ctx;
  const merchant = view.merchant.name;
  const paid = view.invoice.paid;
  const amount = paid ? money(paid.amount, paid.currency, lang) : money(view.invoice.amount, view.invoice.currency, lang);
  const returnUrl = safeLink(view.returnUrl);
  const back = returnUrl
    ? html`<p class="redirect-note" data-redirect-note hidden>${fill(t.returningIn, { merchant, seconds: html`<span data-redirect-seconds>${RETURN_DELAY_SECONDS}</span>` })}</p>
<a class="button button-primary" href="${returnUrl}">${fill(t.returnTo, { merchant })}</a>`
    : '';
  return html`<div class="state state-paid">
<span class="state-icon state-icon-ok" aria-hidden="true"></span>
<h2>${t.paidHeading}</h2>
<p>${fill(t.paidBody, { merchant })}</p>
<dl class="receipt"><div class="receipt-row"><dt>${t.amountPaid}</dt><dd>${amount}</dd></div></dl>
${paymentException(ctx)}
${back}
</div>`;
}

function closedStage(ctx: PageContext): SafeHtml {
  const { view, t } = ctx;
  const merchant = view.merchant.name;
  const [heading, body] = {
    expired: [t.expiredHeading, t.expiredBody],
    cancelled: [t.cancelledHeading, t.cancelledBody],
    failed: [t.failedHeading, t.failedBody],
    refunded: [t.refundedHeading, t.refundedBody],
  }[view.invoice.status as 'expired' | 'cancelled' | 'failed' | 'refunded'];
  const back = safeLink(view.failReturnUrl);
  return html`<div class="state state-closed">
<span class="state-icon state-icon-closed" aria-hidden="true"></span>
<h2>${heading}</h2>
<p>${fill(body ?? '', { merchant })}</p>
${paymentException(ctx)}
${back ? html`<a class="button button-secondary" href="${back}">${t.backToShop}</a>` : ''}
</div>`;
}

function footer(ctx: PageContext): SafeHtml {
  const other: Lang = ctx.lang === 'en' ? 'ru' : 'en';
  const query = ctx.changing ? `?change=1&lang=${other}` : `?lang=${other}`;
  return html`<footer class="footer"><a href="${ctx.paths.page}${query}" lang="${other}" hreflang="${other}">${catalogue(other).languageName}</a></footer>`;
}

/** The page for an unknown or withdrawn checkout token: says so, links nowhere, needs no script. */
export function renderNotFoundPage(lang: Lang, paths: Pick<CheckoutPaths, 'css'>): string {
  const t = catalogue(lang);
  return documentShell({
    lang,
    title: t.notFoundTitle,
    css: paths.css,
    bodyAttrs: html` class="checkout-page"`,
    content: html`<main class="checkout">
<div class="card">
<div class="state state-closed">
<span class="state-icon state-icon-closed" aria-hidden="true"></span>
<h1>${t.notFoundTitle}</h1>
<p>${t.notFoundBody}</p>
</div>
</div>
</main>`,
  });
}
