import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { startHarness, type Harness } from './helpers/harness.js';

const CLI = fileURLToPath(new URL('../dist/src/cli/index.js', import.meta.url));
const SECRET_PATTERN = /^sy_(test|live)_[A-Za-z0-9_-]{43,}$/;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI against the harness's database; resolves with the exit code instead of throwing. */
function cli(...args: string[]): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['MASTER_KEY', 'OPERATOR_JWT_SECRET', 'OPERATOR_JWT_PUBLIC_KEY', 'DATABASE_URL', 'REDIS_URL', 'PORT']) delete env[name];
  // The deployment's own settings, as `docker compose exec api switchyard …` has them (its Redis and
  // key prefix are how a revocation reaches the running API processes).
  Object.assign(env, { NODE_ENV: 'test', DATABASE_URL: h.env.DATABASE_URL, OPERATOR_JWT_SECRET: h.env.OPERATOR_JWT_SECRET, REDIS_URL: h.env.REDIS_URL, QUEUE_PREFIX: h.env.QUEUE_PREFIX });
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { env, timeout: 15_000 }, (err, stdout, stderr) => {
      if (err && err.killed) return reject(new Error(`switchyard ${args.join(' ')} timed out\n${stderr}`));
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

/** Runs the CLI expecting success and parses its JSON output. */
async function cliJson(...args: string[]): Promise<Record<string, unknown>> {
  const res = await cli(...args);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as Record<string, unknown>;
}

describe('switchyard tenant create', () => {
  it('creates a tenant, prints it as JSON, and the operator API sees it', async () => {
    const tenant = await cliJson('tenant', 'create', '--name', 'CLI shop');
    expect(tenant).toMatchObject({ object: 'tenant', name: 'CLI shop', status: 'active' });
    expect(tenant.id).toMatch(/^ten_[0-9A-Z]{26}$/);

    const res = await h.client.get(`/admin/v1/tenants/${tenant.id}`, { auth: h.operatorToken });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(tenant);
  });

  it('exits non-zero without --name, saying so on stderr', async () => {
    const res = await cli('tenant', 'create');
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('--name');
    expect(res.stdout).toBe('');
  });

  it('exits 1 for a blank --name and creates nothing', async () => {
    const before = await h.client.get('/admin/v1/tenants?limit=100', { auth: h.operatorToken });
    const res = await cli('tenant', 'create', '--name', '   ');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('--name');
    const after = await h.client.get('/admin/v1/tenants?limit=100', { auth: h.operatorToken });
    expect(after.body.data).toEqual(before.body.data);
  });
});

describe('switchyard key', () => {
  let tenantId: string;
  beforeAll(async () => {
    tenantId = (await cliJson('tenant', 'create', '--name', 'CLI keys')).id as string;
  });

  it('key create prints a key with its secret, which authenticates against the API', async () => {
    const key = await cliJson('key', 'create', '--tenant', tenantId, '--mode', 'test', '--name', 'from the shell');
    expect(key).toMatchObject({ object: 'api_key', tenant_id: tenantId, mode: 'test', name: 'from the shell', revoked_at: null });
    expect(key.secret).toMatch(SECRET_PATTERN);
    expect(String(key.secret).startsWith(String(key.prefix))).toBe(true);

    const res = await h.client.get('/v1/invoices', { auth: String(key.secret) });
    expect(res.status).toBe(200);
    expect(res.body.object).toBe('list');

    const listed = await h.client.get(`/admin/v1/tenants/${tenantId}/api-keys`, { auth: h.operatorToken });
    expect(listed.body.data.map((k: { id: string }) => k.id)).toContain(key.id);
    expect(JSON.stringify(listed.body)).not.toContain(String(key.secret));
  });

  it('key create --mode live prints a live key', async () => {
    const key = await cliJson('key', 'create', '--tenant', tenantId, '--mode', 'live');
    expect(key.mode).toBe('live');
    expect(String(key.secret).startsWith('sy_live_')).toBe(true);
    expect((await h.client.get('/v1/connectors', { auth: String(key.secret) })).status).toBe(200);
  });

  it('key revoke makes the key answer 401 at once', async () => {
    const key = await cliJson('key', 'create', '--tenant', tenantId, '--mode', 'test');
    expect((await h.client.get('/v1/invoices', { auth: String(key.secret) })).status).toBe(200);

    const revoked = await cliJson('key', 'revoke', String(key.id));
    expect(revoked).toMatchObject({ id: key.id, object: 'api_key' });
    expect(revoked.revoked_at).toEqual(expect.any(String));
    expect(revoked).not.toHaveProperty('secret');

    const res = await h.client.get('/v1/invoices', { auth: String(key.secret) });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthorized');
  });

  it('key create for an unknown tenant exits 1 with a message on stderr', async () => {
    const res = await cli('key', 'create', '--tenant', 'ten_01JWRF848RBXKYA92YQGCZFXH8', '--mode', 'test');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('ten_01JWRF848RBXKYA92YQGCZFXH8');
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(res.stdout).toBe('');
  });

  it('key create with --mode gold exits non-zero naming the allowed modes', async () => {
    const res = await cli('key', 'create', '--tenant', tenantId, '--mode', 'gold');
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('gold');
    expect(res.stderr).toMatch(/live/);
    expect(res.stdout).toBe('');
  });

  it('key create without --mode exits non-zero', async () => {
    const res = await cli('key', 'create', '--tenant', tenantId);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('--mode');
  });

  it('key revoke for an unknown key exits 1 with a message on stderr', async () => {
    const res = await cli('key', 'revoke', 'key_01JWRF85804TD8ZTHC0FG23ZN8');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('key_01JWRF85804TD8ZTHC0FG23ZN8');
  });
});

describe('switchyard operator-token', () => {
  it('prints a JWT that the operator API accepts', async () => {
    const res = await cli('operator-token');
    expect(res.code, res.stderr).toBe(0);
    const token = res.stdout.trim();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = decodeJwt(token);
    expect(claims.sub).toBe('cli');
    expect(claims.exp! - claims.iat!).toBe(3600);

    const api = await h.client.get('/admin/v1/tenants', { auth: token });
    expect(api.status).toBe(200);
  });

  it('honours --subject and --ttl', async () => {
    const res = await cli('operator-token', '--subject', 'alice', '--ttl', '60');
    expect(res.code, res.stderr).toBe(0);
    const token = res.stdout.trim();
    const claims = decodeJwt(token);
    expect(claims.sub).toBe('alice');
    expect(claims.exp! - claims.iat!).toBe(60);
    expect(Math.abs(claims.iat! - Date.now() / 1000)).toBeLessThan(30);
    expect((await h.client.get('/admin/v1/tenants', { auth: token })).status).toBe(200);
  });

  it('exits non-zero for a --ttl that is not a positive number of seconds', async () => {
    for (const ttl of ['0', 'soon', '-5']) {
      const res = await cli('operator-token', '--ttl', ttl);
      expect(res.code, `--ttl ${ttl}`).not.toBe(0);
      expect(res.stderr).toContain('--ttl');
      expect(res.stdout).toBe('');
    }
  });

  it('signs with OPERATOR_JWT_SECRET: a token from another secret is refused by the API', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', OPERATOR_JWT_SECRET: 'a-completely-different-secret-of-enough-length' };
    const token = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [CLI, 'operator-token'], { env, timeout: 15_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim()))),
    );
    expect((await h.client.get('/admin/v1/tenants', { auth: token })).status).toBe(401);
  });
});

describe('switchyard --version', () => {
  it.each(['--version', '-v'])('%s prints package.json\'s version and exits 0', async (flag) => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const res = await cli(flag);
    expect(res.code).toBe(0);
    expect(res.stdout.trim()).toBe(version);
  });
});

describe('switchyard --help', () => {
  it('lists the tenant, key and operator-token commands', async () => {
    const res = await cli('--help');
    expect(res.code).toBe(0);
    for (const command of ['tenant', 'key', 'operator-token']) expect(res.stdout).toContain(command);
  });
});
