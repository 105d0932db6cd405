import { accountCacheTags } from '../security/shared-cache.js';
import type { Config } from '../config.js';
import type { Db } from '../db/knex.js';
import { writeWithAnswer, type IdempotencyFinish } from '../db/idempotency-repo.js';
import { writeStoredNothing } from '../db/statement-outcome.js';
import type { TenantScope } from '../db/invoices-repo.js';
import type { PageRequest } from '../db/pagination.js';
import { gatewayAccountsRepo, type GatewayAccountRow } from '../db/gateway-accounts-repo.js';
import type { ConnectorRegistry } from '../connectors/registry.js';
import type { Logger } from 'pino';
import { UpstreamError, type AccountContext, type Connector, type UpstreamIdentity } from '../connectors/types.js';
import { createAccountContexts, webhookUrlFor } from '../connectors/account-context.js';
import { newId } from '../domain/ids.js';
import { compareAmounts } from '../domain/money.js';
import type { SecretBox } from '../security/secret-box.js';
import { assertTenantUrlAllowed } from '../security/tenant-url.js';
import { checkUrlInput, type UrlRule } from '../security/url-input.js';
import { GatewayAccountError, ValidationError, type FieldError } from '../domain/errors.js';
import type { CircuitBreaker } from '../routing/circuit-breaker.js';
import { toGatewayAccountObject } from './gateway-account-view.js';
import type { Components } from '../generated/openapi.js';

/** The body of POST or PATCH /v1/gateway-accounts after OpenAPI validation. */
export type GatewayAccountInput = Components.Schemas.GatewayAccountCreate | Components.Schemas.GatewayAccountUpdate;

/** An upstream's API address: we connect to it, so no credentials in it. */
const BASE_URL_RULE: UrlRule = { schemes: ['http:', 'https:'], credentials: 'refused' };

