import { AppError } from '@roadmap/kit';
import { trusted, type Types } from 'mongoose';
import { type MongoDb } from '../mongo/connection';
import { assertDocumentSize } from '../mongo/document-size';
import { mapErrors } from '../mongo/errors';
import { parseObjectId } from '../mongo/ids';
import { CASE_INSENSITIVE, type ArticleDoc } from '../mongo/schemas';
import { profilesByIds, upsertIgnoringRace, type Profile } from '../profiles/profiles.repository';
import { upgradeAndSave, type StoredArticle } from './article-migration';
import { normalizeTags, slugify, slugWithSuffix } from './slug';

export interface Article {
  id: string;
  slug: string;
  title: string;
  description: string;
  body: string;
  tagList: string[];
  createdAt: Date;
  updatedAt: Date;
  favorited: boolean;
  favoritesCount: number;
  authorId: string;
  author: Profile;
}

/** List items carry no body, as in data-sql and the RealWorld list response. */
export type ArticleSummary = Omit<Article, 'body'>;

export interface NewArticle {
  title: string;
  description: string;
  body: string;
  tagList?: string[];
}

export type ArticlePatch = Partial<NewArticle>;

/** Same cap as data-sql: counting stops here (countDocuments with a limit). */
export const ARTICLES_COUNT_CAP = 10_000;

export interface PageOptions {
  limit?: number;
  offset?: number;
  countCap?: number | null;
}

export interface ListArticlesFilter extends PageOptions {
  tag?: string;
  author?: string;
  favorited?: string;
}

export interface ArticlePage {
  articles: ArticleSummary[];
  articlesCount: number;
}

const NEWEST_FIRST = { createdAt: -1, _id: -1 } as const;
const WITHOUT_BODY = { body: 0 } as const;

/**
 * Turns article documents into API objects: the authors and the viewer's favorited/following
 * flags in a fixed number of queries (3) whatever the page size — never one per article.
 */
async function hydrate(
  db: MongoDb,
  docs: ArticleDoc[],
  viewerId: Types.ObjectId | null,
): Promise<Article[]> {
  const authorIds = [...new Map(docs.map((d) => [d.author.toHexString(), d.author])).values()];
  const [authors, favorites] = await Promise.all([
    profilesByIds(db, authorIds, viewerId),
    viewerId && docs.length > 0
      ? db.Favorite.find(
          { user: viewerId, article: trusted({ $in: docs.map((d) => d._id) }) },
          { article: 1 },
        ).lean<{ article: Types.ObjectId }[]>()
      : Promise.resolve([]),
  ]);
  const favorited = new Set(favorites.map((f) => f.article.toHexString()));
  return docs.map((doc) => {
    const author = authors.get(doc.author.toHexString());
    // An author deleted after the page was read: a document store has no foreign keys, so
    // this can happen; show the article with a placeholder rather than fail the whole page.
    const profile: Profile = author ?? {
      id: doc.author.toHexString(),
      username: '[deleted]',
      bio: null,
      image: null,
      following: false,
    };
    return {
      id: doc._id.toHexString(),
      slug: doc.slug,
      title: doc.title,
      description: doc.description,
      body: doc.body,
      tagList: doc.tagList,
      createdAt: doc.createdAt,
      updatedAt: doc.updatedAt,
      favorited: favorited.has(doc._id.toHexString()),
      favoritesCount: doc.favoritesCount,
      authorId: doc.author.toHexString(),
      author: profile,
    };
  });
}

function summary(article: Article): ArticleSummary {
  const { body: _body, ...rest } = article;
  return rest;
}

/** 404 when the author does not exist; 422 on invalid fields or an oversized document. */
export async function createArticle(
  db: MongoDb,
  authorId: string,
  input: NewArticle,
): Promise<Article> {
  const author = parseObjectId(authorId);
  if (!author) throw AppError.notFound('author');
  return mapErrors(async () => {
    if (!(await db.User.exists({ _id: author }))) throw AppError.notFound('author');
    const tagList = normalizeTags(input.tagList ?? []);
    let slug = slugify(input.title);
    for (let attempt = 0; ; attempt++) {
      const doc = new db.Article({
        slug,
        title: input.title,
        description: input.description,
        body: input.body,
        tagList,
        author,
      });
      await doc.validate();
      assertDocumentSize(doc.toObject(), db.limits.maxDocumentBytes);
      try {
        await doc.save({ validateBeforeSave: false });
        const [article] = await hydrate(db, [doc.toObject()], author);
        return article!;
      } catch (error) {
        // The unique slug index decides between two writers; the loser takes a suffixed slug.
        const taken = error as { code?: unknown; keyPattern?: Record<string, unknown> };
        if (taken.code !== 11000 || !taken.keyPattern?.slug || attempt >= 3) throw error;
        slug = slugWithSuffix(input.title);
      }
    }
  });
}

