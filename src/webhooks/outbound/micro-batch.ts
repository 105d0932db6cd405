/**
 * Gathers concurrent calls into one: items asked for in the same turn of the event loop, and
 * those that arrive while `inFlight` batches are already running, go to `run` together (at most
 * `max` at a time), so fifty delivery jobs cost one database round trip instead of fifty. Nothing
 * waits on a timer: a lone call runs at the next turn, and batches grow only while the database
 * is busy. `run` answers item by item, in order.
 *
 * When a batch fails, its items are tried again one by one, so one bad item (say, a value the
 * database refuses) fails alone instead of taking its neighbours with it.
 */
export function microBatch<I, O>(run: (items: I[]) => Promise<O[]>, opts: { max: number; inFlight: number }): (item: I) => Promise<O> {
  const waiting: Array<{ item: I; resolve: (o: O) => void; reject: (err: unknown) => void }> = [];
  let running = 0;
  let scheduled = false;

  async function runBatch(batch: typeof waiting): Promise<void> {
    try {
      const results = await run(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (err) {
      if (batch.length === 1) batch[0]!.reject(err);
      else await Promise.all(batch.map((w) => runBatch([w])));
    }
  }

  function flush(): void {
    scheduled = false;
    while (running < opts.inFlight && waiting.length) {
      const batch = waiting.splice(0, opts.max);
      running++;
      void runBatch(batch).finally(() => {
        running--;
        flush();
      });
    }
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (!scheduled && running < opts.inFlight) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
