import path from 'node:path';
import { runner } from 'node-pg-migrate';

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
}

/**
 * Applies (or rolls back) the migrations in MIGRATIONS_DIR. node-pg-migrate records what ran
 * in the `pgmigrations` table and takes an advisory lock, so two processes starting at once
 * (two app replicas) cannot both run the same migration.
 */
export async function migrate(url: string, opts: MigrateOptions = {}): Promise<AppliedMigration[]> {
  const direction = opts.direction ?? 'up';
  const log = opts.log ?? (() => undefined);
  const applied = await runner({
    databaseUrl: url,
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
}
