import { withTransaction } from '../src';
import {
  HOT_QUERIES,
  hotQueryContext,
  indexesUsed,
  statementsOf,
  type HotQueryContext,
} from '../src/lessons/hot-queries';
import { seedDatabase } from '../src/seed/seed';
import { useMigratedDatabase } from './support/database';

// The indexing lesson as a test: on a seeded database, each hot query's plan must use the
// index it was designed around. Drop or break an index (or rewrite a query so it can no longer
// use it) and this fails.
let ctx: HotQueryContext;
const db = useMigratedDatabase('indexes');
beforeAll(async () => {
  await seedDatabase(db.pool, { scale: 0.5 });
  ctx = await hotQueryContext(db.pool);
}, 120_000);

describe.each(HOT_QUERIES.map((q) => [q.name, q] as const))('%s', (_name, hot) => {
  test(`when planned on a seeded database, then it uses ${hot.index}`, async () => {
    const statements = await statementsOf(db.pool, hot, ctx);
    expect(statements.length).toBeLessThanOrEqual(2);
    expect(await indexesUsed(db.pool, statements)).toContain(hot.index);
  });
});

test('when the slug index is dropped, then the same lookup falls back to a sequential scan', async () => {
  const hot = HOT_QUERIES.find((q) => q.index === 'articles_slug_key')!;
  const statements = await statementsOf(db.pool, hot, ctx);
  await withTransaction(db.pool, async (client) => {
    await client.query('ALTER TABLE articles DROP CONSTRAINT articles_slug_key');
    const plan = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN ${statements[0]!.text}`,
      statements[0]!.values,
    );
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Seq Scan on articles/);
    // Why throw: rolling back restores the constraint; DDL is transactional in PostgreSQL.
    throw new Error('rollback');
  }).catch((err: Error) => expect(err.message).toBe('rollback'));
  expect(await indexesUsed(db.pool, statements)).toContain('articles_slug_key');
});
