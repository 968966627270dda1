import type pg from 'pg';

/**
 * Fills the bench database in a few set-based statements (generate_series), so seeding takes
 * seconds even at larger scales. Scale 1 = 1,000 users, 10,000 articles with 3 of 100 tags
 * each, 50,000 favorites and 10,000 follows.
 */
export async function seedBenchData(pool: pg.Pool, scale: number): Promise<string> {
  const users = 1_000 * scale;
  const articles = 10_000 * scale;
  const favorites = 50_000 * scale;
  const follows = 10_000 * scale;
  await pool.query(
    `INSERT INTO users (id, email, username, bio)
     SELECT i, 'user' || i || '@bench.example', 'user' || i, 'Bio of user ' || i
       FROM generate_series(1, $1::int) AS i`,
    [users],
  );
  await pool.query(`INSERT INTO tags (id, name) SELECT i, 'tag' || i FROM generate_series(1, 100) AS i`);
  await pool.query(
    `INSERT INTO articles (id, slug, title, description, body, author_id, created_at, updated_at)
     SELECT i, 'article-' || i, 'Article ' || i, 'What article ' || i || ' is about',
            repeat('Body of article ' || i || '. ', 40), 1 + (i * 7919) % $2::int,
            now() - make_interval(secs => $1::int - i), now() - make_interval(secs => $1::int - i)
       FROM generate_series(1, $1::int) AS i`,
    [articles, users],
  );
  await pool.query(
    `INSERT INTO article_tags (article_id, tag_id, position)
     SELECT a, 1 + (a * k * 31) % 100, k FROM generate_series(1, $1::int) AS a, generate_series(0, 2) AS k
     ON CONFLICT DO NOTHING`,
    [articles],
  );
  // Skewed on purpose: low article ids collect most favorites, like real popularity.
  await pool.query(
    `INSERT INTO favorites (user_id, article_id)
     SELECT 1 + (i::bigint * 104729) % $2::int, 1 + floor(power(random(), 3) * $3::int)::int
       FROM generate_series(1, $1::int) AS i
     ON CONFLICT DO NOTHING`,
    [favorites, users, articles],
  );
  await pool.query(
    `INSERT INTO follows (follower_id, followee_id)
     SELECT 1 + (i * 7) % $2::int, 1 + (i * 13 + 1) % $2::int FROM generate_series(1, $1::int) AS i
     WHERE (i * 7) % $2::int <> (i * 13 + 1) % $2::int
     ON CONFLICT DO NOTHING`,
    [follows, users],
  );
  // Why: explicit ids leave the identity sequences at 1; the bench registers a user later.
  for (const table of ['users', 'tags', 'articles']) {
    await pool.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
  }
  await pool.query('ANALYZE');
  return `${users} users, ${articles} articles, ${favorites} favorites (before dedup), ${follows} follows`;
}
