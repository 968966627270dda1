/**
 * Counts SQL round trips: every `query` a pooled connection sends to PostgreSQL.
 *
 * Why count on the connection, not on the pool: `pool.query()` checks out a client and calls
 * `client.query()`, and transactions call `client.query()` directly; wrapping the client
 * catches both paths exactly once.
 */
import type pg from 'pg';

export interface QueryCounter {
  readonly count: number;
  reset(): void;
  /** Answers `{ type: 'queries' }` and `{ type: 'reset' }` messages from bench/run.ts. */
  answerOverIpc(): void;
}

export function countQueries(pool: pg.Pool): QueryCounter {
  let count = 0;
  pool.on('connect', (client) => {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    // Why the cast: pg's query() has a dozen overloads; this wrapper forwards any of them.
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (
      ...args: unknown[]
    ) => {
      count += 1;
      return original(...args);
    };
  });
  return {
    get count() {
      return count;
    },
    reset() {
      count = 0;
    },
    answerOverIpc() {
      process.on('message', (message: { type?: string }) => {
        if (message.type === 'reset') count = 0;
        if (message.type === 'queries' || message.type === 'reset')
          process.send?.({ type: 'queries', count });
      });
    },
  };
}
