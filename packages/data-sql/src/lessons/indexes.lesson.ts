// `pnpm --filter @roadmap/data-sql lesson:indexes [--scale N]`
// Seeds the lesson database, then shows each hot query's plan and time with its index, and
// again with the index dropped (inside a transaction that is rolled back, so nothing is lost).
import { runMain } from '@roadmap/kit';
import type pg from 'pg';
import { numberFlag } from '../cli/args';
import { withTransaction } from '../db/transaction';
import { HOT_QUERIES, hotQueryContext, indexesUsed, statementsOf } from './hot-queries';
import { ms, openLessonDatabase, print } from './lesson-db';

interface Explained {
  text: string;
  executionMs: number;
}

async function explain(client: pg.PoolClient, text: string, values: unknown[]): Promise<Explained> {
  // Run twice and keep the second: the first run also pays for reading pages into the cache.
  await client.query(`EXPLAIN (ANALYZE) ${text}`, values);
  const { rows } = await client.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, COSTS OFF) ${text}`,
    values,
  );
  const lines = rows.map((r) => r['QUERY PLAN']);
  const execution = lines.find((l) => l.startsWith('Execution Time'));
  return {
    text: lines.join('\n'),
    executionMs: Number(/([\d.]+) ms/.exec(execution ?? '')?.[1] ?? NaN),
  };
}

/** DROP INDEX, or DROP CONSTRAINT when the index belongs to a primary key / unique constraint. */
async function dropIndex(client: pg.PoolClient, index: string): Promise<void> {
  const owner = await client.query<{ tbl: string }>(
    "SELECT conrelid::regclass::text AS tbl FROM pg_constraint WHERE conname = $1 AND contype IN ('p', 'u')",
    [index],
  );
  if (owner.rows[0])
    await client.query(`ALTER TABLE ${owner.rows[0].tbl} DROP CONSTRAINT ${index}`);
  else await client.query(`DROP INDEX ${index}`);
}

const indent = (text: string) => text.replace(/^/gm, '    ');

runMain(async () => {
  const scale = numberFlag('scale', 2);
  print(`Seeding the lesson database at scale ${scale}…`);
  const lesson = await openLessonDatabase({ scale });
  print(`${lesson.seeded!.totalRows} rows loaded (${lesson.seeded!.rows.articles} articles).\n`);
  const summary: [string, string, string, string][] = [];
  try {
    const ctx = await hotQueryContext(lesson.pool);
    for (const hot of HOT_QUERIES) {
      const statements = await statementsOf(lesson.pool, hot, ctx);
      // The statement whose plan uses the index (list queries send a page and a count).
      let target = statements[0]!;
      for (const s of statements)
        if ((await indexesUsed(lesson.pool, [s])).includes(hot.index)) target = s;
      print(`=== ${hot.name} — index ${hot.index}`);
      print(`    why: ${hot.why}`);
      const withIndex = await withTransaction(lesson.pool, (c) =>
        explain(c, target.text, target.values),
      );
      print(`--- with the index:\n${indent(withIndex.text)}`);
      let without: Explained | undefined;
      await withTransaction(lesson.pool, async (client) => {
        await dropIndex(client, hot.index);
        without = await explain(client, target.text, target.values);
        throw new RollbackSignal();
      }).catch((err: unknown) => {
        if (!(err instanceof RollbackSignal)) throw err;
      });
      print(`--- without it:\n${indent(without!.text)}\n`);
      summary.push([hot.name, hot.index, ms(withIndex.executionMs), ms(without!.executionMs)]);
    }
  } finally {
    await lesson.close();
  }
  print('Summary (execution time of the statement that uses the index):');
  print(
    `${'query'.padEnd(42)} ${'index'.padEnd(32)} ${'with'.padStart(10)} ${'without'.padStart(10)}`,
  );
  for (const [name, index, a, b] of summary)
    print(`${name.padEnd(42)} ${index.padEnd(32)} ${a.padStart(10)} ${b.padStart(10)}`);
});

/** Thrown to end a transaction with ROLLBACK on purpose. */
class RollbackSignal extends Error {}
