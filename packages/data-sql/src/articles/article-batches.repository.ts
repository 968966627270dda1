import { query, type Db } from '../db/pool';
import { toProfile, type Profile, type ProfileRow } from '../profiles/profiles.repository';
import { ARTICLES_COUNT_CAP, listWhere, type ListArticlesFilter } from './articles.repository';

/**
 * The queries of a resolver-per-field API (GraphQL): a page of bare article rows, then what
 * each row needs fetched for many rows at once, keyed by id. Each function is one round trip
 * whatever the number of ids — the batch functions behind graphql-api's DataLoaders.
 */

/** An article without anything joined: what the page query returns. */
export interface ArticleRow {
  id: number;
  slug: string;
  title: string;
  description: string;
  body: string;
  createdAt: Date;
  updatedAt: Date;
  authorId: number;
}

/** The parts of an article a page leaves to the batch queries. */
export interface ArticleState {
  tagList: string[];
  favorited: boolean;
  favoritesCount: number;
}

interface RawRow {
  id: number;
  slug: string;
  title: string;
  description: string;
  body: string;
  created_at: Date;
  updated_at: Date;
  author_id: number;
}

const ROW_COLUMNS = `a.id, a.slug, a.title, a.description, a.body, a.created_at, a.updated_at, a.author_id`;

const toRow = (row: RawRow): ArticleRow => ({
  id: row.id,
  slug: row.slug,
  title: row.title,
  description: row.description,
  body: row.body,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  authorId: row.author_id,
});

export interface RowPage {
  limit: number;
  offset: number;
}

/** Newest first, the same filters (and the same indexes) as listArticles; no joins, no count. */
export async function listArticleRows(
  db: Db,
  filter: Omit<ListArticlesFilter, 'limit' | 'offset' | 'countCap'>,
  page: RowPage,
): Promise<ArticleRow[]> {
  const { where, values } = listWhere(filter);
  const n = values.length;
  const { rows } = await query<RawRow>(
    db,
    `SELECT ${ROW_COLUMNS} FROM articles a ${where}
      ORDER BY a.created_at DESC, a.id DESC
      LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...values, page.limit, page.offset],
  );
  return rows.map(toRow);
}

const FEED_WHERE = 'WHERE a.author_id IN (SELECT followee_id FROM follows WHERE follower_id = $1)';

/** The viewer's feed as bare rows. */
export async function feedArticleRows(
  db: Db,
  viewerId: number,
  page: RowPage,
): Promise<ArticleRow[]> {
  const { rows } = await query<RawRow>(
    db,
    `SELECT ${ROW_COLUMNS} FROM articles a ${FEED_WHERE}
      ORDER BY a.created_at DESC, a.id DESC
      LIMIT $2 OFFSET $3`,
    [viewerId, page.limit, page.offset],
  );
  return rows.map(toRow);
}

/** How many articles match, stopping at ARTICLES_COUNT_CAP (see listArticles for why). */
export async function countArticles(
  db: Db,
  filter: Omit<ListArticlesFilter, 'limit' | 'offset' | 'countCap'>,
): Promise<number> {
  const { values, countFrom } = listWhere(filter);
  const { rows } = await query<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${countFrom} LIMIT ${ARTICLES_COUNT_CAP}) capped`,
    values,
  );
  return rows[0]?.n ?? 0;
}

/** How many articles the viewer's feed holds, capped the same way. */
export async function countFeed(db: Db, viewerId: number): Promise<number> {
  const { rows } = await query<{ n: number }>(
    db,
    `SELECT count(*)::int AS n
       FROM (SELECT 1 FROM articles a ${FEED_WHERE} LIMIT ${ARTICLES_COUNT_CAP}) capped`,
    [viewerId],
  );
  return rows[0]?.n ?? 0;
}

/**
 * Profiles of many users with the viewer's `following` flag, in one query (`= ANY($1)` on the
 * primary key). Users that do not exist are simply missing from the map.
 */
export async function profilesByIds(
  db: Db,
  ids: readonly number[],
  viewerId: number | null,
): Promise<Map<number, Profile>> {
  const { rows } = await query<ProfileRow>(
    db,
    `SELECT u.id, u.username, u.bio, u.image,
            EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $2 AND f.followee_id = u.id) AS following
       FROM users u
      WHERE u.id = ANY($1::int[])`,
    [ids, viewerId],
  );
  return new Map(rows.map((row) => [row.id, toProfile(row)]));
}

/** Tags (in the author's order), favorites count and the viewer's favorited flag of many articles. */
export async function articleStatesByIds(
  db: Db,
  ids: readonly number[],
  viewerId: number | null,
): Promise<Map<number, ArticleState>> {
  const { rows } = await query<{
    id: number;
    tag_list: string[];
    favorited: boolean;
    favorites_count: number;
  }>(
    db,
    `SELECT a.id, a.favorites_count,
            COALESCE((SELECT array_agg(t.name ORDER BY at.position, t.name)
                        FROM article_tags at JOIN tags t ON t.id = at.tag_id
                       WHERE at.article_id = a.id), '{}') AS tag_list,
            EXISTS (SELECT 1 FROM favorites f WHERE f.user_id = $2 AND f.article_id = a.id) AS favorited
       FROM articles a
      WHERE a.id = ANY($1::int[])`,
    [ids, viewerId],
  );
  return new Map(
    rows.map((row) => [
      row.id,
      { tagList: row.tag_list, favorited: row.favorited, favoritesCount: row.favorites_count },
    ]),
  );
}
