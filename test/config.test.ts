import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const MAIN = fileURLToPath(new URL('../dist/src/main.js', import.meta.url));
const GOOD_MASTER_KEY = randomBytes(32).toString('base64');
const GOOD_JWT_SECRET = 'a-production-operator-secret-of-40-chars!';

/** loadConfig must throw a ConfigError; returns it so the test can read the message. */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env, timeout: 15_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The test runner's environment without any Switchyard variable, plus the given ones. */
function processEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['MASTER_KEY', 'OPERATOR_JWT_SECRET', 'OPERATOR_JWT_PUBLIC_KEY', 'PORT', 'DATABASE_URL', 'REDIS_URL', 'LOG_LEVEL', 'PUBLIC_BASE_URL']) {
    delete env[name];
  }
  return { ...env, ...extra };
}

describe('loadConfig defaults', () => {
  it('works with no variables at all, with local defaults that match docker compose', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.databaseUrl).toMatch(/^postgres:\/\/[^@]+@127\.0\.0\.1:5432\/switchyard$/);
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.port).toBe(3000);
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
    expect(config.logLevel).toBe('info');
    expect(config.allowPrivateWebhookUrls).toBe(false);
    expect(config.webhookRetryScheduleSeconds).toEqual([0, 5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(config.masterKey).toHaveLength(32);
    expect(config.operatorJwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(config.operatorJwtPublicKey).toBeUndefined();
  });

  it('retention and upstream timeout: sensible defaults, 0 days keeps forever, idempotency keys kept at least their 24 h window', () => {
    const config = loadConfig({});
    expect(config.upstreamTimeoutMs).toBe(10_000);
    expect(config.retention).toEqual({
      upstreamWebhooksDays: 30,
      upstreamEventKeysDays: 30,
      deliveryAttemptsDays: 30,
      idempotencyKeysHours: 24,
      intervalSeconds: 3600,
      batchSize: 1000,
    });
    expect(loadConfig({ RETENTION_UPSTREAM_WEBHOOKS_DAYS: '0', RETENTION_DELIVERY_ATTEMPTS_DAYS: '7.5' }).retention).toMatchObject({ upstreamWebhooksDays: 0, deliveryAttemptsDays: 7.5 });
    expect(configError({ RETENTION_IDEMPOTENCY_KEYS_HOURS: '12' }).message).toContain('RETENTION_IDEMPOTENCY_KEYS_HOURS: must be at least 24');
    expect(configError({ RETENTION_BATCH_SIZE: '0' }).message).toContain('RETENTION_BATCH_SIZE');
    expect(configError({ UPSTREAM_TIMEOUT_MS: '5' }).message).toContain('UPSTREAM_TIMEOUT_MS');
  });

  it("a delivery job's queue lock: the HTTP timeout + 15 s unless set", () => {
    expect(loadConfig({}).webhook.jobLockMs).toBe(30_000);
    expect(loadConfig({ WEBHOOK_TIMEOUT_MS: '2000' }).webhook.jobLockMs).toBe(17_000);
    expect(loadConfig({ WEBHOOK_TIMEOUT_MS: '2000', WEBHOOK_JOB_LOCK_MS: '4000' }).webhook.jobLockMs).toBe(4000);
  });

  it('reports the secrets that fell back to insecure development defaults', () => {
    expect(loadConfig({}).insecureDefaults).toEqual(['MASTER_KEY', 'OPERATOR_JWT_SECRET']);
    expect(loadConfig({ MASTER_KEY: GOOD_MASTER_KEY, OPERATOR_JWT_SECRET: GOOD_JWT_SECRET }).insecureDefaults).toEqual([]);
  });

  it('takes valid values as given', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://app:pw@db.internal:5433/pay',
      REDIS_URL: 'rediss://cache.internal:6380/2',
      PORT: '8080',
      MASTER_KEY: GOOD_MASTER_KEY,
      OPERATOR_JWT_SECRET: GOOD_JWT_SECRET,
      LOG_LEVEL: 'debug',
      ALLOW_PRIVATE_WEBHOOK_URLS: 'true',
      WEBHOOK_RETRY_SCHEDULE: ' 0, 1 ,2,30 ',
    });
    expect(config.databaseUrl).toBe('postgresql://app:pw@db.internal:5433/pay');
    expect(config.redisUrl).toBe('rediss://cache.internal:6380/2');
    expect(config.port).toBe(8080);
    expect(config.masterKey.equals(Buffer.from(GOOD_MASTER_KEY, 'base64'))).toBe(true);
    expect(config.operatorJwtSecret).toBe(GOOD_JWT_SECRET);
    expect(config.logLevel).toBe('debug');
    expect(config.allowPrivateWebhookUrls).toBe(true);
    expect(config.webhookRetryScheduleSeconds).toEqual([0, 1, 2, 30]);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('ALLOW_PRIVATE_WEBHOOK_URLS=%s means %s', (value, expected) => {
    expect(loadConfig({ ALLOW_PRIVATE_WEBHOOK_URLS: value }).allowPrivateWebhookUrls).toBe(expected);
  });

  it('treats empty-string variables as unset', () => {
    const config = loadConfig({
      PORT: '',
      DATABASE_URL: '',
      REDIS_URL: '',
      MASTER_KEY: '',
      OPERATOR_JWT_SECRET: '',
      LOG_LEVEL: '',
      ALLOW_PRIVATE_WEBHOOK_URLS: '',
      WEBHOOK_RETRY_SCHEDULE: '',
      PUBLIC_BASE_URL: '',
    });
    const defaults = loadConfig({});
    expect(config).toEqual(defaults);
  });

  it('trims trailing slashes from PUBLIC_BASE_URL', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://pay.example.com/' }).publicBaseUrl).toBe('https://pay.example.com');
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://pay.example.com/switchyard//' }).publicBaseUrl).toBe('https://pay.example.com/switchyard');
  });

  it('derives PUBLIC_BASE_URL from PORT when it is not set', () => {
    expect(loadConfig({ PORT: '8080' }).publicBaseUrl).toBe('http://localhost:8080');
  });
});

