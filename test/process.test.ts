import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseUrl, dropDatabase, withAdminClient } from './helpers/databases.js';
import { deleteRedisKeys, eventually, TEST_REDIS_URL } from './helpers/harness.js';

/** The built entry point, as `npm start` and the Docker image run it. */
function runMain(mode: string, env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['dist/src/main.js', mode], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** The port the process logged once it listens (it is started on port 0). */
const listeningPort = (output: () => string) =>
  eventually(
    async () => {
      const m = /"port":(\d+)/.exec(output());
      if (!m) throw new Error(`not listening yet:\n${output()}`);
      return Number(m[1]);
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );

const dbName = `switchyard_test_${Math.floor(Date.now() / 1000)}_proc_${randomBytes(3).toString('hex')}`;
const env = {
  DATABASE_URL: databaseUrl(dbName),
  REDIS_URL: TEST_REDIS_URL,
  QUEUE_PREFIX: `sytest:proc:${randomBytes(3).toString('hex')}`,
  PORT: '0',
  LOG_LEVEL: 'info',
  NODE_ENV: 'test',
};
afterAll(async () => {
  await dropDatabase(dbName);
  await deleteRedisKeys(env.QUEUE_PREFIX);
});

describe('the process', () => {
  it('migrate creates the database when it is missing, applies migrations and exits 0; a second run is a no-op', async () => {
    const first = runMain('migrate', env);
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('created database');
    expect(first.output()).toContain('migrations applied');
    const exists = await withAdminClient((c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]));
    expect(exists.rowCount).toBe(1);
    const second = runMain('migrate', env);
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('database schema is up to date');
  });

  it('all serves the API, answers requests, and on SIGTERM finishes and exits 0', async () => {
    const proc = runMain('all', env);
    try {
      const port = await listeningPort(proc.output);
      // Every local link the start banner prints answers (it once printed /v1, a 404).
      const banner = await eventually(async () => {
        const links = [...proc.output().matchAll(new RegExp(`http://localhost:${port}(/\\S*)`, 'g'))].map((m) => m[1]!);
        expect(links).toEqual(expect.arrayContaining(['/', '/docs', '/openapi.json', '/healthz', '/metrics']));
        return links;
      });
      for (const path of banner) expect((await fetch(`http://127.0.0.1:${port}${path}`)).status, path).toBe(200);
      expect(proc.output()).not.toMatch(/localhost:\d+\/v1\b/);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
      expect(proc.output()).toContain('shutting down');
      expect(proc.output()).toContain('"msg":"stopped"');
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      proc.child.kill('SIGKILL');
    }
  });

  it('worker mode runs the jobs and answers its own probes', async () => {
    const proc = runMain('worker', env);
    try {
      const port = await listeningPort(proc.output);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('process_cpu_seconds_total');
      expect((await fetch(`http://127.0.0.1:${port}/v1/invoices`)).status).toBe(404);
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
    } finally {
      proc.child.kill('SIGKILL');
    }
  });

  it('with METRICS_PORT and METRICS_TOKEN, metrics are on their own port, for the token only; the banner says where', async () => {
    const token = 'process-metrics-token-0123456789';
    const proc = runMain('api', { ...env, METRICS_PORT: '0', METRICS_TOKEN: token });
    try {
      const port = await listeningPort(proc.output);
      const metricsPort = await eventually(async () => {
        const m = /"metricsPort":(\d+)/.exec(proc.output());
        if (!m) throw new Error(`no metrics port yet:\n${proc.output()}`);
        return Number(m[1]);
      });
      await eventually(async () => expect(proc.output()).toContain(`Metrics:          http://localhost:${metricsPort}/metrics  (Authorization: Bearer $METRICS_TOKEN)`));
      expect((await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(401);
      const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
      expect(scrape.status).toBe(200);
      expect(await scrape.text()).toContain('process_cpu_seconds_total');
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
    } finally {
      proc.child.kill('SIGKILL');
    }
  });

  it('--version prints the version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const proc = runMain('--version', env);
    expect(await proc.exited).toBe(0);
    expect(proc.output().trim()).toBe(version);
  });
});
