import { AppError } from '@roadmap/kit';
import type pg from 'pg';
import { query, type Db } from '../db/pool';
import { inTransaction } from '../db/transaction';
import { toProfile, type Profile } from '../profiles/profiles.repository';
import { slugify, slugWithSuffix } from './slug';

export interface Article {
  id: number;
  slug: string;
  title: string;
  description: string;
  body: string;
  tagList: string[];
  createdAt: Date;
  updatedAt: Date;
  /** Relative to the viewer; false when anonymous. */
  favorited: boolean;
  favoritesCount: number;
  authorId: number;
  author: Profile;
}

/** List items carry no body (the RealWorld list response omits it: pages stay small). */
export type ArticleSummary = Omit<Article, 'body'>;

export interface NewArticle {
  title: string;
  description: string;
  body: string;
  tagList?: string[];
}

export type ArticlePatch = Partial<NewArticle>;

/**
 * articlesCount stops counting here. Why: an exact count(*) visits every matching row on every
 * page view (100k articles ≈ 10+ ms, the most expensive part of the page), while nobody pages
 * past page 500. Below the cap the count is exact; at the cap the UI can show "10,000+". Pass
 * `countCap: null` for an exact count. (The README's bench section measures both.)
 */
export const ARTICLES_COUNT_CAP = 10_000;

export interface PageOptions {
  limit?: number;
  offset?: number;
  /** Default ARTICLES_COUNT_CAP; null counts exactly. */
  countCap?: number | null;
}

export interface ListArticlesFilter extends PageOptions {
  tag?: string;
  /** Username of the author. */
  author?: string;
  /** Username of a user who favorited the articles. */
  favorited?: string;
}

export interface ArticlePage {
  articles: ArticleSummary[];
  articlesCount: number;
}

interface ArticleRow {
  id: number;
  slug: string;
  title: string;
  description: string;
  body?: string;
  tag_list: string[];
  created_at: Date;
  updated_at: Date;
  favorited: boolean;
  favorites_count: number;
  author_id: number;
  author_username: string;
  author_bio: string | null;
  author_image: string | null;
  author_following: boolean;
}

/**
 * Everything an article response needs, in one SELECT: the author's profile by join, the tags
 * aggregated into an array, and the viewer's favorited/following flags as EXISTS probes on
 * primary keys. The count is the stored favorites_count (see the normalization lesson), so no
 * aggregate over favorites runs per page. `viewer` is the placeholder holding the viewer id.
 */
function articleColumns(viewer: string, withBody: boolean): string {
  return `a.id, a.slug, a.title, a.description, ${withBody ? 'a.body,' : ''}
    a.created_at, a.updated_at, a.favorites_count, a.author_id,
    u.username AS author_username, u.bio AS author_bio, u.image AS author_image,
    COALESCE((SELECT array_agg(t.name ORDER BY at.position, t.name)
                FROM article_tags at JOIN tags t ON t.id = at.tag_id
               WHERE at.article_id = a.id), '{}') AS tag_list,
    EXISTS (SELECT 1 FROM favorites f WHERE f.user_id = ${viewer} AND f.article_id = a.id) AS favorited,
    EXISTS (SELECT 1 FROM follows fo WHERE fo.follower_id = ${viewer} AND fo.followee_id = a.author_id) AS author_following`;
}

function toSummary(row: ArticleRow): ArticleSummary {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    tagList: row.tag_list,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    favorited: row.favorited,
    favoritesCount: row.favorites_count,
    authorId: row.author_id,
    author: toProfile({
      id: row.author_id,
      username: row.author_username,
      bio: row.author_bio,
      image: row.author_image,
      following: row.author_following,
    }),
  };
}

function toArticle(row: ArticleRow): Article {
  return { ...toSummary(row), body: row.body ?? '' };
}

/** Trimmed, non-empty, first occurrence wins (["a", "b", "a"] → ["a", "b"]). */
function cleanTags(tags: string[] | undefined): string[] {
  return [...new Set((tags ?? []).map((t) => t.trim()).filter((t) => t.length > 0))];
}

