import { query, type Db } from '@roadmap/data-sql';

/**
 * The two queries conduit needs that no data-sql repository offers, both for the cache:
 * kept here, behind the same `query` helper (parameterized, errors mapped), so the services
 * still never touch the driver.
 */

/** On a cache hit, the viewer-dependent flags of one article: one round trip, two PK probes. */
export async function viewerFlags(
  db: Db,
  viewerId: number,
  articleId: number,
  authorId: number,
): Promise<{ favorited: boolean; following: boolean }> {
  const { rows } = await query<{ favorited: boolean; following: boolean }>(
    db,
    `SELECT EXISTS (SELECT 1 FROM favorites WHERE user_id = $1 AND article_id = $2) AS favorited,
            EXISTS (SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $3) AS following`,
    [viewerId, articleId, authorId],
  );
  return rows[0] ?? { favorited: false, following: false };
}

/** The slugs whose cached copies embed this author's profile. */
export async function slugsByAuthor(db: Db, authorId: number): Promise<string[]> {
  const { rows } = await query<{ slug: string }>(
    db,
    'SELECT slug FROM articles WHERE author_id = $1',
    [authorId],
  );
  return rows.map((row) => row.slug);
}
