import { type PipelineStage, type Types } from 'mongoose';
import { type MongoDb } from '../../mongo/connection';

/**
 * The aggregation pipeline: documents flow through stages, each transforming the stream —
 * `$match` (WHERE), `$group` (GROUP BY), `$sort`, `$lookup` (a left outer join), `$facet`
 * (several pipelines over the same input). Put `$match` first so it can use an index, and
 * `$project` away what later stages do not need.
 */

/** Tag → number of articles, most used first. `$unwind` turns one article into one row per tag. */
export async function tagCounts(
  db: MongoDb,
  limit = 10,
): Promise<{ tag: string; articles: number }[]> {
  return db.Article.aggregate<{ tag: string; articles: number }>([
    { $unwind: '$tagList' },
    { $group: { _id: '$tagList', articles: { $sum: 1 } } },
    { $sort: { articles: -1, _id: 1 } },
    { $limit: limit },
    { $project: { _id: 0, tag: '$_id', articles: 1 } },
  ]);
}

export interface TopAuthor {
  username: string;
  articles: number;
  favorites: number;
}

/**
 * Authors by favorites received: group the articles by author, then `$lookup` the user for
 * the name — after `$limit`, so the join runs for 5 authors, not for every article.
 */
export async function topAuthors(db: MongoDb, limit = 5): Promise<TopAuthor[]> {
  return db.Article.aggregate<TopAuthor>([
    { $group: { _id: '$author', articles: { $sum: 1 }, favorites: { $sum: '$favoritesCount' } } },
    { $sort: { favorites: -1, articles: -1, _id: 1 } },
    { $limit: limit },
    { $lookup: { from: 'users', localField: '_id', foreignField: '_id', as: 'user' } },
    { $unwind: '$user' },
    { $project: { _id: 0, username: '$user.username', articles: 1, favorites: 1 } },
  ]);
}

export interface ArticleWithAuthor {
  slug: string;
  title: string;
  author: { username: string; image: string | null };
}

/** `$lookup` with a sub-pipeline: join only the author fields the page shows. */
export async function newestWithAuthors(db: MongoDb, limit = 5): Promise<ArticleWithAuthor[]> {
  return db.Article.aggregate<ArticleWithAuthor>([
    { $sort: { createdAt: -1, _id: -1 } },
    { $limit: limit },
    {
      $lookup: {
        from: 'users',
        localField: 'author',
        foreignField: '_id',
        pipeline: [{ $project: { _id: 0, username: 1, image: 1 } }],
        as: 'author',
      },
    },
    { $unwind: '$author' },
    { $project: { _id: 0, slug: 1, title: 1, author: 1 } },
  ]);
}

export interface FacetPage {
  items: { slug: string; createdAt: Date }[];
  total: number;
}

/**
 * One page and the total count in one round trip: `$facet` runs both sub-pipelines over the
 * same matched documents. (The trade-off: the total still reads every match; data-sql caps
 * its count for the same reason.)
 */
export async function tagPageWithTotal(
  db: MongoDb,
  tag: string,
  limit: number,
  offset: number,
): Promise<FacetPage> {
  const pipeline: PipelineStage[] = [
    { $match: { tagList: tag } },
    {
      $facet: {
        items: [
          { $sort: { createdAt: -1, _id: -1 } },
          { $skip: offset },
          { $limit: limit },
          { $project: { _id: 0, slug: 1, createdAt: 1 } },
        ],
        total: [{ $count: 'n' }],
      },
    },
  ];
  const [result] = await db.Article.aggregate<{
    items: FacetPage['items'];
    total: { n: number }[];
  }>(pipeline);
  return { items: result?.items ?? [], total: result?.total[0]?.n ?? 0 };
}

/** Articles per author id — used by tests to check topAuthors against a plain count. */
export async function articlesByAuthor(db: MongoDb): Promise<Map<string, number>> {
  const rows = await db.Article.aggregate<{ _id: Types.ObjectId; n: number }>([
    { $group: { _id: '$author', n: { $sum: 1 } } },
  ]);
  return new Map(rows.map((r) => [r._id.toHexString(), r.n]));
}