describe('METRICS_TOKEN and METRICS_PORT', () => {
  it('are off by default and taken as given', () => {
    expect(loadConfig({}).metrics).toEqual({ token: undefined, port: undefined });
    expect(loadConfig({ METRICS_TOKEN: 'f'.repeat(32), METRICS_PORT: '9464' }).metrics).toEqual({ token: 'f'.repeat(32), port: 9464 });
  });

  it('refuses METRICS_PORT equal to PORT, naming it', () => {
    expect(configError({ PORT: '3000', METRICS_PORT: '3000' }).problems).toEqual(['METRICS_PORT: must differ from PORT (leave it unset to serve /metrics on PORT)']);
  });
});

describe('OPERATOR_JWT_PUBLIC_KEY', () => {
  it('accepts an Ed25519 public key in SPKI PEM form', () => {
    const pem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(loadConfig({ OPERATOR_JWT_PUBLIC_KEY: pem }).operatorJwtPublicKey).toBe(pem);
  });

  it('refuses a value that is not a PEM public key, naming the variable', () => {
    const err = configError({ OPERATOR_JWT_PUBLIC_KEY: 'garbage' });
    expect(err.message).toContain('OPERATOR_JWT_PUBLIC_KEY');
  });
});

describe('loadConfig refuses bad values, naming the variable', () => {
  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '3.5'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'not a url'],
    ['REDIS_URL', 'nope'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['MASTER_KEY', randomBytes(16).toString('base64')],
    ['MASTER_KEY', randomBytes(33).toString('base64')],
    ['MASTER_KEY', 'this is not base64 at all, not even close!!!'],
    ['OPERATOR_JWT_SECRET', 'too-short'],
    ['LOG_LEVEL', 'loud'],
    ['ALLOW_PRIVATE_WEBHOOK_URLS', 'maybe'],
    ['WEBHOOK_RETRY_SCHEDULE', '1,x'],
    ['WEBHOOK_RETRY_SCHEDULE', '5,-1'],
    ['PUBLIC_BASE_URL', 'ftp://files.example.com'],
    ['NODE_ENV', 'staging'],
    ['METRICS_TOKEN', 'short'],
    ['METRICS_TOKEN', 'has a space in the middle'],
    ['METRICS_PORT', 'abc'],
    ['WEBHOOK_JOB_LOCK_MS', '500'],
    ['WEBHOOK_JOB_LOCK_MS', '1h'],
  ])('%s=%s stops with a ConfigError naming %s', (name, value) => {
    const err = configError({ [name]: value });
    expect(err.message).toContain(name);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(new RegExp(`^${name}: `));
  });

  it('never echoes a rejected secret in the error', () => {
    const shortSecret = 'short-but-secret-value';
    const err = configError({ OPERATOR_JWT_SECRET: shortSecret, MASTER_KEY: 'c2VjcmV0LWJ1dC10b28tc2hvcnQ=' });
    expect(err.message).toContain('OPERATOR_JWT_SECRET');
    expect(err.message).toContain('MASTER_KEY');
    expect(err.message).not.toContain(shortSecret);
    expect(err.message).not.toContain('c2VjcmV0LWJ1dC10b28tc2hvcnQ=');
  });

  it('lists every bad variable in one error, not only the first', () => {
    const err = configError({ PORT: 'abc', LOG_LEVEL: 'loud', REDIS_URL: 'nope' });
    expect(err.problems).toHaveLength(3);
    for (const name of ['PORT', 'LOG_LEVEL', 'REDIS_URL']) expect(err.message).toContain(name);
  });
});

