/**
 * Dockerfile and docker-compose.yml cannot be run here (no Docker engine), so what they must agree
 * on with the code is checked as text: the runtime image holds every folder the app reads at run
 * time, and compose sets only variables the configuration knows.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { ENV_SCHEMA } from '../src/config.js';
import { CHECKOUT_ASSETS_DIR, OPENAPI_PATH, packageRoot } from '../src/paths.js';

const root = packageRoot();
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe('deployment files', () => {
  it('the runtime image copies every folder the app reads at run time (the spec, the checkout assets)', () => {
    const dockerfile = read('Dockerfile');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('AS runtime'));
    const copied = [...runtime.matchAll(/^COPY (?:--from=\S+ )?(\S+) (\S+)$/gm)].map((m) => path.normalize(m[2]!.replace(/^\.\//, '')));
    for (const dir of [OPENAPI_PATH, CHECKOUT_ASSETS_DIR]) {
      const top = path.relative(root, dir).split(path.sep)[0]!;
      expect(copied, `Dockerfile runtime stage must COPY ${top}`).toContain(top);
    }
  });

  it('compose sets only variables the configuration knows', () => {
    const compose = load(read('docker-compose.yml')) as Record<string, { [k: string]: unknown }>;
    const env = compose['x-switchyard-env'] as Record<string, string>;
    const known = Object.keys(ENV_SCHEMA.shape);
    for (const name of Object.keys(env)) expect(known, `${name} in docker-compose.yml`).toContain(name);
  });
});
