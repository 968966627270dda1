import { query, type Db } from '../db/pool';

/**
 * Names of the tags used by at least one article, alphabetically ignoring case ("Go" next to
 * "go", not after "Z"). (Tags orphaned by a deleted article stay in `tags` but are not
 * listed.) Why not "most used first": that aggregates the whole article_tags table on every
 * home page load; EXISTS probes the tag index once per tag.
 */
export async function listTags(db: Db, limit = 200): Promise<string[]> {
  const { rows } = await query<{ name: string }>(
    db,
    `SELECT t.name FROM tags t
      WHERE EXISTS (SELECT 1 FROM article_tags at WHERE at.tag_id = t.id)
      ORDER BY lower(t.name), t.name
      LIMIT $1`,
    [limit],
  );
  return rows.map((r) => r.name);
}
