import { readdirSync } from 'node:fs';
import { MIGRATIONS_DIR } from './migrate';
import { StartupError } from '@roadmap/kit';
import type { Db } from './pool';

/** The migration names (file names without extension) in MIGRATIONS_DIR, oldest first. */
export function migrationNames(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((file) => /^\d+_.+\.(sql|js|ts)$/.test(file))
    .map((file) => file.replace(/\.(sql|js|ts)$/, ''))
    .sort();
}

/**
 * The migrations not yet applied to this database, oldest first ([] when it is up to date).
 *
 * Why apps call this at start-up: without it, an app pointed at an empty database starts,
 * answers /readyz with 200 (SELECT 1 works), and fails every request with "relation does not
 * exist". Refusing to start with one line that says `pnpm db:migrate` is kinder.
 */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const { rows: exists } = await db.query<{ table: string | null }>(
    `SELECT to_regclass('pgmigrations')::text AS table`,
  );
  const applied = new Set<string>();
  if (exists[0]?.table) {
    const { rows } = await db.query<{ name: string }>('SELECT name FROM pgmigrations');
    for (const row of rows) applied.add(row.name);
  }
  return migrationNames().filter((name) => !applied.has(name));
}

/** Start-up check for apps: throws StartupError (one line, what to run) when migrations are pending. */
export async function assertMigrated(db: Db): Promise<void> {
  const pending = await pendingMigrations(db);
  if (pending.length === 0) return;
  const { rows } = await db.query<{ name: string }>('SELECT current_database() AS name');
  throw new StartupError(
    `database "${rows[0]?.name ?? '?'}" is missing ${pending.length} migration(s), starting with ${pending[0]}: ` +
      'run `pnpm --filter @roadmap/data-sql db:migrate` (pnpm start runs them for you)',
  );
}
