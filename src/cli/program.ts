import { Command, Option } from 'commander';
import { loadConfig } from '../config.js';
import { createDb, type Db } from '../db/knex.js';
import { createTenantService, type KeyChanges } from '../tenants/tenant-service.js';
import { Redis } from 'ioredis';
import { createSharedCache } from '../security/shared-cache.js';
import { createLogger } from '../logger.js';
import { signOperatorToken } from '../security/operator-token.js';
import { ValidationError } from '../domain/errors.js';
import { packageVersion } from '../version.js';

/** Opens the database for one command and always closes it. */
async function withDb<T>(env: NodeJS.ProcessEnv, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = createDb(loadConfig(env).databaseUrl, { max: 1 });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}


/** Publishes key changes to running API processes for one command (best effort: their caches expire anyway). */
async function withKeyChanges<T>(env: NodeJS.ProcessEnv, fn: (keyChanges: KeyChanges) => Promise<T>): Promise<T> {
  const config = loadConfig(env);
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  redis.on('error', () => undefined);
  const cache = createSharedCache(redis, { name: 'api-keys', keyPrefix: config.queuePrefix, ttlMs: 1, max: 1, logger: createLogger('silent') });
  try {
    return await fn(cache);
  } finally {
    redis.disconnect();
  }
}

export function buildCli(env: NodeJS.ProcessEnv = process.env, out: (line: string) => void = console.log): Command {
  const print = (value: unknown) => out(JSON.stringify(value, null, 2));
  const program = new Command('switchyard')
    .description('Switchyard operator command line')
    .version(packageVersion(), '-v, --version', 'print the version')
    .showHelpAfterError();

  const tenant = program.command('tenant').description('manage tenants');
  tenant
    .command('create')
    .description('create a tenant (prints it as JSON)')
    .requiredOption('--name <name>', 'display name of the tenant')
    .action(async (opts: { name: string }) => {
      if (!opts.name.trim()) throw new ValidationError([], '--name must not be blank');
      print(await withDb(env, (db) => createTenantService({ db }).create(opts.name)));
    });

  const key = program.command('key').description('manage tenant API keys');
  key
    .command('create')
    .description('create an API key; its secret is printed once and stored only as a hash')
    .requiredOption('--tenant <id>', 'tenant id (ten_…)')
    .addOption(new Option('--mode <mode>', 'live or test').choices(['live', 'test']).makeOptionMandatory())
    .option('--name <name>', 'a label for the key')
    .action(async (opts: { tenant: string; mode: 'live' | 'test'; name?: string }) => {
      print(await withDb(env, (db) => createTenantService({ db }).createApiKey(opts.tenant, opts.mode, opts.name ?? null)));
    });
  key
    .command('revoke')
    .description('revoke an API key at once')
    .argument('<id>', 'API key id (key_…)')
    .action(async (id: string) => {
      // Running API processes cache keys: tell them, so the key stops working everywhere at once.
      print(await withDb(env, (db) => withKeyChanges(env, (keyChanges) => createTenantService({ db, keyChanges }).revokeApiKey(id))));
    });

  program
    .command('operator-token')
    .description('print an operator JWT (HS256, signed with OPERATOR_JWT_SECRET) for the /admin/v1 API')
    .option('--subject <sub>', 'who the token is for', 'cli')
    .option('--ttl <seconds>', 'lifetime in seconds', '3600')
    .action(async (opts: { subject: string; ttl: string }) => {
      const ttl = Number(opts.ttl);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > 31 * 86400) throw new ValidationError([], '--ttl must be 1 … 2678400 seconds');
      out(await signOperatorToken(loadConfig(env).operatorJwtSecret, opts.subject, ttl));
    });
  return program;
}

