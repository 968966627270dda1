import { Schema, type Types } from 'mongoose';

/**
 * The Conduit documents, and the one design question document databases ask: embed or
 * reference?
 *
 * Embed what is small, bounded, owned by the parent and read with it; reference what grows
 * without bound, has a life of its own, or is shared.
 *
 * - **tags → embedded** in the article (`tagList: string[]`): a handful of short strings, always
 *   shown with the article, no identity of their own. One read returns the article with its
 *   tags; a multikey index on `tagList` still finds "articles tagged dragons".
 * - **author → referenced** (`author: ObjectId`): one user writes many articles, and changes
 *   their username or image. A copy in every article would need a fan-out update of all of
 *   them on each profile edit (and be stale in between). The list page fetches the page's
 *   authors in one `$in` query (or a `$lookup`), not one per article.
 * - **comments → referenced** (their own collection, `article` field): an article's comments
 *   grow without bound, and a document has a 16 MB ceiling; every new comment would rewrite
 *   and re-replicate the whole article, many commenters would contend for one document, and
 *   reading an article would drag every comment along. Comments are also paged, deleted one
 *   by one, and listed per author — all natural for a collection, awkward inside an array.
 * - **favorites and follows → their own collections** (one small document per pair): an
 *   array of 100k user ids inside a popular article is the unbounded-array anti-pattern. A
 *   unique index on the pair makes "favorite twice" a no-op, and the article keeps only the
 *   count it shows on every list row (`favoritesCount`, like data-sql's one denormalization).
 *
 * `pnpm lesson:embedding` measures both ways with the document sizes and the query count.
 */

