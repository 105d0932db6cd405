import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json, whether we run from src/ (tests) or dist/src/ (built). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

export const OPENAPI_PATH = path.join(packageRoot(), 'openapi', 'openapi.yaml');

/** The checkout page's stylesheet and script, served as they are (no build step). */
export const CHECKOUT_ASSETS_DIR = path.join(packageRoot(), 'public', 'checkout');
