// `pnpm --filter @roadmap/data-sql bench [--scale 10] [--runs 300]`
// Seeds the bench database (`conduit_bench`), then measures: seeding rows/s; p50/p95 and round
// trips of each hot query; the list page with the capped vs the exact count; and named
// (prepared) vs unnamed statements for a point read. Prints markdown tables for the README.
import { runMain } from '@roadmap/kit';
import type pg from 'pg';
import { listArticles } from '../articles/articles.repository';
import { DEFAULT_DATABASE_URL, loadDataSqlConfig } from '../config';
import { ensureDatabase } from '../db/ensure-database';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { countRoundTrips } from '../db/round-trips';
import { HOT_QUERIES, hotQueryContext, type HotQueryContext } from '../lessons/hot-queries';
import { seedDatabase } from '../seed/seed';
import { numberFlag } from './args';

const print = (line = '') => process.stdout.write(`${line}\n`);
const fmt = (ms: number) => ms.toFixed(2);

async function timings(
  runs: number,
  fn: () => Promise<unknown>,
): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < Math.min(30, runs); i++) await fn(); // warm caches and plans
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(runs * 0.5)]!, p95: samples[Math.floor(runs * 0.95)]! };
}

/** Point reads per second on one connection, with or without a statement name. */
async function pointReads(
  client: pg.PoolClient,
  ctx: HotQueryContext,
  named: boolean,
  seconds: number,
): Promise<number> {
  const text = `SELECT a.id, a.slug, a.title, a.favorites_count, u.username
                  FROM articles a JOIN users u ON u.id = a.author_id WHERE a.slug = $1`;
  const config = (slug: string) =>
    named ? { name: 'bench-article-by-slug', text, values: [slug] } : { text, values: [slug] };
  const until = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < until) {
    await client.query(config(ctx.slug));
    n += 1;
  }
  return n / seconds;
}

runMain(async () => {
  const config = loadDataSqlConfig();
  const scale = numberFlag('scale', 10);
  const runs = numberFlag('runs', 300);
  const url = new URL(config.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  url.pathname = '/conduit_bench';
  await ensureDatabase(url.toString());
  await migrate(url.toString());
  const pool = createPool(url.toString(), {
    statementTimeoutMs: 600_000,
    applicationName: 'data-sql-bench',
    max: 4,
  });
  try {
    print(`## Bench (scale ${scale}, ${runs} runs per query, node ${process.version})\n`);
    const seeded = await seedDatabase(pool, { scale });
    await pool.query('VACUUM ANALYZE');
    print('| table | rows |\n|---|---:|');
    for (const [table, n] of Object.entries(seeded.rows))
      print(`| ${table} | ${n.toLocaleString('en')} |`);
    print(
      `\nSeeding: ${seeded.totalRows.toLocaleString('en')} rows in ${(seeded.ms / 1000).toFixed(1)} s = ` +
        `**${seeded.rowsPerSecond.toLocaleString('en')} rows/s**\n`,
    );

    const ctx = await hotQueryContext(pool);
    print('| hot query | round trips | p50 ms | p95 ms |\n|---|---:|---:|---:|');
    const trips = new Map<string, number>();
    for (const hot of HOT_QUERIES) {
      const counter = countRoundTrips(pool);
      await hot.run(counter.db, ctx);
      trips.set(hot.name, counter.count());
      const t = await timings(runs, () => hot.run(pool, ctx));
      print(`| ${hot.name} | ${counter.count()} | ${fmt(t.p50)} | ${fmt(t.p95)} |`);
    }
    const exact = await timings(runs, () =>
      listArticles(pool, { limit: 20, countCap: null }, ctx.viewerId),
    );
    const exactTag = await timings(runs, () =>
      listArticles(pool, { tag: ctx.tag, limit: 20, countCap: null }, ctx.viewerId),
    );
    print(`| article list page, exact count(*) | 2 | ${fmt(exact.p50)} | ${fmt(exact.p95)} |`);
    print(
      `| article list by tag, exact count(*) | 2 | ${fmt(exactTag.p50)} | ${fmt(exactTag.p95)} |`,
    );

    // The same hot queries with createPool({ preparedStatements: true }).
    const prepared = createPool(url.toString(), {
      max: 4,
      preparedStatements: true,
      applicationName: 'data-sql-bench',
    });
    try {
      print('\nWith `preparedStatements: true` (named statements):\n');
      print('| hot query | round trips | p50 ms | p95 ms |\n|---|---:|---:|---:|');
      for (const hot of HOT_QUERIES) {
        const t = await timings(runs, () => hot.run(prepared, ctx));
        print(`| ${hot.name} | ${trips.get(hot.name)} | ${fmt(t.p50)} | ${fmt(t.p95)} |`);
      }
    } finally {
      await prepared.end();
    }

    const client = await pool.connect();
    try {
      const unnamed = await pointReads(client, ctx, false, 3);
      const named = await pointReads(client, ctx, true, 3);
      print('\n| point read (article by slug, one connection) | queries/s |\n|---|---:|');
      print(`| unnamed (parse + plan every time) | ${Math.round(unnamed).toLocaleString('en')} |`);
      print(`| named (prepared once per connection) | ${Math.round(named).toLocaleString('en')} |`);
      print(`\nnamed / unnamed = ${(named / unnamed).toFixed(2)}×`);
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
});
