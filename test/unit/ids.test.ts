import { describe, expect, it } from 'vitest';
import { decodeTime } from 'ulid';
import { newId, pooledRandom } from '../../src/domain/ids.js';

describe('ids', () => {
  it('are prefixed ULIDs: 26 Crockford base32 characters, time-sortable, unique', () => {
    const ids = Array.from({ length: 20_000 }, () => newId('inv'));
    for (const id of ids.slice(0, 100)) expect(id).toMatch(/^inv_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Monotonic within a process: each id sorts after the one before.
    expect([...ids].sort()).toEqual(ids);
    expect(Math.abs(decodeTime(ids[0]!.slice(4)) - Date.now())).toBeLessThan(60_000);
  });

  it('the pooled randomness is uniform over ulid’s 32 symbols', () => {
    const counts = new Array<number>(32).fill(0);
    const draws = 64_000;
    for (let i = 0; i < draws; i++) counts[Math.floor(pooledRandom() * 32)]!++;
    // Expected 2,000 each; a uniform source lands within ±15 % with overwhelming probability.
    for (const n of counts) expect(Math.abs(n - draws / 32)).toBeLessThan(300);
    for (let i = 0; i < 1000; i++) {
      const r = pooledRandom();
      expect(r).toBeGreaterThanOrEqual(0);
      expect(r).toBeLessThan(1);
    }
  });
});
