// Writes sdk/src/generated/schema.ts, the client's types of openapi/openapi.yaml, with
// openapi-typescript (the client's own dev dependency; it brings the TypeScript 5 it needs).
// `--check` writes nothing and fails when the committed file is stale, as openapi-types.mjs does
// for the server's types.
//
// Plain JavaScript so that it runs without compiling anything.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load as loadYaml } from 'js-yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SPEC = join(ROOT, 'openapi', 'openapi.yaml');
const OUT = join(ROOT, 'sdk', 'src', 'generated', 'schema.ts');
// Resolved from the client's package, where npm installs openapi-typescript (and its TypeScript 5).
const PACKAGE = createRequire(join(ROOT, 'sdk', 'package.json')).resolve('openapi-typescript/package.json');
const CLI = join(dirname(PACKAGE), JSON.parse(readFileSync(PACKAGE, 'utf8')).bin['openapi-typescript']);

/**
 * The document as openapi-typescript should see it: each discriminator with its `mapping` spelled
 * out from the variants' own single-value enums (`connector: sandbox` → SandboxAccountCreate).
 * Without a mapping, OpenAPI takes the schema names as the values, and the generated types would
 * ask for `connector: "SandboxAccountCreate"`. The spec itself leaves the mapping out because
 * the server's validator (Ajv) does not support one.
 */
function withDiscriminatorMappings(document) {
  const schemas = document.components.schemas;
  const target = (ref) => schemas[ref.replace('#/components/schemas/', '')];
  for (const schema of Object.values(schemas)) {
    const discriminator = schema.discriminator;
    if (!discriminator || discriminator.mapping || !Array.isArray(schema.oneOf)) continue;
    const mapping = {};
    for (const { $ref } of schema.oneOf) {
      const values = target($ref)?.properties?.[discriminator.propertyName]?.enum;
      if (!$ref || values?.length !== 1) throw new Error(`${$ref}: no single ${discriminator.propertyName} value to map`);
      mapping[values[0]] = $ref;
    }
    discriminator.mapping = mapping;
  }
  return document;
}

/** The generated file's text. Fields with a default stay optional: a request may leave them out. */
function generate() {
  const dir = mkdtempSync(join(tmpdir(), 'sdk-types-'));
  try {
    const file = join(dir, 'schema.ts');
    const input = join(dir, 'openapi.json');
    writeFileSync(input, JSON.stringify(withDiscriminatorMappings(loadYaml(readFileSync(SPEC, 'utf8')))));
    const run = spawnSync(process.execPath, [CLI, input, '--output', file, '--default-non-nullable=false'], { encoding: 'utf8' });
    if (run.status !== 0) {
      process.stderr.write(run.stdout + run.stderr);
      throw new Error(`openapi-typescript failed (exit ${run.status})`);
    }
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const output = generate();
const shown = relative(process.cwd(), OUT) || OUT;
if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(OUT, 'utf8');
  } catch {
    // a missing file is stale too
  }
  if (committed !== output) {
    const dir = mkdtempSync(join(tmpdir(), 'sdk-types-'));
    const fresh = join(dir, 'schema.ts');
    writeFileSync(fresh, output);
    spawnSync('diff', ['-u', '--label', `${shown} (committed)`, '--label', `${shown} (from openapi/openapi.yaml)`, OUT, fresh], { stdio: 'inherit' });
    rmSync(dir, { recursive: true, force: true });
    console.error(`\n${shown} is stale: it does not match openapi/openapi.yaml. Run \`npm run sdk:generate\` and commit the result.`);
    process.exit(1);
  }
  console.log(`${shown} matches openapi/openapi.yaml`);
} else {
  writeFileSync(OUT, output);
  console.log(`wrote ${shown}`);
}
