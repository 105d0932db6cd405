import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Knex } from 'knex';
import type { DbOrTx } from '../../db/knex.js';

/** The Redis channel on which writers wake the outbox relays of one deployment (QUEUE_PREFIX). */
export const outboxChannel = (keyPrefix: string) => `${keyPrefix}:outbox`;

/**
 * Tells the outbox relays that events were committed, so they relay them now instead of at their
 * next poll. A Redis PUBLISH after the commit, never inside it: nothing waits on other
 * transactions at commit time (a NOTIFY trigger made every committing writer queue behind one
 * lock). Best effort: a wake-up lost (Redis away, a process dying after its commit) only delays
 * the events until the relay's next poll.
 */
export interface OutboxWake {
  /** Wakes the relays once `db` has committed: at once when it is not a transaction (the statement has). */
  afterCommit(db: DbOrTx): void;
}

/**
 * At most one PUBLISH in flight per process: wake-ups asked for meanwhile become one more PUBLISH
 * after it, which still follows every commit that asked.
 */
export function createOutboxWake(redis: Redis, opts: { keyPrefix: string; logger: Logger }): OutboxWake {
  const channel = outboxChannel(opts.keyPrefix);
  let inFlight = false;
  let again = false;
  /** Transactions already waited on: several events in one transaction wake the relays once. */
  const armed = new WeakSet<object>();

  function publish(): void {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    again = false;
    redis
      .publish(channel, '')
      .catch((err: Error) => opts.logger.debug({ err: err.message }, 'could not wake the outbox relays; their poll will find the events'))
      .finally(() => {
        inFlight = false;
        if (again) publish();
      });
  }

  return {
    afterCommit(db) {
      if (!('isTransaction' in db) || !db.isTransaction) return publish();
      // A nested transaction (savepoint) commits with its outermost one.
      let top = db as Knex.Transaction;
      while (top.parentTransaction) top = top.parentTransaction;
      if (armed.has(top)) return;
      armed.add(top);
      top.executionPromise.then(publish, () => undefined);
    },
  };
}
