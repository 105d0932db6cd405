import { describe, expect, it } from 'vitest';
import { microBatch } from '../../src/webhooks/outbound/micro-batch.js';

/** A `run` that records each batch it was given and answers each item doubled, failing on `bad`. */
function recorder(opts: { bad?: number; gate?: Promise<void> } = {}) {
  const batches: number[][] = [];
  const run = async (items: number[]) => {
    batches.push(items);
    await opts.gate;
    if (items.includes(opts.bad ?? NaN)) throw new Error(`bad item ${opts.bad}`);
    return items.map((i) => i * 2);
  };
  return { batches, run };
}

describe('microBatch', () => {
  it('calls made in one turn of the event loop share one run, each getting its own answer', async () => {
    const r = recorder();
    const call = microBatch(r.run, { max: 10, inFlight: 1 });
    expect(await Promise.all([1, 2, 3].map(call))).toEqual([2, 4, 6]);
    expect(r.batches).toEqual([[1, 2, 3]]);
  });

  it('at most `max` items per run, and while `inFlight` runs are busy the next calls wait and go together', async () => {
    let open!: () => void;
    const r = recorder({ gate: new Promise<void>((resolve) => (open = resolve)) });
    const call = microBatch(r.run, { max: 2, inFlight: 1 });
    const first = Promise.all([1, 2, 3].map(call));
    await new Promise((resolve) => setImmediate(resolve));
    const later = Promise.all([4, 5].map(call));
    open();
    expect([...(await first), ...(await later)]).toEqual([2, 4, 6, 8, 10]);
    expect(r.batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('a failing run is retried item by item: only the bad item fails', async () => {
    const r = recorder({ bad: 2 });
    const call = microBatch(r.run, { max: 10, inFlight: 1 });
    const results = await Promise.allSettled([1, 2, 3].map(call));
    expect(results.map((x) => (x.status === 'fulfilled' ? x.value : (x.reason as Error).message))).toEqual([2, 'bad item 2', 6]);
    expect(r.batches).toEqual([[1, 2, 3], [1], [2], [3]]);
  });
});
