/**
 * `work`, or a rejection with `message` once `ms` have passed, whichever comes first. The timer
 * is cleared as soon as the work settles (left running, it would keep the work's result alive
 * until it fired) and never holds the process open.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, message = 'timeout'): Promise<T> {
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