async function findStoredBySlug(db: MongoDb, slug: string): Promise<ArticleDoc | null> {
  const doc = await db.Article.findOne({ slug }).lean<StoredArticle>();
  return doc ? upgradeAndSave(db, doc) : null;
}

export async function findArticleBySlug(
  db: MongoDb,
  slug: string,
  viewerId: string | null,
): Promise<Article | null> {
  return mapErrors(async () => {
    const doc = await findStoredBySlug(db, slug);
    if (!doc) return null;
    const [article] = await hydrate(db, [doc], viewerId ? parseObjectId(viewerId) : null);
    return article!;
  });
}

function page(options: PageOptions): { limit: number; offset: number } {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 20), 1), 100);
  const offset = Math.max(Math.trunc(options.offset ?? 0), 0);
  return { limit, offset };
}

async function findPage(
  db: MongoDb,
  filter: Record<string, unknown>,
  options: PageOptions,
  viewer: Types.ObjectId | null,
): Promise<ArticlePage> {
  const { limit, offset } = page(options);
  const cap = options.countCap === undefined ? ARTICLES_COUNT_CAP : options.countCap;
  const [docs, articlesCount] = await Promise.all([
    db.Article.find(filter, WITHOUT_BODY)
      .sort(NEWEST_FIRST)
      .skip(offset)
      .limit(limit)
      .lean<StoredArticle[]>(),
    db.Article.countDocuments(filter, cap === null ? {} : { limit: cap }),
  ]);
  const upgraded = await Promise.all(docs.map((d) => upgradeAndSave(db, d)));
  const articles = await hydrate(
    db,
    upgraded.map((d) => ({ ...d, body: '' })),
    viewer,
  );
  return { articles: articles.map(summary), articlesCount };
}

const EMPTY_PAGE: ArticlePage = { articles: [], articlesCount: 0 };

/**
 * Filters by tag (the multikey index), author (the compound index) or a user's favorites
 * (their favorite documents, then `_id: { $in }`). Newest first.
 */
export async function listArticles(
  db: MongoDb,
  filter: ListArticlesFilter,
  viewerId: string | null,
): Promise<ArticlePage> {
  return mapErrors(async () => {
    const query: Record<string, unknown> = {};
    if (filter.tag !== undefined) query.tagList = filter.tag;
    if (filter.author !== undefined) {
      const author = await db.User.findOne({ username: filter.author }, { _id: 1 })
        .collation(CASE_INSENSITIVE)
        .lean<{ _id: Types.ObjectId }>();
      if (!author) return EMPTY_PAGE;
      query.author = author._id;
    }
    if (filter.favorited !== undefined) {
      const fan = await db.User.findOne({ username: filter.favorited }, { _id: 1 })
        .collation(CASE_INSENSITIVE)
        .lean<{ _id: Types.ObjectId }>();
      if (!fan) return EMPTY_PAGE;
      const favorites = await db.Favorite.find({ user: fan._id }, { article: 1 }).lean<
        { article: Types.ObjectId }[]
      >();
      query._id = trusted({ $in: favorites.map((f) => f.article) });
    }
    return findPage(db, query, filter, viewerId ? parseObjectId(viewerId) : null);
  });
}

/** Articles by the authors the viewer follows, newest first. */
export async function feedArticles(
  db: MongoDb,
  viewerId: string,
  options: PageOptions = {},
): Promise<ArticlePage> {
  const viewer = parseObjectId(viewerId);
  if (!viewer) throw AppError.notFound('user');
  return mapErrors(async () => {
    const follows = await db.Follow.find({ follower: viewer }, { followee: 1 }).lean<
      { followee: Types.ObjectId }[]
    >();
    if (follows.length === 0) return EMPTY_PAGE;
    return findPage(
      db,
      { author: trusted({ $in: follows.map((f) => f.followee) }) },
      options,
      viewer,
    );
  });
}

