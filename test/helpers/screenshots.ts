/**
 * Screenshots of the checkout page for docs/checkout/, rewritten only on request
 * (UPDATE_SCREENSHOTS=1) so that ordinary and CI runs never touch committed files.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

export const SCREENSHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'checkout');

export const updatingScreenshots = (): boolean => process.env.UPDATE_SCREENSHOTS === '1';

/** Writes docs/checkout/{name}-{viewport width}.png (the full page) when UPDATE_SCREENSHOTS=1; returns the path, or null when not asked to. */
export async function saveScreenshot(page: Page, name: string): Promise<string | null> {
  if (!updatingScreenshots()) return null;
  const width = page.viewportSize()?.width;
  if (!width) throw new Error('the page has no fixed viewport to name the screenshot after');
  const path = join(SCREENSHOT_DIR, `${name}-${width}.png`);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // No caret or animation frames in the pictures: the same page gives the same file.
  await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
  return path;
}
