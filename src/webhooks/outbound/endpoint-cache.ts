import type { Db } from '../../db/knex.js';
import { webhookEndpointsRepo, type WebhookEndpointRow } from '../../db/webhook-endpoints-repo.js';
import type { SecretBox } from '../../security/secret-box.js';
import type { SharedCache } from '../../security/shared-cache.js';

/** An endpoint as the delivery worker needs it: where to send, whether it may, and its secrets already opened. */
export interface CachedEndpoint {
  id: string;
  url: string;
  /** False once disabled or deleted. */
  active: boolean;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

/** The tag every cached copy of one endpoint carries; the endpoint service drops it on every change. */
export const endpointCacheTag = (id: string) => `endpoint:${id}`;

/** Every secret that signs at `now`: the current one, plus the previous one during its grace period. */
export function cachedSecrets(endpoint: CachedEndpoint, now = new Date()): string[] {
  return endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now
    ? [endpoint.secret, endpoint.previousSecret]
    : [endpoint.secret];
}

export interface EndpointCache {
  get(id: string): Promise<CachedEndpoint | undefined>;
  /** Call after any change to the endpoint (update, rotation, deletion, disabling): every process drops its copy. */
  changed(id: string): Promise<void>;
}

/** Endpoints read by the delivery worker, cached per process with their secrets decrypted, dropped everywhere on change. */
export function createEndpointCache(deps: { db: Db; secretBox: SecretBox; cache: SharedCache<CachedEndpoint> }): EndpointCache {
  const { db, secretBox, cache } = deps;
  const toCached = (row: WebhookEndpointRow): CachedEndpoint => ({
    id: row.id,
    url: row.url,
    active: row.enabled && !row.deleted_at,
    secret: secretBox.open(row.secret_encrypted, row.id),
    previousSecret: row.previous_secret_encrypted ? secretBox.open(row.previous_secret_encrypted, row.id) : null,
    previousSecretExpiresAt: row.previous_secret_expires_at,
  });
  return {
    get: (id) =>
      cache.get(id, async () => {
        const row = await webhookEndpointsRepo.findById(db, id);
        return row ? { value: toCached(row), tags: [endpointCacheTag(id)] } : undefined;
      }),
    changed: (id) => cache.invalidate(endpointCacheTag(id)),
  };
}
