import { randomBytes } from 'node:crypto';
import {
  adminUrl,
  createTestDatabase,
  databaseUrl,
  dropTestDatabase,
  type TestDatabase,
} from '@roadmap/kit/testing';
import pg from 'pg';
import { ensureDatabase, migrate, MIGRATION_LOCK_ID } from '../src';

// Fresh databases (not the migrated template): these tests are about migrating one.
let db: TestDatabase;

const appliedNames = async () =>
  (await db.pool.query<{ name: string }>('SELECT name FROM pgmigrations ORDER BY id')).rows.map(
    (r) => r.name,
  );

/** Another session holding the migration lock, as a second process that is migrating. */
async function holdLock(): Promise<{ release: () => Promise<void> }> {
  const other = new pg.Client({ connectionString: db.url });
  await other.connect();
  await other.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
  return { release: () => other.end() };
}

describe('migrations started by several processes at once', () => {
  beforeEach(async () => {
    db = await createTestDatabase({ name: 'datasql_migration_lock' });
  });
  afterEach(async () => {
    await db.drop();
  });

  it('when two start together on a fresh database, then both succeed and each migration runs once', async () => {
    // What `pnpm start` does with its apps, or two replicas of one: before, node-pg-migrate's
    // try-lock made the loser fail with "Another migration is already running".
    const [first, second] = await Promise.all([migrate(db.url), migrate(db.url)]);
    const all = [...first, ...second].map((m) => m.name);
    expect(all.length).toBeGreaterThanOrEqual(5);
    // One of them applied everything, the other found nothing left to do.
    expect([first.length, second.length].sort((a, b) => a - b)).toEqual([0, all.length]);
    expect(await appliedNames()).toEqual(all);
  }, 60_000);

  it('when another session holds the lock, then migrate waits for it instead of failing, and runs after', async () => {
    const other = await holdLock();
    let settled = false;
    const running = migrate(db.url).finally(() => (settled = true));
    // Proof that it waits: its session is blocked on the advisory lock (no sleep-and-hope).
    for (;;) {
      const { rowCount } = await db.pool.query(
        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'migrate' AND wait_event_type = 'Lock' AND wait_event = 'advisory'",
      );
      if (rowCount || settled) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(settled).toBe(false);
    expect(await appliedNames().catch(() => [])).toEqual([]);
    await other.release();
    expect((await running).length).toBeGreaterThanOrEqual(5);
  }, 60_000);

  it('when the lock is held past lockTimeoutMs, then migrate gives up with a clear error and applies nothing', async () => {
    const other = await holdLock();
    try {
      await expect(migrate(db.url, { lockTimeoutMs: 200 })).rejects.toThrow(
        'another process has been migrating this database for over 200 ms',
      );
    } finally {
      await other.release();
    }
    const { rowCount } = await db.pool.query("SELECT 1 FROM pg_tables WHERE tablename = 'users'");
    expect(rowCount).toBe(0);
  }, 60_000);
});

describe('a database created by several processes at once', () => {
  it('when six create the same missing database together, then all succeed and exactly one created it', async () => {
    // Before: PostgreSQL answers the losers of that race with 23505 (pg_database's unique
    // name index), not only 42P04, and five of six failed.
    const name = `test_datasql_create_race_${randomBytes(4).toString('hex')}`;
    const url = databaseUrl(adminUrl(), name);
    try {
      const results = await Promise.all(Array.from({ length: 6 }, () => ensureDatabase(url)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.end();
    } finally {
      await dropTestDatabase(name);
    }
  }, 60_000);
});
