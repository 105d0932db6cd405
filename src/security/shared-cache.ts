import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { LRUCache } from 'lru-cache';
import { followChannel } from '../redis-channel.js';

/**
 * A per-process cache of database reads that every process drops at once when the data changes:
 * `invalidate` removes the entries here and publishes their tags on Redis, and every process
 * subscribed to the channel removes its own. A missed message (Redis away) is bounded by the TTL.
 *
 * Entries carry tags (e.g. `tenant:ten_…`, `key:<hash>`), so one change can drop every entry it
 * affects (a suspended tenant drops all its keys).
 */
export interface SharedCache<V> {
  get(id: string, load: () => Promise<{ value: V; tags: string[] } | undefined>): Promise<V | undefined>;
  invalidate(...tags: string[]): Promise<void>;
  close(): void;
}

/** What the API key cache is dropped by: the key itself (revoked) and its tenant (suspended). */
export const keyCacheTags = { key: (hash: string) => `key:${hash}`, tenant: (tenantId: string) => `tenant:${tenantId}` };

/** What the gateway account cache is dropped by: any change to a tenant's accounts. */
export const accountCacheTags = { tenant: (tenantId: string) => `accounts:${tenantId}` };

export function createSharedCache<V extends object>(
  redis: Redis,
  opts: { name: string; keyPrefix: string; ttlMs: number; max: number; logger: Logger },
): SharedCache<V> {
  const channel = `${opts.keyPrefix}:cache:${opts.name}`;
  const entries = new LRUCache<string, { value: V; tags: string[] }>({ max: opts.max, ttl: opts.ttlMs });
  // Bumped by every invalidation: a value loaded while one happened may be stale, so it is not kept.
  let generation = 0;
  const dropTagged = (tags: string[]) => {
    generation++;
    const wanted = new Set(tags);
    for (const [id, entry] of entries.entries()) if (entry.tags.some((t) => wanted.has(t))) entries.delete(id);
  };

  let subscription: { close(): void } | undefined;
  function follow(): void {
    subscription ??= followChannel(redis, channel, {
      subject: `${opts.name} cache invalidations`,
      logger: opts.logger,
      onMessage: (message) => dropTagged(message.split('\n')),
    });
  }

  return {
    async get(id, load) {
      follow();
      const hit = entries.get(id);
      if (hit) return hit.value;
      const before = generation;
      const loaded = await load();
      if (loaded && generation === before) entries.set(id, loaded);
      return loaded?.value;
    },
    async invalidate(...tags) {
      dropTagged(tags);
      try {
        await redis.publish(channel, tags.join('\n'));
      } catch (err) {
        opts.logger.warn({ err: (err as Error).message, cache: opts.name }, 'could not publish a cache invalidation; other processes catch up within the TTL');
      }
    },
    close() {
      subscription?.close();
    },
  };
}
