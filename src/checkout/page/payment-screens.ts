import { fill, html, type SafeHtml } from './html.js';
import { interpolate, type Messages } from './i18n/index.js';
import { networkLabel, screenUri, type PaymentScreen } from './presentation.js';
import { qrSvg } from './qr.js';

/**
 * The body of the payment screen, one renderer per kind. Everything the buyer needs to pay is in
 * the HTML; the script only adds copy buttons (rendered `hidden`, shown when it runs).
 */

export interface ScreenContext {
  t: Messages;
  /** The heading name of the upstream ("Crypto Bot", "USDT (TRON)"). */
  name: string;
  /** `{paths.simulate}?lang=…`, for the sandbox's buttons. */
  simulateAction: string;
  testMode: boolean;
}

/** A labelled value (dt/dd) with an optional copy button for the exact text. */
export function field(label: string, value: string, opts: { suffix?: string; copyLabel?: string; t: Messages; className?: string; plain?: boolean }): SafeHtml {
  return html`<div class="field${opts.className ? ` ${opts.className}` : ''}">
<dt>${label}</dt>
<dd><span class="field-value">${opts.plain ? html`<span class="field-text">${value}</span>` : html`<code class="mono">${value}</code>`}${opts.suffix ? html` <span class="field-suffix">${opts.suffix}</span>` : ''}</span>${
    opts.copyLabel ? html`<button type="button" class="copy" data-copy="${value}" aria-label="${opts.copyLabel}" hidden>${opts.t.copy}</button>` : ''
  }</dd>
</div>`;
}

function qrFigure(text: string, label: string, caption?: string): SafeHtml {
  return html`<figure class="qr">${qrSvg(text, label)}${caption ? html`<figcaption>${caption}</figcaption>` : ''}</figure>`;
}

/** Three forms that ask the sandbox to report an outcome; nothing else on the page moves money in test mode. */
export function simulateForms(ctx: ScreenContext, outcomes: ReadonlyArray<'paid' | 'expired' | 'failed'> = ['paid', 'expired', 'failed']): SafeHtml {
  const { t } = ctx;
  const label = { paid: t.simulatePaid, expired: t.simulateExpired, failed: t.simulateFailed };
  return html`<div class="test-panel">
<p class="test-panel-title">${t.testHeading}</p>
<p>${t.testIntro}</p>
<div class="simulate">${outcomes.map(
    (status) => html`<form method="post" action="${ctx.simulateAction}"><input type="hidden" name="status" value="${status}"><button type="submit" class="button ${status === 'paid' ? 'button-primary' : 'button-secondary'}">${label[status]}</button></form>`,
  )}</div>
</div>`;
}

export function renderScreen(screen: PaymentScreen, ctx: ScreenContext): SafeHtml {
  const { t } = ctx;
  const uri = screenUri(screen) ?? '';
  switch (screen.kind) {
    case 'telegram':
      return html`<p class="intro">${t.telegramIntro}</p>
<a class="button button-primary" href="${screen.url}">${t.telegramButton}</a>
${qrFigure(screen.url, t.telegramQrLabel, t.telegramQrCaption)}`;

    case 'address': {
      const network = screen.network ? networkLabel(screen.network) : null;
      return html`<div class="warning" role="note"><p><strong>${network ? fill(t.networkWarning, { asset: screen.asset, network: html`<span class="nowrap">${network}</span>` }) : fill(t.assetWarning, { asset: screen.asset })}</strong> ${t.networkWarningLost}</p></div>
<p class="intro">${t.addressIntro}</p>
<dl class="fields">
${field(t.amountToSend, screen.amount, { suffix: screen.asset, copyLabel: t.copyAmount, t, className: 'field-amount' })}
${network ? field(t.network, network, { t, plain: true }) : ''}
${field(t.address, screen.address, { copyLabel: t.copyAddress, t })}
</dl>
${qrFigure(uri, interpolate(t.addressQrLabel, { asset: screen.asset }), t.addressQrCaption)}
<p class="hint">${fill(t.feeHint, { amount: screen.amount, asset: screen.asset })}</p>`;
    }

    case 'bitcoin':
      return html`<p class="intro">${screen.bolt11 ? t.bitcoinLightningIntro : t.bitcoinIntro}</p>
${qrFigure(uri, t.bitcoinQrLabel)}
<a class="button button-primary" href="${uri}">${t.openWallet}</a>
<dl class="fields">
${screen.amount ? field(t.amountToSend, screen.amount, { suffix: 'BTC', copyLabel: t.copyAmount, t, className: 'field-amount' }) : ''}
${field(t.address, screen.address, { copyLabel: t.copyAddress, t })}
</dl>
${
  screen.bolt11
    ? html`<details class="more"><summary>${t.showLightningInvoice}</summary><dl class="fields">${field(t.lightningInvoice, screen.bolt11, { copyLabel: t.copyInvoice, t, className: 'field-long' })}</dl></details>`
    : ''
}`;

    case 'lightning':
      return html`<p class="intro">${t.lightningIntro}</p>
${qrFigure(uri, t.lightningQrLabel)}
<a class="button button-primary" href="${uri}">${t.openWallet}</a>
<dl class="fields">
${screen.amount ? field(t.amountToSend, screen.amount, { suffix: 'BTC', t, className: 'field-amount' }) : ''}
${field(t.lightningInvoice, screen.bolt11, { copyLabel: t.copyInvoice, t, className: 'field-long' })}
</dl>`;

    case 'hosted':
      return html`<p class="intro">${fill(t.hostedIntro, { name: ctx.name })}</p>
<a class="button button-primary" href="${screen.url}">${t.hostedButton}</a>`;

    case 'test':
      return ctx.testMode ? simulateForms(ctx) : html`<p class="intro">${t.unavailable}</p>`;

    case 'unavailable':
      return html`<p class="intro waiting"><span class="spinner" aria-hidden="true"></span>${t.unavailable}</p>`;
  }
}
