/**
 * What each server under test reports to bench/run.ts over the IPC channel: how many SQL
 * round trips it has sent and how much CPU time it has used so far. run.ts asks before and
 * after each measurement and keeps the difference.
 *
 * Why count on the connection, not on the pool: `pool.query()` checks out a client and calls
 * `client.query()`, and transactions call `client.query()` directly; wrapping the client
 * catches both paths exactly once.
 */
import type pg from 'pg';

export interface ServerStats {
  /** SQL statements sent to PostgreSQL since start. */
  queries: number;
  /** CPU time (user + system) this process has used since start, in microseconds. */
  cpuMicros: number;
}

/** `pool` null: a server without a database (the calibration) reports CPU time only. */
export function serveStatsOverIpc(pool: pg.Pool | null): void {
  let queries = 0;
  pool?.on('connect', (client) => {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    // Why the cast: pg's query() has a dozen overloads; this wrapper forwards any of them.
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (
      ...args: unknown[]
    ) => {
      queries += 1;
      return original(...args);
    };
  });
  process.on('message', (message: { type?: string }) => {
    if (message.type !== 'stats') return;
    const cpu = process.cpuUsage();
    const stats: ServerStats = { queries, cpuMicros: cpu.user + cpu.system };
    process.send?.({ type: 'stats', ...stats });
  });
}
