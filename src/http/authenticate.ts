import type { Request } from 'express';
import type { Logger } from 'pino';
import type { Db } from '../db/knex.js';
import { apiKeysRepo, type ApiKeyWithTenant } from '../db/api-keys-repo.js';
import { keyCacheTags, type SharedCache } from '../security/shared-cache.js';
import { hashApiKey, parseApiKeyMode } from '../security/api-key-secret.js';
import type { OperatorTokenVerifier } from '../security/operator-token.js';
import { AuthError } from '../domain/errors.js';

export interface TenantAuth {
  tenantId: string;
  livemode: boolean;
  keyId: string;
}

export interface OperatorAuth {
  subject: string;
}

function bearerToken(req: Request): string {
  const header = req.headers.authorization;
  if (!header) throw new AuthError('unauthorized', 'Missing Authorization header: send "Authorization: Bearer <key>"');
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw new AuthError('unauthorized', 'Malformed Authorization header: expected "Bearer <key>"');
  return m[1]!;
}

/** Keys whose last_used_at this process wrote recently; spares a database round trip per request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Requests that may authenticate from the per-process key cache: reads, and invoice create, whose
 * one statement checks again that the key is live (a key revoked before it can never create).
 * Every other write reads the key from the database.
 */
function mayUseCachedKey(req: Request): boolean {
  return req.method === 'GET' || req.method === 'HEAD' || (req.method === 'POST' && req.path === '/v1/invoices');
}

export function createAuthenticator(deps: { db: Db; operatorTokens: OperatorTokenVerifier; logger: Logger; keyCache: SharedCache<ApiKeyWithTenant> }) {
  const touchedAt = new Map<string, number>();
  const touch = (keyId: string) => {
    const now = Date.now();
    if (now - (touchedAt.get(keyId) ?? 0) < TOUCH_EVERY_MS) return;
    if (touchedAt.size > 10_000) touchedAt.clear();
    touchedAt.set(keyId, now);
    apiKeysRepo.touch(deps.db, keyId).catch((err: unknown) => deps.logger.warn({ err }, 'could not record key use'));
  };
  return {
    /** Tenant API keys: unknown or revoked → 401; a suspended tenant → 403. */
    async tenant(req: Request): Promise<TenantAuth> {
      const token = bearerToken(req);
      const mode = parseApiKeyMode(token);
      if (!mode) throw new AuthError('unauthorized', 'Malformed API key: expected sy_live_… or sy_test_…');
      const hash = hashApiKey(token);
      const fromDb = async () => {
        const row = await apiKeysRepo.findByHash(deps.db, hash);
        return row && { value: row, tags: [keyCacheTags.key(hash), keyCacheTags.tenant(row.tenant_id)] };
      };
      const key = mayUseCachedKey(req) ? await deps.keyCache.get(hash, fromDb) : (await fromDb())?.value;
      if (!key || key.mode !== mode) throw new AuthError('unauthorized', 'Unknown API key');
      if (key.revoked_at) throw new AuthError('unauthorized', 'This API key has been revoked');
      if (key.tenant_status !== 'active') throw new AuthError('tenant_suspended', 'This tenant is suspended');
      touch(key.id);
      return { tenantId: key.tenant_id, livemode: key.mode === 'live', keyId: key.id };
    },
    async operator(req: Request): Promise<OperatorAuth> {
      const token = bearerToken(req);
      // A credential of the wrong kind is a failed authentication, as the document says: 401, like an unknown one.
      if (parseApiKeyMode(token)) throw new AuthError('unauthorized', 'Tenant API keys cannot use the operator API: send an operator token');
      try {
        const payload = await deps.operatorTokens.verify(token);
        return { subject: String(payload.sub) };
      } catch {
        throw new AuthError('unauthorized', 'Invalid or expired operator token');
      }
    },
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
