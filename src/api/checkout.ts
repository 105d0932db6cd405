import type { Request, Response } from 'express';
import type { CheckoutService } from '../checkout/checkout-service.js';
import { toCheckoutState } from '../checkout/checkout-service.js';
import { renderCheckoutPage, renderNotFoundPage, type CheckoutNotice } from '../checkout/page/render-page.js';
import { pickLanguage } from '../checkout/page/i18n/index.js';
import { isProblem } from '../http/problem.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { pathId, tenantAuth, tenantScope, type Handlers } from './handler.js';

type CheckoutOperations =
  | 'getCheckoutPage'
  | 'getCheckoutState'
  | 'chooseCheckoutOption'
  | 'simulateCheckout'
  | 'getInvoiceCheckout'
  | 'getCheckoutSettings'
  | 'updateCheckoutSettings';

/** The page's notice after a refused form post, by the problem a JSON client would have got. */
const NOTICE_FOR: Record<string, CheckoutNotice> = {
  rate_limited: 'rate_limited',
  checkout_closed: 'choice_closed',
  option_unavailable: 'gateway_unavailable',
  upstream_error: 'gateway_unavailable',
};

/**
 * The page is the buyer's alone: nothing from anywhere else may run or load on it, nothing is
 * cached by proxies, and no address leaks to the gateways it links to.
 */
const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Robots-Tag': 'noindex',
};

/** The page's own paths, under PUBLIC_BASE_URL's path (a proxy may serve Switchyard below a prefix). */
export function checkoutPaths(publicBaseUrl: string, token: string) {
  const prefix = new URL(publicBaseUrl).pathname.replace(/\/+$/, '');
  const page = `${prefix}/checkout/${encodeURIComponent(token)}`;
  return {
    css: `${prefix}/assets/checkout/checkout.css`,
    js: `${prefix}/assets/checkout/checkout.js`,
    page,
    state: `${page}/state`,
    choice: `${page}/choice`,
    simulate: `${page}/simulate`,
  };
}

/** A form post from the page (as opposed to a JSON client): answered with a redirect back to the page. */
const isFormPost = (req: Request) => req.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';

export function checkoutHandlers(deps: { checkout: CheckoutService; tenants: TenantService; config: { publicBaseUrl: string } }): Handlers<CheckoutOperations> {
  const { checkout } = deps;
  const paths = (token: string) => checkoutPaths(deps.config.publicBaseUrl, token);
  const languageOf = (req: Request, lang?: string) => pickLanguage(req.get('accept-language'), lang);

  /** Back to the page after a form post, with a notice when it could not be done. */
  function backToPage(res: Response, token: string, lang: string | undefined, notice?: CheckoutNotice) {
    const query = new URLSearchParams({ ...(lang ? { lang } : {}), ...(notice ? { notice } : {}) }).toString();
    res.redirect(303, `${paths(token).page}${query ? `?${query}` : ''}`);
  }

  /** Runs a page action: JSON clients get the state (or the problem), form posts a redirect back to the page. */
  async function act(req: Request, res: Response, token: string, lang: string | undefined, failureNotice: CheckoutNotice | null, action: () => ReturnType<CheckoutService['view']>) {
    if (!isFormPost(req)) {
      res.json(toCheckoutState(await action()));
      return;
    }
    try {
      await action();
      backToPage(res, token, lang);
    } catch (err) {
      if (!isProblem(err) || err.code === 'not_found') throw err;
      backToPage(res, token, lang, failureNotice ?? NOTICE_FOR[err.code] ?? 'choice_closed');
    }
  }

  return {
    async getCheckoutPage(c, req, res) {
      const { token } = c.request.params;
      const { lang, change, notice } = c.request.query;
      const language = languageOf(req, lang);
      res.set(PAGE_HEADERS);
      await checkout.countRequest(req.ip ?? 'unknown');
      let view;
      try {
        view = await checkout.view(token);
      } catch (err) {
        if (!isProblem(err) || err.code !== 'not_found') throw err;
        res.status(404).type('html').send(renderNotFoundPage(language, paths(token)));
        return;
      }
      res.type('html').send(renderCheckoutPage(view, { lang: language, paths: paths(token), changing: change === '1', ...(notice ? { notice } : {}) }));
    },
    async getCheckoutState(c, req, res) {
      res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
      await checkout.countRequest(req.ip ?? 'unknown');
      res.json(toCheckoutState(await checkout.view(c.request.params.token)));
    },
    async chooseCheckoutOption(c, req, res) {
      const { token } = c.request.params;
      res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
      await act(req, res, token, c.request.query.lang, null, () => checkout.choose(token, c.request.requestBody.option, req.ip ?? 'unknown'));
    },
    async simulateCheckout(c, req, res) {
      const { token } = c.request.params;
      res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
      await checkout.countRequest(req.ip ?? 'unknown');
      await act(req, res, token, c.request.query.lang, 'simulate_failed', () => checkout.simulate(token, c.request.requestBody.status));
    },
    async getInvoiceCheckout(c, _req, res) {
      res.json(await checkout.forTenant(tenantScope(res), pathId(c)));
    },
    async getCheckoutSettings(_c, _req, res) {
      res.json(await deps.tenants.getCheckoutSettings(tenantAuth(res).tenantId));
    },
    async updateCheckoutSettings(c, _req, res) {
      res.json(await deps.tenants.updateCheckoutSettings(tenantAuth(res).tenantId, c.request.requestBody));
    },
  };
}
