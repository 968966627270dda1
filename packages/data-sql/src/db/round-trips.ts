import type pg from 'pg';

/**
 * Wraps a pool so every query it sends is counted: the tool of the N+1 lesson and of the
 * "≤ 2 round trips" tests. Why Object.create: the wrapper still *is* a Pool (instanceof holds),
 * so repository code takes it unchanged; only `query` is overridden.
 */
export function countRoundTrips(pool: pg.Pool): { db: pg.Pool; count: () => number; reset: () => void } {
  let n = 0;
  const db = Object.create(pool) as pg.Pool;
  const counted = (...args: unknown[]) => {
    n += 1;
    return (pool.query as (...a: unknown[]) => unknown).apply(pool, args);
  };
  db.query = counted as typeof pool.query;
  return {
    db,
    count: () => n,
    reset: () => {
      n = 0;
    },
  };
}
