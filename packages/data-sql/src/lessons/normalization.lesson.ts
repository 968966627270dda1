// `pnpm --filter @roadmap/data-sql lesson:normalization`
import { runMain } from '@roadmap/kit';
import { openLessonDatabase, print } from './lesson-db';
import { concurrentFavorites, favoritesCountMismatches, naiveCounter } from './normalization';

runMain(async () => {
  const lesson = await openLessonDatabase();
  try {
    const label = `norm${Date.now().toString(36)}`;
    print('1. Naive counter: 20 concurrent transactions each read n, then write n + 1.');
    const naive = await naiveCounter(lesson.pool, 20);
    print(`   final n = ${naive} (expected 20): ${20 - naive} increments were lost.\n`);
    print('2. favorites_count: 40 users favorite one article at once, then 20 of them unfavorite.');
    const result = await concurrentFavorites(lesson.pool, 40, label);
    print(
      `   stored favorites_count = ${result.stored}, rows in favorites = ${result.real}, expected ${result.expected}.`,
    );
    print(
      '   The trigger runs "SET favorites_count = favorites_count + 1" inside each writer\'s transaction;',
    );
    print('   the row lock makes concurrent increments queue, so none is lost.\n');
    print(
      `3. Invariant over the whole database: ${await favoritesCountMismatches(lesson.pool)} articles whose count is wrong.`,
    );
  } finally {
    await lesson.close();
  }
});
