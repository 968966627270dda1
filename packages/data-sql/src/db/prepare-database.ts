import pg from 'pg';
import { ensureDatabase } from './ensure-database';
import { migrate, type AppliedMigration } from './migrate';
import { assertMigrated } from './pending-migrations';

/**
 * The one start-up policy every app's main.ts follows for its database.
 * - development and test: create the database if it is missing and apply pending migrations,
 *   so a newcomer's first `pnpm start` works on an empty server.
 * - production: change nothing, and refuse to start while a migration is pending, with one
 *   line naming the command. Why: a schema change is a deliberate deploy step that runs once,
 *   not a side effect of whichever replica happens to restart first.
 */
export async function prepareDatabase(
  url: string,
  nodeEnv: 'development' | 'test' | 'production',
): Promise<AppliedMigration[]> {
  if (nodeEnv !== 'production') {
    await ensureDatabase(url);
    return migrate(url);
  }
  const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 5_000 });
  try {
    await assertMigrated(pool);
    return [];
  } finally {
    await pool.end();
  }
}
