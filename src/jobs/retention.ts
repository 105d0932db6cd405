import type { Logger } from 'pino';
import type { Db } from '../db/knex.js';
import { retentionRepo, type RetentionTarget } from '../db/retention-repo.js';

export interface RetentionSettings {
  /** Age in seconds after which each table's rows may go; 0 keeps them forever. */
  ages: Record<RetentionTarget, number>;
  /** Rows per DELETE statement. */
  batchSize: number;
  /** Statements per table and run at most; the next run continues where this one stopped. */
  maxBatchesPerRun: number;
}

/**
 * The retention job (a BullMQ repeatable job in the worker): prunes each table in small batches,
 * each its own short statement, so no table is locked and normal traffic never waits behind it.
 */
export function createRetentionJob(deps: { db: Db; logger: Logger; settings: RetentionSettings }) {
  const { db, logger, settings } = deps;
  return async function prune(): Promise<Record<RetentionTarget, number>> {
    const pruned = {} as Record<RetentionTarget, number>;
    for (const [target, ageSeconds] of Object.entries(settings.ages) as Array<[RetentionTarget, number]>) {
      pruned[target] = 0;
      if (ageSeconds <= 0) continue;
      for (let batch = 0; batch < settings.maxBatchesPerRun; batch++) {
        const n = await retentionRepo.pruneBatch(db, target, ageSeconds, settings.batchSize);
        pruned[target] += n;
        if (n < settings.batchSize) break;
      }
    }
    if (Object.values(pruned).some((n) => n > 0)) logger.info({ pruned }, 'retention: pruned old rows');
    return pruned;
  };
}
