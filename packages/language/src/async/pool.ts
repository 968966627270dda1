/**
 * Runs `fn` over `items` with at most `limit` calls in flight, and returns the results in the
 * order of `items` — what `Promise.all(items.map(fn))` does, minus the stampede: a thousand
 * items would otherwise open a thousand connections at once.
 *
 * How: `limit` workers share one iterator; each takes the next item as soon as its last call
 * settles. The first rejection rejects the whole call (like `Promise.all`), and the workers stop
 * taking new items.
 */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError('limit must be a whole number ≥ 1');
  const results = new Array<R>(items.length);
  const next = items.entries();
  let failed = false;
  const worker = async () => {
    for (const [index, item] of next) {
      if (failed) return;
      try {
        results[index] = await fn(item, index);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Wraps an async function to count how many of its calls are in flight at once. */
export function countInFlight<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  let now = 0;
  const counted = async (...args: A): Promise<R> => {
    now++;
    counted.peak = Math.max(counted.peak, now);
    try {
      return await fn(...args);
    } finally {
      now--;
    }
  };
  counted.peak = 0;
  return counted;
}
