import {
  concurrentFavorites,
  favoritesCountMismatches,
  naiveCounter,
} from '../src/lessons/normalization';
import { useMigratedDatabase } from './support/database';

const db = useMigratedDatabase('normalization');

test('when 30 users favorite one article concurrently and half unfavorite, then favorites_count equals the rows', async () => {
  const result = await concurrentFavorites(db.pool, 30, 'norm');
  expect(result).toEqual({ stored: 15, real: 15, expected: 15 });
  expect(await favoritesCountMismatches(db.pool)).toBe(0);
});

test('when a counter is kept by read-then-write in the application, then concurrent writers lose updates', async () => {
  // The contrast that motivates the trigger: the same kind of concurrency breaks the naive way.
  expect(await naiveCounter(db.pool, 10)).toBeLessThan(10);
});