/** Makes sure every tag exists, then links them to the article in the given order. */
async function setArticleTags(
  client: pg.PoolClient,
  articleId: number,
  tags: string[],
): Promise<void> {
  await query(client, 'DELETE FROM article_tags WHERE article_id = $1', [articleId]);
  if (tags.length === 0) return;
  // Why DO NOTHING and a second statement: two articles created at once with the same new tag
  // must both succeed; the loser of the insert race simply finds the winner's row.
  await query(
    client,
    'INSERT INTO tags (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING',
    [tags],
  );
  await query(
    client,
    `INSERT INTO article_tags (article_id, tag_id, position)
     SELECT $1, t.id, x.ord FROM unnest($2::text[]) WITH ORDINALITY AS x(name, ord)
     JOIN tags t ON t.name = x.name`,
    [articleId, tags],
  );
}

/**
 * Inserts the article and its tags atomically (one transaction) and returns it as its author
 * sees it. The slug comes from the title; when it is taken, a random suffix is added and the
 * insert retried. ON CONFLICT DO NOTHING (not catching the unique violation) keeps the
 * surrounding transaction usable: a failed statement would abort it.
 */
export async function createArticle(db: Db, authorId: number, input: NewArticle): Promise<Article> {
  return inTransaction(db, async (client) => {
    let id: number | undefined;
    let slug = slugify(input.title);
    for (let attempt = 0; id === undefined; attempt++) {
      if (attempt > 0) slug = slugWithSuffix(input.title);
      if (attempt > 5) throw AppError.conflict('slug');
      const { rows } = await query<{ id: number }>(
        client,
        `INSERT INTO articles (slug, title, description, body, author_id)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (slug) DO NOTHING
         RETURNING id`,
        [slug, input.title, input.description, input.body, authorId],
      );
      id = rows[0]?.id;
    }
    await setArticleTags(client, id, cleanTags(input.tagList));
    const article = await findArticleBySlug(client, slug, authorId);
    return article!;
  });
}

/** The full article (with body), or null. */
export async function findArticleBySlug(
  db: Db,
  slug: string,
  viewerId: number | null,
): Promise<Article | null> {
  const { rows } = await query<ArticleRow>(
    db,
    `SELECT ${articleColumns('$2', true)}
       FROM articles a JOIN users u ON u.id = a.author_id
      WHERE a.slug = $1`,
    [slug, viewerId],
  );
  return rows[0] ? toArticle(rows[0]) : null;
}

/**
 * Builds the WHERE clause of the list from the filters given, numbering placeholders from 1.
 * Why build it instead of `($1 IS NULL OR …)`: each filter combination then gets a plan that
 * can use its index; catch-all predicates make the planner choose one plan for all of them.
 */
export function listWhere(filter: ListArticlesFilter): {
  where: string;
  values: unknown[];
  countFrom: string;
} {
  const clauses: string[] = [];
  const values: unknown[] = [];
  // Why a separate count source: with a single filter, the matching rows are exactly the rows of
  // one index (article_tags by tag, articles by author, favorites by user), so counting there
  // skips the join to articles (the FK guarantees every link points at an article).
  const countSources: string[] = [];
  if (filter.tag !== undefined) {
    values.push(filter.tag);
    const tagId = `(SELECT id FROM tags WHERE name = $${values.length})`;
    clauses.push(`a.id IN (SELECT at.article_id FROM article_tags at WHERE at.tag_id = ${tagId})`);
    countSources.push(`article_tags at WHERE at.tag_id = ${tagId}`);
  }
  if (filter.author !== undefined) {
    values.push(filter.author);
    clauses.push(
      `a.author_id = (SELECT id FROM users WHERE lower(username) = lower($${values.length}))`,
    );
    countSources.push(`articles a WHERE ${clauses[clauses.length - 1]!}`);
  }
  if (filter.favorited !== undefined) {
    values.push(filter.favorited);
    const userId = `(SELECT id FROM users WHERE lower(username) = lower($${values.length}))`;
    clauses.push(`a.id IN (SELECT fv.article_id FROM favorites fv WHERE fv.user_id = ${userId})`);
    countSources.push(`favorites fv WHERE fv.user_id = ${userId}`);
  }
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  const countFrom = countSources.length === 1 ? countSources[0]! : `articles a ${where}`;
  return { where, values, countFrom };
}