export function createGatewayAccountService(deps: {
  db: Db;
  config: Config;
  secretBox: SecretBox;
  connectors: ConnectorRegistry;
  breaker: CircuitBreaker;
  logger: Logger;
  /** Routing caches each tenant's accounts: every change here drops them in every process. */
  accountChanges?: { invalidate(...tags: string[]): Promise<void> };
}) {
  const { db, config, secretBox, connectors, logger } = deps;
  const changed = (tenantId: string) => deps.accountChanges?.invalidate(accountCacheTags.tenant(tenantId));
  const accountContext = createAccountContexts({ secretBox, publicBaseUrl: config.publicBaseUrl });

  async function toObject(row: GatewayAccountRow) {
    return toGatewayAccountObject(row, {
      webhookUrl: connectors.get(row.connector)?.manifest.capabilities.webhooks ? webhookUrlFor(config.publicBaseUrl, row) : null,
      circuit: await deps.breaker.view(row.id),
    });
  }

  async function find(scope: TenantScope, id: string): Promise<GatewayAccountRow> {
    const row = await gatewayAccountsRepo.find(db, scope.tenantId, scope.livemode, id);
    if (!row) throw new GatewayAccountError('not_found', `No gateway account ${id}`);
    return row;
  }

  /** Shape checks the schema cannot do: per-connector credentials and config, the base_url guard, amount bounds. */
  async function validate(connector: Connector, input: GatewayAccountInput, scope: TenantScope) {
    const errors: FieldError[] = [];
    if (!connector.manifest.modes.includes(scope.livemode ? 'live' : 'test')) {
      errors.push({ field: '/body/connector', message: `${connector.manifest.id} is not available with a ${scope.livemode ? 'live' : 'test'} key` });
    }
    if (input.credentials !== undefined) errors.push(...connector.validateCredentials(input.credentials).map((e) => ({ ...e, field: `/body${e.field}` })));
    if (input.config) errors.push(...(connector.validateConfig?.(input.config) ?? []).map((e) => ({ ...e, field: `/body${e.field}` })));
    if (input.min_amount && input.max_amount && compareAmounts(input.min_amount, input.max_amount) > 0) {
      errors.push({ field: '/body/min_amount', message: 'must not be above max_amount' });
    }
    // Addresses Switchyard will call: base_url, and any other config field the connector marks as one.
    const urlFields = ['base_url', ...connector.manifest.configFields.filter((f) => f.url && f.name !== 'base_url').map((f) => f.name)];
    const urls: Array<{ url: URL; field: string }> = [];
    for (const name of urlFields) {
      const value = (input.config as Record<string, unknown> | undefined)?.[name];
      if (typeof value !== 'string') continue;
      const field = `/body/config/${name}`;
      const checked = checkUrlInput(value, field, BASE_URL_RULE);
      if ('error' in checked) errors.push(checked.error);
      else urls.push({ url: checked.url, field });
    }
    if (errors.length) throw new ValidationError(errors);
    for (const { url, field } of urls) await assertTenantUrlAllowed(url, config, field);
  }

  /** Asks the upstream whether the credentials work, where it offers a check; what it says of the account comes back. */
  async function checkWithUpstream(connector: Connector, row: GatewayAccountRow): Promise<UpstreamIdentity> {
    if (!connector.checkCredentials) return {};
    try {
      return (await connector.checkCredentials(accountContext(row))) ?? {};
    } catch (err) {
      if (err instanceof UpstreamError && !err.retryable) {
        throw new GatewayAccountError('upstream_credentials_invalid', `${connector.manifest.name} refused the credentials: ${err.message}`, {
          upstream_code: err.upstreamCode ?? null,
        });
      }
      throw new GatewayAccountError('upstream_error', `${connector.manifest.name} could not be reached to check the credentials; try again`);
    }
  }

  /**
   * Tells the upstream about a new or changed account, where the connector needs to (Telegram:
   * the bot's webhook); returns the row to save, with the credentials the connector completed.
   */
  async function connectUpstream(connector: Connector, row: GatewayAccountRow, previous: GatewayAccountRow | null): Promise<GatewayAccountRow> {
    if (!connector.onAccountConnected) return row;
    let completed: { credentials?: Record<string, string> } | void;
    try {
      completed = await connector.onAccountConnected(accountContext(row), previous ? accountContext(previous) : null);
    } catch (err) {
      if (err instanceof UpstreamError && !err.retryable) {
        throw new GatewayAccountError('upstream_credentials_invalid', `${connector.manifest.name} refused to set the account up: ${err.message}`, {
          upstream_code: err.upstreamCode ?? null,
        });
      }
      throw new GatewayAccountError('upstream_error', `${connector.manifest.name} could not be reached to set the account up; try again`);
    }
    return completed?.credentials ? { ...row, credentials_encrypted: secretBox.seal(JSON.stringify(completed.credentials), row.id) } : row;
  }

  /** Undoes what connectUpstream told the upstream; the account is already deleted, so failures are only logged. */
  async function disconnectUpstream(connector: Connector, context: AccountContext): Promise<void> {
    if (!connector.onAccountDeleted) return;
    await connector.onAccountDeleted(context).catch((err: unknown) =>
      logger.warn({ account: context.accountId, connector: connector.manifest.id, err: (err as Error).message }, 'could not tell the upstream the account was deleted'),
    );
  }

  return {
    find,
    toObject,
    /** With an Idempotency-Key (`finish`), the account and the key's kept answer commit together. */
    async create(scope: TenantScope, input: GatewayAccountInput & { connector: string; credentials: Record<string, unknown> }, finish?: IdempotencyFinish) {
      const connector = connectors.get(input.connector);
      if (!connector) throw new ValidationError([{ field: '/body/connector', message: `${input.connector} is not available in this build` }]);
      if (input.connector === 'sandbox') throw new ValidationError([{ field: '/body/connector', message: 'the sandbox account is built in (test mode)' }]);
      // Connector config rules (e.g. BTCPay's required base_url) apply to an absent config too.
      await validate(connector, { ...input, config: input.config ?? {} }, scope);
      const id = newId('ga');
      const row: GatewayAccountRow = {
        id,
        tenant_id: scope.tenantId,
        livemode: scope.livemode,
        connector: input.connector,
        name: input.name ?? null,
        credentials_encrypted: secretBox.seal(JSON.stringify(input.credentials), id),
        config: input.config ?? {},
        enabled: input.enabled ?? true,
        priority: input.priority ?? 0,
        weight: input.weight ?? 1,
        currencies: input.currencies ?? null,
        min_amount: input.min_amount ?? null,
        max_amount: input.max_amount ?? null,
        created_at: new Date(),
        updated_at: new Date(),
        deleted_at: null,
      };
      const identity = await checkWithUpstream(connector, row);
      // Without a name of the tenant's, the upstream's own name for the account (a bot's @username).
      if (row.name === null && identity.name) row.name = identity.name.slice(0, 100);
      const connected = await connectUpstream(connector, row, null);
      const { created_at: _c, updated_at: _u, deleted_at: _d, ...insertable } = connected;
      let shown: Awaited<ReturnType<typeof toObject>>;
      try {
        shown = await writeWithAnswer(db, finish, (trx) => gatewayAccountsRepo.insert(trx, insertable), { status: 201, of: toObject });
      } catch (err) {
        // Certainly not stored: undo what the upstream was told (a bot's webhook pointing at an account that does not exist).
        // Not when only the answer to the commit was lost: the account may exist, and the retry is shown it.
        if (writeStoredNothing(err)) await disconnectUpstream(connector, accountContext(connected));
        throw err;
      }
      await changed(scope.tenantId);
      return shown;
    },
    async list(scope: TenantScope, page: PageRequest, connector?: string) {
      const result = await gatewayAccountsRepo.list(db, scope.tenantId, scope.livemode, page, connector);
      return { object: 'list' as const, data: await Promise.all(result.data.map(toObject)), has_more: result.has_more };
    },
    async update(scope: TenantScope, id: string, input: GatewayAccountInput) {
      const current = await find(scope, id);
      const connector = connectors.get(current.connector)!;
      if (current.connector === 'sandbox' && (input.credentials || input.config)) throw new ValidationError([{ field: '/body', message: 'the sandbox takes no credentials or config' }]);
      await validate(connector, { ...input, min_amount: input.min_amount ?? current.min_amount, max_amount: input.max_amount ?? current.max_amount }, scope);
      const patch: Partial<GatewayAccountRow> = {};
      for (const k of ['name', 'config', 'enabled', 'priority', 'weight', 'currencies', 'min_amount', 'max_amount'] as const) {
        if (input[k] !== undefined) (patch as Record<string, unknown>)[k] = input[k];
      }
      if (input.credentials) {
        patch.credentials_encrypted = secretBox.seal(JSON.stringify(input.credentials), id);
        await checkWithUpstream(connector, { ...current, ...patch });
      }
      if (input.credentials || input.config) {
        const connected = await connectUpstream(connector, { ...current, ...patch }, current);
        if (connected.credentials_encrypted !== (patch.credentials_encrypted ?? current.credentials_encrypted)) patch.credentials_encrypted = connected.credentials_encrypted;
      }
      const updated = await gatewayAccountsRepo.update(db, id, patch);
      await changed(scope.tenantId);
      return toObject(updated);
    },
    async remove(scope: TenantScope, id: string) {
      const row = await find(scope, id);
      await gatewayAccountsRepo.update(db, id, { deleted_at: new Date(), enabled: false });
      await changed(scope.tenantId);
      const connector = connectors.get(row.connector);
      if (connector) await disconnectUpstream(connector, accountContext(row));
      return { id, object: 'gateway_account' as const, deleted: true as const };
    },
    async balance(scope: TenantScope, id: string) {
      const row = await find(scope, id);
      const connector = connectors.get(row.connector)!;
      if (!connector.getBalance) throw new GatewayAccountError('balance_not_supported', `${connector.manifest.name} has no balance to show`);
      try {
        const balances = await connector.getBalance(accountContext(row));
        return { object: 'balance' as const, account_id: row.id, balances };
      } catch (err) {
        throw new GatewayAccountError('upstream_error', `${connector.manifest.name} did not answer the balance query: ${(err as Error).message}`);
      }
    },
  };
}

export type GatewayAccountService = ReturnType<typeof createGatewayAccountService>;
