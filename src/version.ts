import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from './paths.js';

let version: string | undefined;

/** Switchyard's version: package.json's, which the image ships too. */
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