/** Page query + count query, sent at once: always exactly 2 round trips, whatever the page size. */
async function pageOf(
  db: Db,
  { where, values, countFrom }: { where: string; values: unknown[]; countFrom: string },
  viewerId: number | null,
  paging: PageOptions,
): Promise<ArticlePage> {
  const n = values.length;
  const cap = paging.countCap === undefined ? ARTICLES_COUNT_CAP : paging.countCap;
  // Math.floor makes the cap a plain integer literal, so inlining it is safe.
  const countSql =
    cap === null
      ? `SELECT count(*)::int AS n FROM ${countFrom}`
      : `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${countFrom} LIMIT ${Math.floor(cap)}) capped`;
  const [page, count] = await Promise.all([
    query<ArticleRow>(
      db,
      `SELECT ${articleColumns(`$${n + 1}::int`, false)}
         FROM articles a JOIN users u ON u.id = a.author_id
         ${where}
        ORDER BY a.created_at DESC, a.id DESC
        LIMIT $${n + 2} OFFSET $${n + 3}`,
      [...values, viewerId, paging.limit ?? 20, paging.offset ?? 0],
    ),
    query<{ n: number }>(db, countSql, values),
  ]);
  return { articles: page.rows.map(toSummary), articlesCount: count.rows[0]?.n ?? 0 };
}

