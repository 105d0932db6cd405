import { createPublicKey } from 'node:crypto';
import { userInfo } from 'node:os';
import { z } from 'zod';
import { validateAllowList } from './security/outbound-guard.js';

/** Dev-only fallbacks: obviously insecure, refused when NODE_ENV=production. */
const DEV_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
const DEV_OPERATOR_JWT_SECRET = 'switchyard-dev-operator-secret-do-not-use-in-production';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = (protocols: string[]) =>
  z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `must be a ${protocols.join(' or ')} URL`);

const retrySchedule = z
  .string()
  .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'must be a comma-separated list of seconds, e.g. 0,5,300')
  .transform((v) => v.split(',').map((s) => Number(s.trim())));

const masterKey = z.string().refine((v) => Buffer.from(v, 'base64').length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(v), {
  message: 'must be base64 of exactly 32 bytes (openssl rand -base64 32)',
});

function isEd25519PublicKeyPem(pem: string): boolean {
  try {
    return createPublicKey({ key: pem, format: 'pem' }).asymmetricKeyType === 'ed25519';
  } catch {
    return false;
  }
}

export const ENV_SCHEMA = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // Like psql: with no user given, connect as the OS user (root on the dev machines, trust auth).
  DATABASE_URL: url(['postgres:', 'postgresql:']).default(`postgres://${userInfo().username}@127.0.0.1:5432/switchyard`),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_BASE_URL: url(['http:', 'https:']).optional(),
  MASTER_KEY: masterKey.optional(),
  OPERATOR_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  OPERATOR_JWT_PUBLIC_KEY: z
    .string()
    .refine(isEd25519PublicKeyPem, 'must be an Ed25519 public key in SPKI PEM form (-----BEGIN PUBLIC KEY-----)')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ALLOW_PRIVATE_WEBHOOK_URLS: bool.default(false),
  WEBHOOK_RETRY_SCHEDULE: retrySchedule.default([0, 5, 300, 1800, 7200, 18000, 36000, 36000]),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  WEBHOOK_DISABLE_AFTER_HOURS: z.coerce.number().min(0).default(120),
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .superRefine((list, ctx) => {
      try {
        validateAllowList(list);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `must be hostnames, IPs or CIDR ranges: ${(err as Error).message}` });
      }
    }),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(20),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(1000),
  DELIVERY_SWEEP_MS: z.coerce.number().int().min(100).default(5000),
  DELIVERY_SWEEP_GRACE_MS: z.coerce.number().int().min(100).default(60_000),
  WEBHOOK_JOB_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).optional(),
  CIRCUIT_BREAKER_FAILURES: z.coerce.number().int().min(1).default(5),
  CIRCUIT_BREAKER_OPEN_SECONDS: z.coerce.number().min(0.1).default(30),
  RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(100),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(1),
  CHECKOUT_CHOICES_PER_INVOICE: z.coerce.number().int().min(1).default(10),
  CHECKOUT_CHOICES_PER_ADDRESS: z.coerce.number().int().min(1).default(30),
  CHECKOUT_CHOICE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86400).default(600),
  CHECKOUT_REQUESTS_PER_ADDRESS: z.coerce.number().int().min(1).default(300),
  EXPIRE_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(15),
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(60),
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  RETENTION_UPSTREAM_WEBHOOKS_DAYS: z.coerce.number().min(0).default(30),
  RETENTION_UPSTREAM_EVENT_KEYS_DAYS: z.coerce.number().min(0).default(30),
  RETENTION_DELIVERY_ATTEMPTS_DAYS: z.coerce.number().min(0).default(30),
  RETENTION_IDEMPOTENCY_KEYS_HOURS: z.coerce.number().min(24, 'must be at least 24 (keys are honoured for 24 hours)').default(24),
  RETENTION_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(3600),
  RETENTION_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(1000),
  PAYMENT_WAITER_SCAN_SECONDS: z.coerce.number().min(0.1).max(3600).default(5),
  PAYMENT_WAITER_LOCK_SECONDS: z.coerce.number().min(0.5).max(3600).default(15),
  BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'must look like 256kb').default('256kb'),
  QUEUE_PREFIX: z.string().min(1).default('switchyard'),
  METRICS_TOKEN: z.string().regex(/^[\x21-\x7e]{16,}$/, 'must be at least 16 printable characters without spaces (openssl rand -hex 32)').optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  databaseUrl: string;
  redisUrl: string;
  port: number;
  publicBaseUrl: string;
  masterKey: Buffer;
  operatorJwtSecret: string;
  operatorJwtPublicKey: string | undefined;
  logLevel: string;
  allowPrivateWebhookUrls: boolean;
  webhookRetryScheduleSeconds: number[];
  webhook: {
    timeoutMs: number;
    /** An endpoint whose deliveries keep failing this long is disabled (0 = never). */
    disableAfterHours: number;
    /** Hosts and CIDR ranges tenant URLs may reach even though they are not public. */
    allowedHosts: string[];
    concurrency: number;
    /** Outbox relay poll, in case a wake-up (Redis, after each commit) is lost. */
    outboxPollMs: number;
    /** How often deliveries due but absent from the queue (Redis was down, a job was lost) are re-enqueued. */
    sweepMs: number;
    /** A delivery is swept only once its attempt is this overdue: far above the queue's normal delay under a burst. */
    sweepGraceMs: number;
    /** A delivery job's lock in the queue, renewed every half of it while its worker runs: a dead worker's jobs go to another after about twice this. */
    jobLockMs: number;
  };
  /** Consecutive retryable failures that open an account's circuit, and how long it stays open. */
  circuitBreaker: { failures: number; openSeconds: number };
  /** Requests allowed per API key in each window. */
  rateLimit: { max: number; windowSeconds: number };
  /** The buyer's page: gateway picks per invoice and per address in one window; page and state requests per address per minute. */
  checkout: { choicesPerInvoice: number; choicesPerAddress: number; choiceWindowSeconds: number; requestsPerAddressPerMinute: number };
  expireIntervalSeconds: number;
  /** How often open invoices are checked with their upstream (webhooks can be lost). */
  reconcileIntervalSeconds: number;
  /** How long one call to an upstream may take before it counts as a (retryable) timeout. */
  upstreamTimeoutMs: number;
  /** Ages after which the retention job prunes rows (0 days = keep forever), how often it runs, rows per statement. */
  retention: {
    upstreamWebhooksDays: number;
    upstreamEventKeysDays: number;
    deliveryAttemptsDays: number;
    idempotencyKeysHours: number;
    intervalSeconds: number;
    batchSize: number;
  };
  /** Long-polled accounts (no webhooks): how often the worker looks for new ones, and the per-account lease TTL across workers. */
  paymentWaiters: { scanSeconds: number; lockSeconds: number };
  bodyLimit: string;
  queuePrefix: string;
  /** Who may read /metrics: with a token, `Authorization: Bearer <token>` only; with a port, only there (not on PORT). */
  metrics: { token: string | undefined; port: number | undefined };
  /** Names of settings that fell back to insecure development defaults (logged at start). */
  insecureDefaults: string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses and validates the environment once; every problem names its variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blank = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ENV_SCHEMA.safeParse(blank);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const insecureDefaults: string[] = [];
  if (e.NODE_ENV === 'production') {
    if (!e.MASTER_KEY) problems.push('MASTER_KEY: required when NODE_ENV=production (openssl rand -base64 32)');
    if (!e.OPERATOR_JWT_SECRET) problems.push('OPERATOR_JWT_SECRET: required when NODE_ENV=production (at least 32 characters)');
  }
  if (e.METRICS_PORT && e.METRICS_PORT === e.PORT) problems.push('METRICS_PORT: must differ from PORT (leave it unset to serve /metrics on PORT)');
  if (problems.length) throw new ConfigError(problems);
  if (!e.MASTER_KEY) insecureDefaults.push('MASTER_KEY');
  if (!e.OPERATOR_JWT_SECRET) insecureDefaults.push('OPERATOR_JWT_SECRET');
  return {
    env: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    port: e.PORT,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    masterKey: Buffer.from(e.MASTER_KEY ?? DEV_MASTER_KEY, 'base64'),
    operatorJwtSecret: e.OPERATOR_JWT_SECRET ?? DEV_OPERATOR_JWT_SECRET,
    operatorJwtPublicKey: e.OPERATOR_JWT_PUBLIC_KEY,
    logLevel: e.LOG_LEVEL,
    allowPrivateWebhookUrls: e.ALLOW_PRIVATE_WEBHOOK_URLS,
    webhookRetryScheduleSeconds: e.WEBHOOK_RETRY_SCHEDULE,
    webhook: {
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      disableAfterHours: e.WEBHOOK_DISABLE_AFTER_HOURS,
      allowedHosts: e.WEBHOOK_ALLOWED_HOSTS,
      concurrency: e.WEBHOOK_CONCURRENCY,
      outboxPollMs: e.OUTBOX_POLL_MS,
      sweepMs: e.DELIVERY_SWEEP_MS,
      sweepGraceMs: e.DELIVERY_SWEEP_GRACE_MS,
      jobLockMs: e.WEBHOOK_JOB_LOCK_MS ?? e.WEBHOOK_TIMEOUT_MS + 15_000,
    },
    circuitBreaker: { failures: e.CIRCUIT_BREAKER_FAILURES, openSeconds: e.CIRCUIT_BREAKER_OPEN_SECONDS },
    rateLimit: { max: e.RATE_LIMIT_MAX, windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS },
    checkout: {
      choicesPerInvoice: e.CHECKOUT_CHOICES_PER_INVOICE,
      choicesPerAddress: e.CHECKOUT_CHOICES_PER_ADDRESS,
      choiceWindowSeconds: e.CHECKOUT_CHOICE_WINDOW_SECONDS,
      requestsPerAddressPerMinute: e.CHECKOUT_REQUESTS_PER_ADDRESS,
    },
    expireIntervalSeconds: e.EXPIRE_INTERVAL_SECONDS,
    reconcileIntervalSeconds: e.RECONCILE_INTERVAL_SECONDS,
    upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
    retention: {
      upstreamWebhooksDays: e.RETENTION_UPSTREAM_WEBHOOKS_DAYS,
      upstreamEventKeysDays: e.RETENTION_UPSTREAM_EVENT_KEYS_DAYS,
      deliveryAttemptsDays: e.RETENTION_DELIVERY_ATTEMPTS_DAYS,
      idempotencyKeysHours: e.RETENTION_IDEMPOTENCY_KEYS_HOURS,
      intervalSeconds: e.RETENTION_INTERVAL_SECONDS,
      batchSize: e.RETENTION_BATCH_SIZE,
    },
    paymentWaiters: { scanSeconds: e.PAYMENT_WAITER_SCAN_SECONDS, lockSeconds: e.PAYMENT_WAITER_LOCK_SECONDS },
    bodyLimit: e.BODY_LIMIT,
    queuePrefix: e.QUEUE_PREFIX,
    metrics: { token: e.METRICS_TOKEN, port: e.METRICS_PORT },
    insecureDefaults,
  };
}
