// Writes a generated file, or with `--check` on the command line writes nothing and fails when the
// committed file differs from what the generator makes now (printing the diff): CI's guard against
// a spec changed without regenerating. Shared by openapi-types.mjs and sdk-types.mjs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';

/**
 * @param {string} out the generated file's path
 * @param {string} output what the generator makes now
 * @param {{ source: string; regenerate: string }} how what it is generated from, and the command that regenerates it
 */
export function writeOrCheck(out, output, how) {
  const shown = relative(process.cwd(), out) || out;
  if (!process.argv.includes('--check')) {
    writeFileSync(out, output);
    console.log(`wrote ${shown}`);
    return;
  }
  let committed = '';
  try {
    committed = readFileSync(out, 'utf8');
  } catch {
    // a missing file is stale too
  }
  if (committed === output) {
    console.log(`${shown} matches ${how.source}`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'generated-file-'));
  try {
    const fresh = join(dir, basename(out));
    writeFileSync(fresh, output);
    spawnSync('diff', ['-u', '--label', `${shown} (committed)`, '--label', `${shown} (from ${how.source})`, out, fresh], { stdio: 'inherit' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.error(`\n${shown} is stale: it does not match ${how.source}. Run \`${how.regenerate}\` and commit the result.`);
  process.exit(1);
}
