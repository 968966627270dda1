import { createTestDatabase, type TestDatabase } from '@roadmap/kit/testing';
import { StartupError } from '@roadmap/kit';
import {
  assertMigrated,
  migrate,
  migrationNames,
  pendingMigrations,
  prepareDatabase,
} from '../src';

let db: TestDatabase;
beforeAll(async () => {
  // A fresh, empty database: the state an app meets when nobody ran `pnpm db:migrate`.
  db = await createTestDatabase({ name: 'datasql_pending' });
});
afterAll(async () => {
  await db.drop();
});

test('when no migration ran, then every migration file is pending, oldest first', async () => {
  const names = migrationNames();
  expect(names.length).toBeGreaterThanOrEqual(5);
  expect(names[0]).toMatch(/^\d+_users-and-follows$/);
  expect(await pendingMigrations(db.pool)).toEqual(names);
});

test('when the last migration is rolled back, then exactly that one is pending; after up, none', async () => {
  await migrate(db.url);
  expect(await pendingMigrations(db.pool)).toEqual([]);

  await migrate(db.url, { direction: 'down', count: 1 });
  const names = migrationNames();
  expect(await pendingMigrations(db.pool)).toEqual([names[names.length - 1]]);

  await migrate(db.url);
  expect(await pendingMigrations(db.pool)).toEqual([]);
});

test('when migrations are pending, then assertMigrated throws a StartupError that says what to run', async () => {
  const empty = await createTestDatabase({ name: 'datasql_pending_empty' });
  try {
    const error: unknown = await assertMigrated(empty.pool).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toMatch(/missing \d+ migration\(s\).*db:migrate/);
    await migrate(empty.url);
    await expect(assertMigrated(empty.pool)).resolves.toBeUndefined();
  } finally {
    await empty.drop();
  }
});

describe('prepareDatabase (the start-up policy of every main.ts)', () => {
  test('when in development and the database does not exist, then it is created and fully migrated', async () => {
    // A name nobody has: prepareDatabase must create it (the admin connection comes from db.url).
    const name = `test_datasql_prepare_${process.pid}_${Date.now()}`;
    const url = new URL(db.url);
    url.pathname = `/${name}`;
    try {
      const applied = await prepareDatabase(url.toString(), 'development');
      expect(applied.map((m) => m.name)).toEqual(migrationNames());
      expect(await prepareDatabase(url.toString(), 'development')).toEqual([]);
    } finally {
      // Not WITH (FORCE): the migration runner closes its connection a moment after it
      // resolves, and a forced drop would kill it mid-goodbye (an unhandled 'error'). Wait.
      for (let i = 0; i < 100; i++) {
        const { rows } = await db.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
          [name],
        );
        if (rows[0]!.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await db.pool.query(`DROP DATABASE IF EXISTS "${name}"`);
    }
  });

  test('when in production and migrations are pending, then it refuses with one line naming the command and migrates nothing', async () => {
    const empty = await createTestDatabase({ name: 'datasql_prepare_prod' });
    try {
      const error: unknown = await prepareDatabase(empty.url, 'production').catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StartupError);
      expect((error as Error).message).not.toContain('\n');
      expect((error as Error).message).toContain('pnpm --filter @roadmap/data-sql db:migrate');
      expect(await pendingMigrations(empty.pool)).toEqual(migrationNames());
      await migrate(empty.url);
      await expect(prepareDatabase(empty.url, 'production')).resolves.toEqual([]);
    } finally {
      await empty.drop();
    }
  });
});