describe('production', () => {
  it('refuses to start without MASTER_KEY and OPERATOR_JWT_SECRET, naming both', () => {
    const err = configError({ NODE_ENV: 'production' });
    expect(err.message).toContain('MASTER_KEY');
    expect(err.message).toContain('OPERATOR_JWT_SECRET');
    expect(err.problems).toHaveLength(2);
  });

  it('names only the secret that is missing', () => {
    const noJwt = configError({ NODE_ENV: 'production', MASTER_KEY: GOOD_MASTER_KEY });
    expect(noJwt.message).toContain('OPERATOR_JWT_SECRET');
    expect(noJwt.message).not.toContain('MASTER_KEY');
    const noKey = configError({ NODE_ENV: 'production', OPERATOR_JWT_SECRET: GOOD_JWT_SECRET });
    expect(noKey.message).toContain('MASTER_KEY');
    expect(noKey.message).not.toContain('OPERATOR_JWT_SECRET');
  });

  it('counts empty-string secrets as missing', () => {
    const err = configError({ NODE_ENV: 'production', MASTER_KEY: '', OPERATOR_JWT_SECRET: '' });
    expect(err.message).toContain('MASTER_KEY');
    expect(err.message).toContain('OPERATOR_JWT_SECRET');
  });

  it('starts with both secrets set, and uses no insecure default', () => {
    const config = loadConfig({ NODE_ENV: 'production', MASTER_KEY: GOOD_MASTER_KEY, OPERATOR_JWT_SECRET: GOOD_JWT_SECRET });
    expect(config.env).toBe('production');
    expect(config.insecureDefaults).toEqual([]);
    expect(config.masterKey.equals(Buffer.from(GOOD_MASTER_KEY, 'base64'))).toBe(true);
    expect(config.operatorJwtSecret).toBe(GOOD_JWT_SECRET);
  });
});

describe('the built entry point', () => {
  it('exits 1 in production without secrets, naming MASTER_KEY and OPERATOR_JWT_SECRET on stderr', async () => {
    const res = await runNode([MAIN, 'api'], processEnv({ NODE_ENV: 'production' }));
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('MASTER_KEY');
    expect(res.stderr).toContain('OPERATOR_JWT_SECRET');
    expect(res.stderr).not.toMatch(/\n\s+at /); // a clear message, not a stack trace
  });

  it('exits 1 naming the variable when one is invalid', async () => {
    const res = await runNode([MAIN, 'api'], processEnv({ NODE_ENV: 'development', PORT: 'abc' }));
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('PORT');
  });

  it('exits 2 with a usage message for an unknown mode', async () => {
    const res = await runNode([MAIN, 'bogus'], processEnv({}));
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('bogus');
    expect(res.stderr).toMatch(/usage/i);
    for (const mode of ['api', 'worker', 'all', 'migrate']) expect(res.stderr).toContain(mode);
  });
});
