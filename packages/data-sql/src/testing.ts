// @roadmap/data-sql/testing: a test database that already has the Conduit schema, for every
// package whose tests need one (data-sql, auth, conduit, rest-api, …). kit's createTestDatabase
// knows how to make an isolated database; this module is the one place that knows how to
// migrate it, so no test file copies that set-up.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@roadmap/kit/testing';
import { migrate, MIGRATIONS_DIR } from './db/migrate';
import { createPool } from './db/pool';

/** Changes whenever a migration file changes, so a stale template is never reused. */
function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR).sort()) {
    hash.update(file).update(readFileSync(path.join(MIGRATIONS_DIR, file)));
  }
  return hash.digest('hex').slice(0, 12);
}

/**
 * This test file's own database (test_<label>_<random>), copied from a template that is
 * migrated once per set of migrations. Its pool is made by createPool, so tests run with the
 * timeouts production runs with. Call drop() in afterAll.
 */
export async function createMigratedTestDatabase(label: string): Promise<TestDatabase> {
  const db = await createTestDatabase({
    name: label,
    templateKey: `conduit_${migrationsHash()}`,
    setup: async (url) => void (await migrate(url)),
  });
  const pool = createPool(db.url, { max: 5, applicationName: `test_${label}`.slice(0, 63) });
  return {
    url: db.url,
    name: db.name,
    pool,
    drop: async () => {
      await pool.end();
      await db.drop();
    },
  };
}
