import {
  articleStatesByIds,
  countArticles,
  countRoundTrips,
  feedArticleRows,
  listArticleRows,
  listArticles,
  profilesByIds,
} from '../src';
import { hotQueryContext } from '../src/lessons/hot-queries';
import { seedDatabase } from '../src/seed/seed';
import { useMigratedDatabase } from './support/database';

let viewerId: number;
const db = useMigratedDatabase('batches');
beforeAll(async () => {
  await seedDatabase(db.pool, { scale: 0.05 });
  viewerId = (await hotQueryContext(db.pool)).viewerId;
}, 60_000);

test('when a page of rows is completed by the batch queries, then it equals listArticles in 3 round trips', async () => {
  const counted = countRoundTrips(db.pool);
  const rows = await listArticleRows(counted.db, {}, { limit: 20, offset: 0 });
  const [profiles, states] = await Promise.all([
    profilesByIds(counted.db, [...new Set(rows.map((row) => row.authorId))], viewerId),
    articleStatesByIds(
      counted.db,
      rows.map((row) => row.id),
      viewerId,
    ),
  ]);
  expect(counted.count()).toBe(3);

  const reference = await listArticles(db.pool, { limit: 20 }, viewerId);
  expect(
    rows.map((row) => ({
      slug: row.slug,
      author: profiles.get(row.authorId),
      ...states.get(row.id),
    })),
  ).toEqual(
    reference.articles.map((article) => ({
      slug: article.slug,
      author: article.author,
      tagList: article.tagList,
      favorited: article.favorited,
      favoritesCount: article.favoritesCount,
    })),
  );
});

test('when rows are filtered and counted, then they match listArticles with the same filter', async () => {
  const { rows } = await db.pool.query<{ name: string }>(
    `SELECT t.name FROM tags t JOIN article_tags at ON at.tag_id = t.id
      GROUP BY t.name ORDER BY count(*) DESC LIMIT 1`,
  );
  const tag = rows[0]!.name;
  const reference = await listArticles(db.pool, { tag, limit: 5, offset: 2 }, null);
  const page = await listArticleRows(db.pool, { tag }, { limit: 5, offset: 2 });
  expect(page.map((row) => row.slug)).toEqual(reference.articles.map((a) => a.slug));
  expect(await countArticles(db.pool, { tag })).toBe(reference.articlesCount);
});

test('when ids are unknown or the viewer is anonymous, then they are missing from the maps and flags are false', async () => {
  const feed = await feedArticleRows(db.pool, viewerId, { limit: 3, offset: 0 });
  expect(feed).toHaveLength(3);
  const ids = [...feed.map((row) => row.id), 2_000_000_000];
  const states = await articleStatesByIds(db.pool, ids, null);
  expect(states.has(2_000_000_000)).toBe(false);
  for (const row of feed) expect(states.get(row.id)?.favorited).toBe(false);
  const profiles = await profilesByIds(db.pool, [2_000_000_000], viewerId);
  expect(profiles.size).toBe(0);
});
