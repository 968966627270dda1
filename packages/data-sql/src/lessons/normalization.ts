// The one denormalization (articles.favorites_count) under concurrent writers: why a naive
// read-modify-write loses updates, and why the trigger-maintained count does not.
// Used by normalization.lesson.ts and test/normalization.test.ts.
import type pg from 'pg';
import { createArticle, favoriteArticle, unfavoriteArticle } from '../articles/articles.repository';
import { query } from '../db/pool';
import { withTransaction } from '../db/transaction';
import { insertUser } from '../users/users.repository';

/** The invariant: every article's stored count equals its number of favorites rows. */
export async function favoritesCountMismatches(db: pg.Pool): Promise<number> {
  const { rows } = await query<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM articles a
      WHERE a.favorites_count <> (SELECT count(*) FROM favorites f WHERE f.article_id = a.id)`,
  );
  return rows[0]!.n;
}

/**
 * n users favorite one article at the same time, and half of them unfavorite again, all
 * through the repository. Returns the stored count and the real count.
 */
export async function concurrentFavorites(pool: pg.Pool, n: number, label: string) {
  const users = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      insertUser(pool, {
        email: `${label}-${i}@example.com`,
        username: `${label}_${i}`,
        passwordHash: null,
      }),
    ),
  );
  const article = await createArticle(pool, users[0]!.id, {
    title: `${label} popular`,
    description: 'd',
    body: 'b',
  });
  await Promise.all(users.map((u) => favoriteArticle(pool, u.id, article.slug)));
  await Promise.all(
    users.filter((_, i) => i % 2 === 0).map((u) => unfavoriteArticle(pool, u.id, article.slug)),
  );
  const { rows } = await query<{ stored: number; real: number }>(
    pool,
    `SELECT favorites_count AS stored, (SELECT count(*)::int FROM favorites WHERE article_id = $1) AS real
       FROM articles WHERE id = $1`,
    [article.id],
  );
  return { ...rows[0]!, expected: n - Math.ceil(n / 2) };
}

/** The mistake the trigger avoids: read the count, add one in the application, write it back. */
export async function naiveCounter(pool: pg.Pool, writers: number): Promise<number> {
  await pool.query(
    'CREATE TABLE IF NOT EXISTS lesson_naive_counter (id int PRIMARY KEY, n int NOT NULL)',
  );
  await pool.query(
    'INSERT INTO lesson_naive_counter VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET n = 0',
  );
  await Promise.all(
    Array.from({ length: writers }, () =>
      withTransaction(pool, async (client) => {
        const { rows } = await client.query<{ n: number }>(
          'SELECT n FROM lesson_naive_counter WHERE id = 1',
        );
        // Between this read and the write below, other writers read the same old value.
        await new Promise((resolve) => setTimeout(resolve, 5));
        await client.query('UPDATE lesson_naive_counter SET n = $1 WHERE id = 1', [rows[0]!.n + 1]);
      }),
    ),
  );
  const { rows } = await pool.query<{ n: number }>(
    'SELECT n FROM lesson_naive_counter WHERE id = 1',
  );
  await pool.query('DROP TABLE lesson_naive_counter');
  return rows[0]!.n;
}
