/**
 * Real Chromium for browser tests: one browser per test file, a fresh context per page, and a
 * watch on everything the page does that the buyer's page must never do — a request to another
 * origin, a Content-Security-Policy violation, an uncaught error. Every page opened during a test
 * is checked when the test ends (and its context closed), so no test can forget to look.
 *
 * Debian's chromium is used (CHROMIUM_PATH overrides /usr/bin/chromium): Playwright's own browser
 * download is not available where the tests run.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

export interface Viewport {
  width: number;
  height: number;
}

/** A small phone, the narrowest screen the checkout page is made for. */
export const PHONE: Viewport = { width: 360, height: 740 };
export const DESKTOP: Viewport = { width: 1280, height: 800 };

export interface OpenOptions {
  viewport?: Viewport;
  /** navigator.language and the Accept-Language header (e.g. 'ru-RU'). */
  locale?: string;
  /**
   * Origins the page may leave for by a top-level navigation (the shop's return page). Once the
   * page is there, requests that page makes are its own, not the checkout page's.
   */
  navigableOrigins?: string[];
  /** Skip the end-of-test checks (only for tests of this helper that provoke the problems on purpose). */
  unchecked?: boolean;
}

export interface SeenRequest {
  url: string;
  method: string;
  resourceType: string;
  navigation: boolean;
  /** The document that made it, when it was made. */
  frameUrl: string;
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** The app's origin, the only one the page may talk to. */
  origin: string;
  /** Every request the context made, in order. */
  requests: SeenRequest[];
  /** Requests to any other origin (aborted before they left the machine). */
  foreignRequests(): SeenRequest[];
  /** Console messages of level error. */
  consoleErrors: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** `securitypolicyviolation` events: the directive and what it blocked. */
  cspViolations: string[];
  /** Fails unless every request stayed on the app's origin (navigations to navigableOrigins aside). */
  expectOnlyOwnOrigin(): void;
  /** Fails on any CSP violation or uncaught page error. */
  expectNoErrors(): void;
}

const schemeWithoutNetwork = /^(data|blob|about):/;

/** The origin of a URL, or null for schemes that never reach the network. */
function originOf(url: string): string | null {
  return schemeWithoutNetwork.test(url) ? null : new URL(url).origin;
}

/** Reports `securitypolicyviolation` events to the test; runs before any of the page's scripts, and DevTools-injected code is not subject to the page's CSP. */
const CSP_LISTENER = `document.addEventListener('securitypolicyviolation', (e) => {
  window.__reportCspViolation(e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
});`;

async function watch(browser: Browser, origin: string, opts: OpenOptions): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? PHONE,
    ...(opts.locale ? { locale: opts.locale } : {}),
  });
  const navigable = new Set(opts.navigableOrigins ?? []);
  const requests: SeenRequest[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];

  const isForeign = (r: SeenRequest): boolean => {
    const to = originOf(r.url);
    if (to === null || to === origin) return false;
    if (navigable.has(to) && r.navigation) return false;
    // Made by the shop's page after the buyer was sent there: not the checkout page's doing.
    const from = originOf(r.frameUrl);
    return !(from !== null && navigable.has(from));
  };
  const seen = (r: Request): SeenRequest => ({
    url: r.url(),
    method: r.method(),
    resourceType: r.resourceType(),
    navigation: r.isNavigationRequest(),
    frameUrl: r.frame().url(),
  });

  // Nothing foreign leaves the machine: such requests are recorded and aborted.
  await context.route('**/*', (route) => (isForeign(seen(route.request())) ? route.abort('blockedbyclient') : route.continue()));
  context.on('request', (r) => void requests.push(seen(r)));
  await context.exposeFunction('__reportCspViolation', (text: string) => void cspViolations.push(text));
  await context.addInitScript(CSP_LISTENER);

  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (err) => void pageErrors.push(err.stack ?? err.message));

  return {
    page,
    context,
    origin,
    requests,
    foreignRequests: () => requests.filter(isForeign),
    consoleErrors,
    pageErrors,
    cspViolations,
    expectOnlyOwnOrigin() {
      expect(requests.filter(isForeign).map((r) => `${r.method} ${r.url} (from ${r.frameUrl})`), `requests to origins other than ${origin}`).toEqual([]);
    },
    expectNoErrors() {
      expect(cspViolations, `CSP violations (console errors: ${JSON.stringify(consoleErrors)})`).toEqual([]);
      expect(pageErrors, 'uncaught page errors').toEqual([]);
    },
  };
}

export interface BrowserFixture {
  readonly browser: Browser;
  /** A page in a fresh context, watched until the end of the current test. `appUrl` fixes the origin it may talk to. */
  open(appUrl: string, opts?: OpenOptions): Promise<WatchedPage>;
}

/**
 * Registers the file's browser: launched before its tests, closed after them. Pages opened in a
 * test are checked (own origin only, no CSP violation, no page error) and closed after it.
 */
export function useBrowser(): BrowserFixture {
  let browser: Browser | undefined;
  let opened: Array<{ watched: WatchedPage; checked: boolean }> = [];

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS });
  });
  afterEach(async () => {
    const pages = opened;
    opened = [];
    try {
      for (const { watched, checked } of pages) {
        if (!checked) continue;
        watched.expectNoErrors();
        watched.expectOnlyOwnOrigin();
      }
    } finally {
      await Promise.all(pages.map(({ watched }) => watched.context.close()));
    }
  });
  afterAll(async () => {
    await browser?.close();
  });

  const fixture: BrowserFixture = {
    get browser() {
      if (!browser) throw new Error('the browser has not started (useBrowser() registers beforeAll)');
      return browser;
    },
    async open(appUrl, opts = {}) {
      const watched = await watch(fixture.browser, new URL(appUrl).origin, opts);
      opened.push({ watched, checked: !opts.unchecked });
      return watched;
    },
  };
  return fixture;
}

/** The width the page's content takes (more than the viewport means horizontal scrolling). */
export function scrollWidth(page: Page): Promise<number> {
  return page.evaluate('document.documentElement.scrollWidth') as Promise<number>;
}
