import type pg from 'pg';
import { mapPgError } from './errors';
import { isPool, type Db } from './pool';

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

export interface TransactionOptions {
  /** Default READ COMMITTED (PostgreSQL's default). */
  isolationLevel?: IsolationLevel;
  /**
   * Re-run fn this many times when PostgreSQL aborts it with a serialization failure (40001)
   * or a deadlock (40P01). Under REPEATABLE READ / SERIALIZABLE such aborts are the expected
   * way a race is reported, and retrying is the documented answer. Default 0.
   */
  retries?: number;
  readOnly?: boolean;
}

const RETRYABLE = new Set(['40001', '40P01']);

function sqlState(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const direct = (err as { code?: unknown }).code;
  // SQLSTATEs are five characters; an AppError's code ('concurrent_update') is not one.
  if (typeof direct === 'string' && /^[0-9A-Z]{5}$/.test(direct)) return direct;
  // mapPgError keeps the driver error as the cause.
  return sqlState((err as { cause?: unknown }).cause);
}

/**
 * Runs fn inside BEGIN … COMMIT on one client. Any throw rolls everything back, so a
 * multi-step write is all or nothing. fn must use the client it is given, not the pool:
 * a query on the pool would run on another connection, outside the transaction.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  opts: TransactionOptions = {},
): Promise<T> {
  const isolation = opts.isolationLevel ?? 'READ COMMITTED';
  const retries = opts.retries ?? 0;
  // Why map our own statements' errors: a lost database at connect time, or a serialization
  // failure that PostgreSQL reports only at COMMIT, must reach the caller as the same AppError
  // (503 db_unavailable, 409 concurrent_update) a repository query would have thrown, not as
  // a raw driver error that the HTTP layer can only call a 500. Errors from fn pass unchanged.
  const own = async <R>(step: () => Promise<R>): Promise<R> => {
    try {
      return await step();
    } catch (err) {
      throw mapPgError(err);
    }
  };
  for (let attempt = 0; ; attempt++) {
    const client = await own(() => pool.connect());
    let broken: Error | undefined;
    try {
      await own(() =>
        client.query(`BEGIN ISOLATION LEVEL ${isolation}${opts.readOnly ? ' READ ONLY' : ''}`),
      );
      const result = await fn(client);
      await own(() => client.query('COMMIT'));
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // Why: a connection that cannot even roll back is broken; releasing it with an error
        // makes the pool destroy it instead of handing it to the next caller mid-transaction.
        broken = rollbackError as Error;
      }
      if (attempt < retries && RETRYABLE.has(sqlState(err) ?? '')) continue;
      throw err;
    } finally {
      client.release(broken);
    }
  }
}

/**
 * For repository functions that write several rows: given the pool, open a transaction; given
 * a client, the caller already owns one (e.g. a service's withTransaction), so join it.
 */
export async function inTransaction<T>(
  db: Db,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return isPool(db) ? withTransaction(db, fn) : fn(db);
}
