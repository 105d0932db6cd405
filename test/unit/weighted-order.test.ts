import { describe, expect, it } from 'vitest';
import { orderByPriorityAndWeight } from '../../src/routing/weighted-order.js';

/** A seeded PRNG (mulberry32) so the distribution check is exact, not lucky. */
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('orderByPriorityAndWeight', () => {
  it('puts higher priority first whatever the weights', () => {
    const order = orderByPriorityAndWeight([
      { id: 'low', priority: 0, weight: 1000 },
      { id: 'high', priority: 5, weight: 1 },
    ]);
    expect(order.map((a) => a.id)).toEqual(['high', 'low']);
  });

  it('shares first place among equal priorities in proportion to weight (3:1 over 10,000 draws)', () => {
    const random = seeded(42);
    const accounts = [
      { id: 'a', priority: 0, weight: 3 },
      { id: 'b', priority: 0, weight: 1 },
    ];
    let a = 0;
    for (let i = 0; i < 10_000; i++) if (orderByPriorityAndWeight(accounts, random)[0]!.id === 'a') a++;
    expect(a / 10_000).toBeGreaterThan(0.73);
    expect(a / 10_000).toBeLessThan(0.77);
  });

  it('keeps every account (the rest are failover)', () => {
    const accounts = [1, 2, 3, 4].map((n) => ({ id: String(n), priority: n % 2, weight: n }));
    expect(orderByPriorityAndWeight(accounts).map((a) => a.id).sort()).toEqual(['1', '2', '3', '4']);
  });
});
