import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '@roadmap/kit/testing';
import { migrate } from '../src';

let db: TestDatabase;
beforeAll(async () => {
  // Deliberately not from the migrated template: this file proves the migrations themselves.
  db = await createTestDatabase({ name: 'datasql_migrations' });
});
afterAll(async () => {
  await db.drop();
});

const tables = async () =>
  (
    await db.pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'pgmigrations' ORDER BY 1",
    )
  ).rows.map((r) => r.table_name);

const SCHEMA = [
  'article_tags',
  'articles',
  'comments',
  'favorites',
  'follows',
  'oauth_identities',
  'outbox',
  'refresh_token_families',
  'refresh_tokens',
  'tags',
  'users',
];

test('when migrations go up, down and up again on a fresh database, then the schema is whole each time', async () => {
  const up = await migrate(db.url);
  expect(up.length).toBeGreaterThanOrEqual(5);
  expect(await tables()).toEqual(expect.arrayContaining(SCHEMA));
  expect(await migrate(db.url)).toEqual([]);

  const down = await migrate(db.url, { direction: 'down', count: Infinity });
  expect(down.map((m) => m.name)).toEqual(up.map((m) => m.name).reverse());
  expect(await tables()).toEqual([]);
  const { rowCount } = await db.pool.query(
    "SELECT 1 FROM pg_proc WHERE proname = 'favorites_count_sync'",
  );
  expect(rowCount).toBe(0);

  expect((await migrate(db.url)).map((m) => m.name)).toEqual(up.map((m) => m.name));
  expect(await tables()).toEqual(expect.arrayContaining(SCHEMA));
});

test('when rolling back one step, then only the newest migration is undone', async () => {
  const [last] = await migrate(db.url, { direction: 'down' });
  const { rows } = await db.pool.query<{ name: string }>(
    'SELECT name FROM pgmigrations ORDER BY run_on DESC, id DESC',
  );
  expect(rows.map((r) => r.name)).not.toContain(last!.name);
  expect(await migrate(db.url)).toEqual([last]);
});

test('when db:rollback gets a --count that is not a whole number, then it stops with one line and undoes nothing', async () => {
  await migrate(db.url);
  const before = await tables();
  const cli = (...args: string[]) =>
    promisify(execFile)(
      'pnpm',
      ['exec', 'tsx', '--conditions=@roadmap/source', 'src/cli/migrate.ts', ...args],
      {
        cwd: path.resolve(__dirname, '..'),
        env: { ...process.env, DATABASE_URL: db.url, NODE_ENV: 'test', LOG_LEVEL: 'silent' },
      },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );
  for (const bad of ['abc', '0', '1.5']) {
    const { code, stderr } = await cli('down', '--count', bad);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`--count must be a positive whole number (got "${bad}").`);
  }
  expect(await tables()).toEqual(before);
}, 60_000);