/** A timestamptz as JavaScript's Date#toISOString() writes it (UTC, milliseconds, "Z"). */
const isoTimestamp = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * GET /articles as the finished response body, `{"articles":[…],"articlesCount":N}`, built by
 * PostgreSQL in ONE round trip (the page and the capped count in one statement). Why: turning
 * 20 rows into objects in Node (the driver parses every column, dates and arrays; the mapper
 * copies them; Express stringifies the result) costs more CPU than the query itself. The items
 * have the fields, order and formats of the list view (conduit's toListItem), so the body is
 * the same JSON the object path gives. `row_to_json` and `string_agg` (not `json_agg`, which
 * adds line breaks) keep the text compact.
 */
export async function listArticlesJson(
  db: Db,
  filter: ListArticlesFilter,
  viewerId: number | null,
): Promise<string> {
  const { where, values, countFrom } = listWhere(filter);
  const n = values.length;
  const cap = filter.countCap === undefined ? ARTICLES_COUNT_CAP : filter.countCap;
  const count =
    cap === null
      ? `SELECT count(*)::int FROM ${countFrom}`
      : `SELECT count(*)::int FROM (SELECT 1 FROM ${countFrom} LIMIT ${Math.floor(cap)}) capped`;
  const { rows } = await query<{ body: string }>(
    db,
    `WITH page AS (
       SELECT ${articleColumns(`$${n + 1}::int`, false)}
         FROM articles a JOIN users u ON u.id = a.author_id
         ${where}
        ORDER BY a.created_at DESC, a.id DESC
        LIMIT $${n + 2} OFFSET $${n + 3}
     )
     SELECT '{"articles":[' ||
            COALESCE(string_agg(row_to_json(item)::text, ',' ORDER BY p.created_at DESC, p.id DESC), '') ||
            '],"articlesCount":' || (${count}) || '}' AS body
       FROM page p
       CROSS JOIN LATERAL (
         SELECT p.slug, p.title, p.description, p.tag_list AS "tagList",
                ${isoTimestamp('p.created_at')} AS "createdAt",
                ${isoTimestamp('p.updated_at')} AS "updatedAt",
                p.favorited, p.favorites_count AS "favoritesCount",
                (SELECT row_to_json(author) FROM (SELECT p.author_username AS username,
                   p.author_bio AS bio, p.author_image AS image,
                   p.author_following AS following) author) AS author
       ) item`,
    [...values, viewerId, filter.limit ?? 20, filter.offset ?? 0],
  );
  return rows[0]!.body;
}

/** Newest first, filtered by any of tag / author / favorited (ANDed). */
export async function listArticles(
  db: Db,
  filter: ListArticlesFilter,
  viewerId: number | null,
): Promise<ArticlePage> {
  return pageOf(db, listWhere(filter), viewerId, filter);
}

/** Newest articles of the authors the viewer follows. */
export async function feedArticles(
  db: Db,
  viewerId: number,
  page: PageOptions = {},
): Promise<ArticlePage> {
  const where = 'WHERE a.author_id IN (SELECT followee_id FROM follows WHERE follower_id = $1)';
  return pageOf(
    db,
    { where, values: [viewerId], countFrom: `articles a ${where}` },
    viewerId,
    page,
  );
}

/**
 * Updates the given fields (a new title gets a new slug; a tagList replaces the tags) in one
 * transaction. Returns the article as `viewerId` sees it, or null when it does not exist.
 * A new slug that is already taken gets the random suffix, as on create.
 */
export async function updateArticle(
  db: Db,
  articleId: number,
  patch: ArticlePatch,
  viewerId: number | null = null,
): Promise<Article | null> {
  return inTransaction(db, async (client) => {
    // Why FOR UPDATE: the slug decision below reads the current title; locking the row makes a
    // concurrent update of the same article wait instead of computing from a stale title.
    const current = await query<{ title: string; slug: string }>(
      client,
      'SELECT title, slug FROM articles WHERE id = $1 FOR UPDATE',
      [articleId],
    );
    const row = current.rows[0];
    if (!row) return null;
    let slug = row.slug;
    if (
      patch.title !== undefined &&
      patch.title !== row.title &&
      slugify(patch.title) !== row.slug
    ) {
      slug = slugify(patch.title);
      const taken = await query(client, 'SELECT 1 FROM articles WHERE slug = $1 AND id <> $2', [
        slug,
        articleId,
      ]);
      if (taken.rowCount) slug = slugWithSuffix(patch.title);
    }
    await query(
      client,
      `UPDATE articles
          SET slug = $2,
              title = COALESCE($3, title),
              description = COALESCE($4, description),
              body = COALESCE($5, body),
              updated_at = now()
        WHERE id = $1`,
      [articleId, slug, patch.title ?? null, patch.description ?? null, patch.body ?? null],
    );
    if (patch.tagList !== undefined)
      await setArticleTags(client, articleId, cleanTags(patch.tagList));
    return findArticleBySlug(client, slug, viewerId);
  });
}

/** Cascades to its tag links, favorites and comments. Returns false when it did not exist. */
export async function deleteArticle(db: Db, articleId: number): Promise<boolean> {
  const { rowCount } = await query(db, 'DELETE FROM articles WHERE id = $1', [articleId]);
  return (rowCount ?? 0) > 0;
}

/**
 * Idempotent favorite. The trigger `favorites_count_sync` adjusts favorites_count in the same
 * statement's transaction, so the count can never drift from the rows. Returns the article as
 * the user now sees it, or null when the slug does not exist.
 */
export async function favoriteArticle(
  db: Db,
  userId: number,
  slug: string,
): Promise<(Article & { changed: boolean }) | null> {
  // rowCount says whether this call added the favorite (false when it was there already), so a
  // caller can raise an event only for a real change.
  const { rowCount } = await query(
    db,
    `INSERT INTO favorites (user_id, article_id)
     SELECT $1, id FROM articles WHERE slug = $2
     ON CONFLICT DO NOTHING`,
    [userId, slug],
  );
  const article = await findArticleBySlug(db, slug, userId);
  return article && { ...article, changed: (rowCount ?? 0) > 0 };
}

/** Idempotent unfavorite; returns the article or null when the slug does not exist. */
export async function unfavoriteArticle(
  db: Db,
  userId: number,
  slug: string,
): Promise<Article | null> {
  await query(
    db,
    'DELETE FROM favorites WHERE user_id = $1 AND article_id = (SELECT id FROM articles WHERE slug = $2)',
    [userId, slug],
  );
  return findArticleBySlug(db, slug, userId);
}

/**
 * The viewer-dependent flags of one article, for a copy read from a cache (which holds the
 * article without them): one round trip, two primary-key probes.
 */
export async function findViewerFlags(
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

/** The slugs of one author's articles (e.g. the cached copies that embed their profile). */
export async function listSlugsByAuthor(db: Db, authorId: number): Promise<string[]> {
  const { rows } = await query<{ slug: string }>(
    db,
    'SELECT slug FROM articles WHERE author_id = $1',
    [authorId],
  );
  return rows.map((row) => row.slug);
}
