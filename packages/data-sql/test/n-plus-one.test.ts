import { countRoundTrips, listArticles } from '../src';
import { hotQueryContext } from '../src/lessons/hot-queries';
import { articlePageBatched, articlePageNaive } from '../src/lessons/n-plus-one';
import { seedDatabase } from '../src/seed/seed';
import { useMigratedDatabase } from './support/database';

let viewerId: number;
const db = useMigratedDatabase('nplusone');
beforeAll(async () => {
  await seedDatabase(db.pool, { scale: 0.05 });
  viewerId = (await hotQueryContext(db.pool)).viewerId;
}, 60_000);

test('when a page of 20 is fetched three ways, then all return the same articles with 81, 5 and 2 round trips', async () => {
  const naive = countRoundTrips(db.pool);
  const batched = countRoundTrips(db.pool);
  const repository = countRoundTrips(db.pool);
  const a = await articlePageNaive(naive.db, viewerId, 20);
  const b = await articlePageBatched(batched.db, viewerId, 20);
  const c = await listArticles(repository.db, { limit: 20 }, viewerId);
  expect(a).toHaveLength(20);
  expect(b).toEqual(a);
  expect(c.articles).toEqual(a);
  expect(a.some((x) => x.favorited) || a.some((x) => x.author.following)).toBe(true);
  expect([naive.count(), batched.count(), repository.count()]).toEqual([81, 5, 2]);
});
