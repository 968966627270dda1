import { createTestDatabase, type TestDatabase } from '@roadmap/kit/testing';
import { StartupError } from '@roadmap/kit';
import { assertMigrated, migrate, migrationNames, pendingMigrations } from '../src';

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