/** A new title gives a new slug. 404 when the article does not exist. */
export async function updateArticle(
  db: MongoDb,
  articleId: string,
  patch: ArticlePatch,
  viewerId: string | null = null,
): Promise<Article> {
  const _id = parseObjectId(articleId);
  if (!_id) throw AppError.notFound('article');
  return mapErrors(async () => {
    const set: Record<string, unknown> = {};
    if (patch.title !== undefined) {
      set.title = patch.title;
      set.slug = slugify(patch.title);
    }
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.body !== undefined) set.body = patch.body;
    if (patch.tagList !== undefined) set.tagList = normalizeTags(patch.tagList);
    // The size check needs the whole document: read it first, before anything is written.
    const current = await db.Article.findById(_id).lean<ArticleDoc>();
    if (!current) throw AppError.notFound('article');
    assertDocumentSize({ ...current, ...set }, db.limits.maxDocumentBytes);
    for (let attempt = 0; ; attempt++) {
      try {
        const doc = await db.Article.findByIdAndUpdate(
          _id,
          { $set: set },
          {
            new: true,
            runValidators: true,
          },
        ).lean<ArticleDoc>();
        if (!doc) throw AppError.notFound('article');
        const [article] = await hydrate(db, [doc], viewerId ? parseObjectId(viewerId) : null);
        return article!;
      } catch (error) {
        const taken = error as { code?: unknown; keyPattern?: Record<string, unknown> };
        if (taken.code !== 11000 || !taken.keyPattern?.slug || attempt >= 3 || !patch.title)
          throw error;
        set.slug = slugWithSuffix(patch.title);
      }
    }
  });
}

/**
 * Deletes the article, then its comments and favorites. There are no cascades and, on a
 * standalone server, no multi-document transaction: if the process dies between the steps,
 * orphaned comments/favorites remain — invisible (every read starts from an article) and
 * removed by running the delete again. On a replica set this could be one transaction
 * (`pnpm lesson:replica-set`).
 */
export async function deleteArticle(db: MongoDb, articleId: string): Promise<boolean> {
  const _id = parseObjectId(articleId);
  if (!_id) return false;
  return mapErrors(async () => {
    const { deletedCount } = await db.Article.deleteOne({ _id });
    await Promise.all([
      db.Comment.deleteMany({ article: _id }),
      db.Favorite.deleteMany({ article: _id }),
    ]);
    return deletedCount === 1;
  });
}

/**
 * Idempotent with a unique key instead of a transaction: the favorite document's unique
 * (user, article) index decides whether this call created it, and only the call that did
 * increments the counter. Favoriting twice changes nothing. (If the process dies between the
 * two writes, the counter is one short; `recountFavorites` repairs it from the favorites.)
 */
export async function favoriteArticle(
  db: MongoDb,
  userId: string,
  slug: string,
): Promise<Article | null> {
  const user = parseObjectId(userId);
  if (!user) throw AppError.notFound('user');
  return mapErrors(async () => {
    const article = await findStoredBySlug(db, slug);
    if (!article) return null;
    if (!(await db.User.exists({ _id: user }))) throw AppError.notFound('user');
    const result = await upsertIgnoringRace(() =>
      db.Favorite.updateOne(
        { user, article: article._id },
        { $setOnInsert: { user, article: article._id } },
        { upsert: true },
      ),
    );
    if (result?.upsertedCount === 1) {
      await db.Article.updateOne({ _id: article._id }, { $inc: { favoritesCount: 1 } });
    }
    return findArticleBySlug(db, slug, userId);
  });
}

export async function unfavoriteArticle(
  db: MongoDb,
  userId: string,
  slug: string,
): Promise<Article | null> {
  const user = parseObjectId(userId);
  if (!user) throw AppError.notFound('user');
  return mapErrors(async () => {
    const article = await findStoredBySlug(db, slug);
    if (!article) return null;
    const { deletedCount } = await db.Favorite.deleteOne({ user, article: article._id });
    if (deletedCount === 1) {
      await db.Article.updateOne(
        { _id: article._id, favoritesCount: trusted({ $gt: 0 }) },
        { $inc: { favoritesCount: -1 } },
      );
    }
    return findArticleBySlug(db, slug, userId);
  });
}

/** Repairs every article's favoritesCount from the favorites collection (one aggregation). */
export async function recountFavorites(db: MongoDb): Promise<number> {
  return mapErrors(async () => {
    const counts = await db.Favorite.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $group: { _id: '$article', n: { $sum: 1 } } },
    ]);
    const byId = new Map(counts.map((c) => [c._id.toHexString(), c.n]));
    const articles = await db.Article.find({}, { favoritesCount: 1 }).lean<
      { _id: Types.ObjectId; favoritesCount: number }[]
    >();
    const fixes = articles
      .filter((a) => (byId.get(a._id.toHexString()) ?? 0) !== a.favoritesCount)
      .map((a) => ({
        updateOne: {
          filter: { _id: a._id },
          update: { $set: { favoritesCount: byId.get(a._id.toHexString()) ?? 0 } },
        },
      }));
    if (fixes.length > 0) await db.Article.bulkWrite(fixes);
    return fixes.length;
  });
}
