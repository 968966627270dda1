import type pg from 'pg';

export interface RecordedStatement {
  text: string;
  values: unknown[];
}

/**
 * Wraps a pool so every query it sends is counted and recorded: the tool of the N+1 lesson,
 * the "≤ 2 round trips" tests and the index test (which EXPLAINs the recorded statements).
 * Why Object.create: the wrapper still *is* a Pool (instanceof holds), so repository code takes
 * it unchanged; only `query` is overridden. Queries made through pool.connect() clients (inside
 * withTransaction) are not seen.
 */
export function countRoundTrips(pool: pg.Pool): {
  db: pg.Pool;
  count: () => number;
  statements: () => RecordedStatement[];
  reset: () => void;
} {
  let recorded: RecordedStatement[] = [];
  const db = Object.create(pool) as pg.Pool;
  const counted = (...args: unknown[]) => {
    const [first, second] = args;
    const text =
      typeof first === 'string' ? first : String((first as { text?: string }).text ?? '');
    recorded.push({ text, values: Array.isArray(second) ? (second as unknown[]) : [] });
    return (pool.query as (...a: unknown[]) => unknown).apply(pool, args);
  };
  db.query = counted as typeof pool.query;
  return {
    db,
    count: () => recorded.length,
    statements: () => [...recorded],
    reset: () => {
      recorded = [];
    },
  };
}
