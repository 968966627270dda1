// `pnpm --filter @roadmap/data-nosql lesson:leaderboard`
// Most-favorited articles in a sorted set: 10,000 favorite events, then the top 5 and a rank.
import { runMain } from '@roadmap/kit';
import { FavoritesLeaderboard } from '../../redis/leaderboard';
import { random } from '../../seed/seed';
import { openLessonRedis, print } from './lesson-redis';

runMain(async () => {
  const lesson = await openLessonRedis('leaderboard');
  try {
    const board = new FavoritesLeaderboard(lesson.redis, lesson.prefix);
    const rand = random(7);
    const started = performance.now();
    const pipeline = lesson.redis.pipeline();
    for (let i = 0; i < 10_000; i++) {
      // Skewed popularity: a few articles get most favorites.
      const n = Math.floor(rand() * rand() * 1_000);
      pipeline.zincrby(`${lesson.prefix}leaderboard:favorites`, 1, `article-${n}`);
    }
    await pipeline.exec();
    const loaded = performance.now() - started;
    const t0 = performance.now();
    const top = await board.top(5);
    const topMs = performance.now() - t0;
    print(`10,000 favorites over 1,000 articles, ZINCRBY in one pipeline: ${loaded.toFixed(1)} ms`);
    print(`Top 5 (ZRANGE … REV WITHSCORES, ${topMs.toFixed(2)} ms):`);
    for (const e of top)
      print(`  ${String(e.rank).padStart(2)}. ${e.slug.padEnd(12)} ${e.favorites}`);
    print(`Rank of article-500: ${await board.rankOf('article-500')} (ZREVRANK, O(log n))`);
  } finally {
    await lesson.close();
  }
});
