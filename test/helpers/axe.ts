/**
 * Accessibility scan with axe-core inside the page as the buyer gets it.
 *
 * The checkout page's CSP (`script-src 'self'`) refuses injected <script> tags, so axe's source is
 * run with page.evaluate: DevTools evaluation is not subject to the page's CSP. The alternative, a
 * context with bypassCSP, would scan a page whose policy is switched off — not the page the buyer
 * gets — and a CSP violation the page itself causes would then go unseen.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { AxeResults, ImpactValue, Result } from 'axe-core';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

/** What axe reports, kept short enough to read in a failed assertion. */
export interface AxeViolation {
  id: string;
  impact: ImpactValue | undefined;
  help: string;
  /** CSS selectors of the offending elements, with axe's summary of what to fix. */
  nodes: Array<{ target: string; summary: string | undefined }>;
}

const BLOCKING: ReadonlyArray<ImpactValue | undefined> = ['serious', 'critical'];

function summarise(v: Result): AxeViolation {
  return {
    id: v.id,
    impact: v.impact ?? undefined,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
  };
}

/** Runs axe on the page's current document; returns the serious and critical violations. */
export async function axeScan(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Already defined after an earlier scan of the same document; evaluating it again is harmless.
  await page.evaluate(axeSource);
  const results = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as AxeResults;
  return results.violations.filter((v) => BLOCKING.includes(v.impact ?? undefined)).map(summarise);
}
