import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The client's tests and the examples run against its source, not a build of it.
    alias: { '@switchyard/client': fileURLToPath(new URL('./sdk/src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts', 'sdk/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The JSON report is what .ci/run turns into its "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    pool: 'forks',
    // Most time is spent waiting on PostgreSQL, Redis and child processes: two files at once on 2 cores.
    maxWorkers: 2,
    // Some tests start a Switchyard of their own (compiling the whole OpenAPI document takes seconds on a busy machine).
    testTimeout: 45_000,
    hookTimeout: 60_000,
  },
});
