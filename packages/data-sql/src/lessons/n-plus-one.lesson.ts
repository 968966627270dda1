// `pnpm --filter @roadmap/data-sql lesson:n-plus-one [--scale N]`
// One article list page, fetched naively (N+1), batched with = ANY($1), and as the repository
// does it (one query with joins and subqueries, plus the count): round trips and time.
import { runMain } from '@roadmap/kit';
import { listArticles } from '../articles/articles.repository';
import { numberFlag } from '../cli/args';
import { countRoundTrips } from '../db/round-trips';
import { hotQueryContext } from './hot-queries';
import { ms, openLessonDatabase, print } from './lesson-db';
import { articlePageBatched, articlePageNaive } from './n-plus-one';

runMain(async () => {
  const lesson = await openLessonDatabase({ scale: numberFlag('scale', 0.5) });
  try {
    const { viewerId } = await hotQueryContext(lesson.pool);
    const ways: [string, (db: typeof lesson.pool) => Promise<unknown>][] = [
      ['naive (N+1)', (db) => articlePageNaive(db, viewerId, 20)],
      ['batched (= ANY)', (db) => articlePageBatched(db, viewerId, 20)],
      ['repository (1 query + count)', (db) => listArticles(db, { limit: 20 }, viewerId)],
    ];
    print(`${'way'.padEnd(30)} ${'round trips'.padStart(12)} ${'p50 time'.padStart(12)}`);
    for (const [name, run] of ways) {
      const counter = countRoundTrips(lesson.pool);
      await run(counter.db);
      const trips = counter.count();
      const times: number[] = [];
      for (let i = 0; i < 30; i++) {
        const started = performance.now();
        await run(lesson.pool);
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      print(`${name.padEnd(30)} ${String(trips).padStart(12)} ${ms(times[15]!).padStart(12)}`);
    }
    print(
      '\nEvery round trip pays the client–server latency once: small on localhost, 0.5–1 ms across a',
    );
    print(
      'network or cloud zone. The naive way multiplies it by the page size; the other two do not.',
    );
  } finally {
    await lesson.close();
  }
});
