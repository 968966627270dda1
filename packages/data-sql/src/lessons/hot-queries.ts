import type pg from 'pg';
import { feedArticles, findArticleBySlug, listArticles } from '../articles/articles.repository';
import { listComments } from '../comments/comments.repository';
import { query, type Db } from '../db/pool';
import { countRoundTrips, type RecordedStatement } from '../db/round-trips';
import { findUserByEmail } from '../users/users.repository';

/** Realistic arguments for the hot queries, picked from whatever data set is loaded. */
export interface HotQueryContext {
  viewerId: number;
  viewerUsername: string;
  viewerEmail: string;
  /** The most favorited article. */
  slug: string;
  /** The most commented article. */
  articleId: number;
  tag: string;
  author: string;
}

export interface HotQuery {
  name: string;
  /** The index this query is designed around; the index test fails if the plan stops using it. */
  index: string;
  /** Why that index (printed by the lesson). */
  why: string;
  run: (db: Db, ctx: HotQueryContext) => Promise<unknown>;
}

export const HOT_QUERIES: HotQuery[] = [
  {
    name: 'article list page (newest first)',
    index: 'articles_created_at_idx',
    why: 'ORDER BY created_at DESC LIMIT 20 reads the first 20 index entries instead of sorting every article',
    run: (db, c) => listArticles(db, { limit: 20 }, c.viewerId),
  },
  {
    name: 'article list by tag',
    index: 'article_tags_tag_article_idx',
    why: 'all links of one tag are adjacent in (tag_id, article_id); the primary key is ordered by article first',
    run: (db, c) => listArticles(db, { tag: c.tag, limit: 20 }, c.viewerId),
  },
  {
    name: 'article list by author',
    index: 'articles_author_created_at_idx',
    why: "one author's articles, already newest first: no sort, stops after 20",
    run: (db, c) => listArticles(db, { author: c.author, limit: 20 }, c.viewerId),
  },
  {
    name: 'feed page',
    index: 'follows_pkey',
    why:
      'the (follower_id, followee_id) key lists whom the viewer follows; then the planner either walks ' +
      'articles_author_created_at_idx per author (few follows) or articles_created_at_idx with a hash of the ' +
      'authors (many follows)',
    run: (db, c) => feedArticles(db, c.viewerId, { limit: 20 }),
  },
  {
    name: 'article by slug (author, tags, favorited)',
    index: 'articles_slug_key',
    why: 'the unique index that also enforces distinct slugs answers the lookup',
    run: (db, c) => findArticleBySlug(db, c.slug, c.viewerId),
  },
  {
    name: 'favorited flag / ?favorited=',
    index: 'favorites_pkey',
    why: 'the (user_id, article_id) primary key answers "did this user favorite it" and "what did this user favorite"',
    run: (db, c) => listArticles(db, { favorited: c.viewerUsername, limit: 20 }, c.viewerId),
  },
  {
    name: 'comments of an article',
    index: 'comments_article_created_at_idx',
    why: "one article's comments, already in display order",
    run: (db, c) => listComments(db, c.articleId, c.viewerId),
  },
  {
    name: 'user by email (login)',
    index: 'users_email_lower_key',
    why: 'an expression index on lower(email) serves the case-insensitive lookup and enforces uniqueness',
    run: (db, c) => findUserByEmail(db, c.viewerEmail.toUpperCase()),
  },
];

/** Picks the busiest viewer, the most favorited article, the most prolific author. */
export async function hotQueryContext(db: Db): Promise<HotQueryContext> {
  const { rows } = await query<{
    viewer_id: number;
    viewer_username: string;
    viewer_email: string;
    slug: string;
    article_id: number;
    tag: string;
    author: string;
  }>(
    db,
    `WITH viewer AS (
       SELECT u.id, u.username, u.email FROM users u
        WHERE u.id = (SELECT follower_id FROM follows GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)
     ), article AS (
       SELECT slug FROM articles ORDER BY favorites_count DESC, id LIMIT 1
     ), commented AS (
       SELECT article_id AS id FROM comments GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
     ), author AS (
       SELECT username FROM users WHERE id = (SELECT author_id FROM articles GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)
     ), tag AS (
       SELECT name FROM tags t WHERE EXISTS (SELECT 1 FROM article_tags at WHERE at.tag_id = t.id) ORDER BY (name = 'postgres') DESC, name LIMIT 1
     )
     SELECT viewer.id AS viewer_id, viewer.username AS viewer_username, viewer.email AS viewer_email,
            article.slug, commented.id AS article_id, tag.name AS tag, author.username AS author
       FROM viewer, article, commented, author, tag`,
  );
  const r = rows[0];
  if (!r) throw new Error('hot queries need a seeded database (pnpm db:seed)');
  return {
    viewerId: r.viewer_id,
    viewerUsername: r.viewer_username,
    viewerEmail: r.viewer_email,
    slug: r.slug,
    articleId: r.article_id,
    tag: r.tag,
    author: r.author,
  };
}

/** The exact statements a hot query sends (captured by running it once). */
export async function statementsOf(
  pool: pg.Pool,
  hot: HotQuery,
  ctx: HotQueryContext,
): Promise<RecordedStatement[]> {
  const recorder = countRoundTrips(pool);
  await hot.run(recorder.db, ctx);
  return recorder.statements();
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Every index name appearing anywhere in an EXPLAIN (FORMAT JSON) plan. */
export function indexesInPlan(node: PlanNode): string[] {
  return [
    ...(node['Index Name'] ? [node['Index Name']] : []),
    ...(node.Plans ?? []).flatMap(indexesInPlan),
  ];
}

/** The indexes the planner picks for the statements of a hot query. */
export async function indexesUsed(db: Db, statements: RecordedStatement[]): Promise<string[]> {
  const used = new Set<string>();
  for (const s of statements) {
    const { rows } = await query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
      db,
      `EXPLAIN (FORMAT JSON) ${s.text}`,
      s.values,
    );
    for (const name of indexesInPlan(rows[0]!['QUERY PLAN'][0]!.Plan)) used.add(name);
  }
  return [...used];
}