export const ROLES = ['user', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Usernames are unique ignoring case ("Ada" and "ada" are one user). Why a collation rather than
 * a lowercased copy: the index itself compares case-insensitively; a query uses it only when it
 * asks for the same collation, which `findUserByUsername` does.
 */
export const CASE_INSENSITIVE = { locale: 'en', strength: 2 } as const;

/** Article documents are at version 2; version 1 stored tags as one comma-separated string. */
export const ARTICLE_SCHEMA_VERSION = 2;

export interface UserDoc {
  _id: Types.ObjectId;
  email: string;
  username: string;
  passwordHash: string | null;
  bio: string | null;
  image: string | null;
  role: Role;
  /** Set while a sign-up is unverified; the TTL index deletes the user when it passes. */
  unverifiedExpiresAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ArticleDoc {
  _id: Types.ObjectId;
  slug: string;
  title: string;
  description: string;
  body: string;
  tagList: string[];
  author: Types.ObjectId;
  favoritesCount: number;
  schemaVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CommentDoc {
  _id: Types.ObjectId;
  article: Types.ObjectId;
  author: Types.ObjectId;
  body: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface FavoriteDoc {
  _id: Types.ObjectId;
  user: Types.ObjectId;
  article: Types.ObjectId;
  createdAt: Date;
}

export interface FollowDoc {
  _id: Types.ObjectId;
  follower: Types.ObjectId;
  followee: Types.ObjectId;
  createdAt: Date;
}

export interface SchemaLimits {
  /** Longest article body, in characters (ARTICLE_BODY_MAX_CHARS). */
  articleBodyMaxChars: number;
}

const notEmpty = (value: string | null | undefined) =>
  value === null || value === undefined || value.length > 0;

// Why strict and strictQuery 'throw': a misspelt field in a write or a filter is a bug or an
// attack, not something to store or silently ignore (a filter on an unknown field matches
// nothing — or everything, once someone removes it).
const options = {
  strict: 'throw',
  strictQuery: 'throw',
  timestamps: true,
  versionKey: false,
} as const;

export function userSchema(): Schema<UserDoc> {
  const schema = new Schema<UserDoc>(
    {
      email: {
        type: String,
        required: true,
        trim: true,
        lowercase: true,
        minlength: 3,
        maxlength: 254,
        match: [/^[^\s@]+@[^\s@]+$/, 'is invalid'],
      },
      username: { type: String, required: true, trim: true, minlength: 1, maxlength: 64 },
      passwordHash: { type: String, default: null },
      bio: {
        type: String,
        default: null,
        maxlength: 2000,
        validate: [notEmpty, 'must not be empty'],
      },
      image: {
        type: String,
        default: null,
        maxlength: 2000,
        validate: [notEmpty, 'must not be empty'],
      },
      role: { type: String, enum: ROLES, default: 'user', required: true },
      unverifiedExpiresAt: { type: Date, default: undefined },
    },
    options,
  );
  schema.index({ email: 1 }, { unique: true, name: 'users_email_key' });
  schema.index(
    { username: 1 },
    { unique: true, collation: CASE_INSENSITIVE, name: 'users_username_key' },
  );
  // TTL: MongoDB's monitor (every ~60 s) deletes a user once unverifiedExpiresAt is in the past.
  // Documents without the field — every verified user — never expire.
  schema.index({ unverifiedExpiresAt: 1 }, { expireAfterSeconds: 0, name: 'users_unverified_ttl' });
  return schema;
}

export function articleSchema(limits: SchemaLimits): Schema<ArticleDoc> {
  const schema = new Schema<ArticleDoc>(
    {
      slug: { type: String, required: true, match: /^[a-z0-9]+(-[a-z0-9]+)*$/, maxlength: 120 },
      title: { type: String, required: true, trim: true, minlength: 1, maxlength: 255 },
      description: { type: String, required: true, trim: true, minlength: 1, maxlength: 1000 },
      body: { type: String, required: true, minlength: 1, maxlength: limits.articleBodyMaxChars },
      tagList: {
        type: [{ type: String, trim: true, minlength: 1, maxlength: 64 }],
        default: [],
        validate: [(tags: string[]) => tags.length <= 20, 'has more than 20 tags'],
      },
      author: { type: Schema.Types.ObjectId, ref: 'User', required: true },
      favoritesCount: { type: Number, default: 0, min: 0 },
      schemaVersion: { type: Number, default: ARTICLE_SCHEMA_VERSION, required: true },
    },
    options,
  );
  schema.index({ slug: 1 }, { unique: true, name: 'articles_slug_key' });
  schema.index({ createdAt: -1, _id: -1 }, { name: 'articles_created_at' });
  // Compound: "articles by this author, newest first" (profile page, feed) reads the index in order.
  schema.index({ author: 1, createdAt: -1 }, { name: 'articles_author_created_at' });
  // Multikey: one index entry per tag of each article, so "tagged dragons" is an index lookup.
  schema.index({ tagList: 1, createdAt: -1 }, { name: 'articles_tags_created_at' });
  // Partial: only favorited articles are indexed (most never are), so the "most favorited" query
  // reads a small index. A query uses it only if its filter implies `favoritesCount > 0`.
  schema.index(
    { favoritesCount: -1, createdAt: -1 },
    { partialFilterExpression: { favoritesCount: { $gt: 0 } }, name: 'articles_popular_partial' },
  );
  // Partial: the bulk migration finds the documents still at an old version without a scan.
  schema.index(
    { schemaVersion: 1 },
    {
      partialFilterExpression: { schemaVersion: { $lt: ARTICLE_SCHEMA_VERSION } },
      name: 'articles_old_schema_partial',
    },
  );
  return schema;
}

export function commentSchema(): Schema<CommentDoc> {
  const schema = new Schema<CommentDoc>(
    {
      article: { type: Schema.Types.ObjectId, ref: 'Article', required: true },
      author: { type: Schema.Types.ObjectId, ref: 'User', required: true },
      body: { type: String, required: true, trim: true, minlength: 1, maxlength: 10_000 },
    },
    options,
  );
  schema.index({ article: 1, createdAt: 1 }, { name: 'comments_article_created_at' });
  schema.index({ author: 1 }, { name: 'comments_author' });
  return schema;
}

export function favoriteSchema(): Schema<FavoriteDoc> {
  const schema = new Schema<FavoriteDoc>(
    {
      user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
      article: { type: Schema.Types.ObjectId, ref: 'Article', required: true },
    },
    { ...options, timestamps: { createdAt: true, updatedAt: false } },
  );
  // Unique pair: favoriting twice (a double click, a retried request) cannot count twice.
  schema.index({ user: 1, article: 1 }, { unique: true, name: 'favorites_user_article_key' });
  schema.index({ article: 1 }, { name: 'favorites_article' });
  return schema;
}

export function followSchema(): Schema<FollowDoc> {
  const schema = new Schema<FollowDoc>(
    {
      follower: { type: Schema.Types.ObjectId, ref: 'User', required: true },
      // "not yourself" is checked in followUser: neither a field validator (it does not run on
      // upserts) nor $jsonSchema (it cannot compare two fields) can say it.
      followee: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    },
    { ...options, timestamps: { createdAt: true, updatedAt: false } },
  );
  schema.index({ follower: 1, followee: 1 }, { unique: true, name: 'follows_pair_key' });
  schema.index({ followee: 1 }, { name: 'follows_followee' });
  return schema;
}
