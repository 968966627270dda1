import path from 'node:path';
import { runner } from 'node-pg-migrate';
import pg from 'pg';

export interface AppliedMigration {
  name: string;
}

/** The SQL migration files, versioned by their numeric prefix. */
export const MIGRATIONS_DIR = path.resolve(__dirname, '../../migrations');

export interface MigrateOptions {
  direction?: 'up' | 'down';
  /** How many migrations to apply (up: default all) or undo (down: default 1). */
  count?: number;
  /** Print each migration as it runs (the CLI does; tests do not). */
  log?: (message: string) => void;
  /**
   * Another service's own migrations (default: Conduit's MIGRATIONS_DIR). Why: a service with a
   * database of its own (notifications) reuses this runner without touching Conduit's schema.
   */
  dir?: string;
  /** Where applied migrations are recorded (default `pgmigrations`). */
  migrationsTable?: string;
  /** How long to wait while another process migrates the same database (default 60 000). */
  lockTimeoutMs?: number;
}

/**
 * Which advisory lock serialises migrations: one number per database (advisory locks are
 * per database), the same one node-pg-migrate uses, so its CLI and this function exclude each
 * other too.
 */
export const MIGRATION_LOCK_ID = '7241865325823964';

/**
 * Applies (or rolls back) the migrations in MIGRATIONS_DIR, recorded in the `pgmigrations`
 * table. Two processes starting at once (two app replicas, or `pnpm start`'s apps) take turns:
 * the second waits on an advisory lock while the first migrates, then finds nothing left to do.
 * Why our lock, not node-pg-migrate's: its lock is a try-lock, and the process that loses the
 * race stops with "Another migration is already running", though there was nothing to run.
 */
export async function migrate(url: string, opts: MigrateOptions = {}): Promise<AppliedMigration[]> {
  const direction = opts.direction ?? 'up';
  const log = opts.log ?? (() => undefined);
  const client = new pg.Client({ connectionString: url, application_name: 'migrate' });
  // A connection lost mid-way fails the query in progress; without a listener it would also
  // be an uncaught 'error' event.
  client.on('error', () => undefined);
  await client.connect();
  try {
    // Another process's migrations get lockTimeoutMs to finish: one that takes longer is a
    // deployment step of its own, not something to wait for at start-up.
    const waitMs = opts.lockTimeoutMs ?? 60_000;
    // (At least 1 ms: PostgreSQL reads 0 as "wait forever".)
    await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(waitMs))}`);
    await client
      .query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID])
      .catch((error: unknown) => {
        throw (error as { code?: string }).code === '55P03' // lock_not_available
          ? new Error(`another process has been migrating this database for over ${waitMs} ms`)
          : error;
      });
    await client.query('SET lock_timeout = DEFAULT');
    const applied = await runner({
      dbClient: client,
      // The lock is already ours, held by this connection until it ends.
      noLock: true,
      dir: opts.dir ?? MIGRATIONS_DIR,
      migrationsTable: opts.migrationsTable ?? 'pgmigrations',
      direction,
      count: opts.count ?? (direction === 'up' ? Infinity : 1),
      // Why one transaction for all pending files: a failure in the third file leaves the
      // database exactly at the version it started from, never half-migrated.
      singleTransaction: true,
      checkOrder: true,
      logger: { debug: log, info: log, warn: log, error: log },
    });
    return applied.map((m) => ({ name: m.name }));
  } finally {
    // Ending the session releases its advisory lock.
    await client.end();
  }
}
