import { createHash } from 'node:crypto';
import pg from 'pg';
import { logger } from '@roadmap/kit';
import { mapPgError } from './errors';

/** Anything that can run a query: the pool (autocommit) or one checked-out client (a transaction). */
export type Db = pg.Pool | pg.PoolClient;

export interface PoolOptions {
  /** Connections in the pool (default 10). */
  max?: number;
  /** The server cancels a statement running longer than this (default 5 s). */
  statementTimeoutMs?: number;
  /** Waiting for a connection (TCP connect or a free pool slot) fails after this (default 5 s). */
  connectionTimeoutMs?: number;
  /** Shown in pg_stat_activity, so a DBA can tell who holds a lock. */
  applicationName?: string;
  /**
   * Send repository SQL as named (prepared) statements: parsed and planned once per
   * connection instead of on every call (see the bench). Off by default because a name lives on
   * one server connection: behind PgBouncer in transaction mode, or on embedded PGlite's
   * multiplexed socket, a statement can reach a connection that never prepared it.
   */
  preparedStatements?: boolean;
}

/** Pools (and their clients) created with preparedStatements: true. */
const preparing = new WeakSet<object>();

/**
 * A pg Pool with every timeout set. Why each one:
 * - statement_timeout: a runaway query is cancelled by the server instead of holding a
 *   connection (and its locks) forever.
 * - query_timeout: the client gives up too, a little later. If the server or the network
 *   vanishes mid-query, no cancel can arrive, and without this the promise would never settle.
 * - connectionTimeoutMillis: a dead host or an exhausted pool is an error, not a hang.
 * - idle_in_transaction_session_timeout: a transaction forgotten by buggy code is ended
 *   instead of blocking vacuum and holding row locks.
 * - keepAlive: TCP notices a silently dropped connection.
 */
export function createPool(url: string, opts: PoolOptions = {}): pg.Pool {
  const statementTimeout = opts.statementTimeoutMs ?? 5_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: opts.connectionTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: statementTimeout,
    query_timeout: statementTimeout + 1_000,
    idle_in_transaction_session_timeout: 10_000,
    keepAlive: true,
    application_name: opts.applicationName ?? 'roadmap-data-sql',
  });
  // Why: an idle client whose server connection dies emits 'error' on the pool; unhandled,
  // that event would crash the process. The next query simply gets a fresh connection.
  if (opts.preparedStatements) {
    preparing.add(pool);
    pool.on('connect', (client) => preparing.add(client));
  }
  pool.on('error', (err) => {
    logger.warn({ err }, 'idle PostgreSQL connection failed; it was removed from the pool');
  });
  return pool;
}

export function isPool(db: Db): db is pg.Pool {
  return db instanceof pg.Pool;
}

/**
 * The one way repositories run SQL: parameterized (values never concatenated into the text)
 * and with driver errors turned into AppErrors at the boundary.
 */
export async function query<R extends pg.QueryResultRow>(
  db: Db,
  text: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  try {
    if (preparing.has(db)) {
      // The same text always gets the same name, so each connection prepares it once.
      const name = `q_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
      return await db.query<R>({ name, text, values });
    }
    return await db.query<R>(text, values);
  } catch (err) {
    throw mapPgError(err);
  }
}
