import { html, type SafeHtml } from './html.js';
import type { Lang } from './i18n/index.js';

/**
 * The document around every checkout page: a strict-CSP-friendly head (our stylesheet and script
 * by URL, nothing inline, nothing third-party) and the body the page fills in.
 */
export function documentShell(opts: {
  lang: Lang;
  title: string;
  css: string;
  js?: string;
  /** Reload every 15 s when scripts are off, while the page can still change. */
  refreshWithoutScript?: boolean;
  bodyAttrs?: SafeHtml;
  content: SafeHtml;
}): string {
  const page = html`<!doctype html>
<html lang="${opts.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<meta name="color-scheme" content="light dark">
<title>${opts.title}</title>
<link rel="stylesheet" href="${opts.css}">
${opts.js ? html`<script src="${opts.js}" defer></script>` : ''}
${opts.refreshWithoutScript ? html`<noscript><meta http-equiv="refresh" content="15"></noscript>` : ''}
</head>
<body${opts.bodyAttrs ?? ''}>
${opts.content}
</body>
</html>
`;
  return page.html;
}
