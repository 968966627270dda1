// The same article list page fetched three ways, to count round trips. Used by
// n-plus-one.lesson.ts and test/n-plus-one.test.ts. Only the global list (no filters) is shown.
import type { ArticleSummary } from '../articles/articles.repository';
import { query, type Db } from '../db/pool';

interface PageRow {
  id: number;
  slug: string;
  title: string;
  description: string;
  created_at: Date;
  updated_at: Date;
  favorites_count: number;
  author_id: number;
}
interface AuthorRow {
  id: number;
  username: string;
  bio: string | null;
  image: string | null;
}

const PAGE_SQL = `SELECT id, slug, title, description, created_at, updated_at, favorites_count, author_id
                    FROM articles ORDER BY created_at DESC, id DESC LIMIT $1`;

function assemble(
  a: PageRow,
  author: AuthorRow,
  tagList: string[],
  favorited: boolean,
  following: boolean,
): ArticleSummary {
  return {
    id: a.id,
    slug: a.slug,
    title: a.title,
    description: a.description,
    tagList,
    createdAt: a.created_at,
    updatedAt: a.updated_at,
    favorited,
    favoritesCount: a.favorites_count,
    authorId: a.author_id,
    author: {
      id: author.id,
      username: author.username,
      bio: author.bio,
      image: author.image,
      following,
    },
  };
}

/**
 * The N+1 way, as an ORM with lazy relations does it: one query for the page, then for every
 * article one query each for its author, its tags, "favorited?" and "following?".
 * 20 articles → 1 + 20 × 4 = 81 round trips. Each is fast; together they add up, and every
 * one pays the network latency.
 */
export async function articlePageNaive(
  db: Db,
  viewerId: number | null,
  limit = 20,
): Promise<ArticleSummary[]> {
  const page = await query<PageRow>(db, PAGE_SQL, [limit]);
  const articles: ArticleSummary[] = [];
  for (const a of page.rows) {
    const author = await query<AuthorRow>(
      db,
      'SELECT id, username, bio, image FROM users WHERE id = $1',
      [a.author_id],
    );
    const tags = await query<{ name: string }>(
      db,
      `SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
        WHERE at.article_id = $1 ORDER BY at.position, t.name`,
      [a.id],
    );
    const favorited = await query(
      db,
      'SELECT 1 FROM favorites WHERE user_id = $1 AND article_id = $2',
      [viewerId, a.id],
    );
    const following = await query(
      db,
      'SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $2',
      [viewerId, a.author_id],
    );
    articles.push(
      assemble(
        a,
        author.rows[0]!,
        tags.rows.map((t) => t.name),
        (favorited.rowCount ?? 0) > 0,
        (following.rowCount ?? 0) > 0,
      ),
    );
  }
  return articles;
}

/**
 * The batched way (what DataLoader does for GraphQL): one query for the page, then one query
 * per *relation* for all articles at once with `= ANY($1)`, sent together. Always 5 round trips
 * (2 rounds of latency), whatever the page size.
 */
export async function articlePageBatched(
  db: Db,
  viewerId: number | null,
  limit = 20,
): Promise<ArticleSummary[]> {
  const page = await query<PageRow>(db, PAGE_SQL, [limit]);
  const ids = page.rows.map((a) => a.id);
  const authorIds = [...new Set(page.rows.map((a) => a.author_id))];
  const [authors, tags, favorites, follows] = await Promise.all([
    query<AuthorRow>(db, 'SELECT id, username, bio, image FROM users WHERE id = ANY($1::int[])', [
      authorIds,
    ]),
    query<{ article_id: number; name: string }>(
      db,
      `SELECT at.article_id, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
        WHERE at.article_id = ANY($1::int[]) ORDER BY at.article_id, at.position, t.name`,
      [ids],
    ),
    query<{ article_id: number }>(
      db,
      'SELECT article_id FROM favorites WHERE user_id = $1 AND article_id = ANY($2::int[])',
      [viewerId, ids],
    ),
    query<{ followee_id: number }>(
      db,
      'SELECT followee_id FROM follows WHERE follower_id = $1 AND followee_id = ANY($2::int[])',
      [viewerId, authorIds],
    ),
  ]);
  const authorById = new Map(authors.rows.map((u) => [u.id, u]));
  const tagsByArticle = new Map<number, string[]>();
  for (const t of tags.rows)
    tagsByArticle.set(t.article_id, [...(tagsByArticle.get(t.article_id) ?? []), t.name]);
  const favorited = new Set(favorites.rows.map((f) => f.article_id));
  const following = new Set(follows.rows.map((f) => f.followee_id));
  return page.rows.map((a) =>
    assemble(
      a,
      authorById.get(a.author_id)!,
      tagsByArticle.get(a.id) ?? [],
      favorited.has(a.id),
      following.has(a.author_id),
    ),
  );
}
