import { ARTICLE_SCHEMA_VERSION } from './schemas';

/**
 * The same rules again, on the server: a `$jsonSchema` validator on each collection. Why both:
 * mongoose validates only what goes through mongoose. A script with the bare driver, mongosh,
 * another service in another language, an `updateOne` without `runValidators` — all of them
 * write straight to the collection, and only the server's validator sees those writes.
 * Mongoose gives the friendly per-field message; the validator is the guarantee.
 *
 * Keep the validator looser than the app (required fields, types, sizes), not a copy of every
 * rule: changing it is a `collMod` on a live collection, and during a migration it must accept
 * both the old and the new shape — as the article validator does for schemaVersion 1 and 2.
 */
type JsonSchema = Record<string, unknown>;

const string = (min: number, max: number): JsonSchema => ({
  bsonType: 'string',
  minLength: min,
  maxLength: max,
});
const nullableString = (max: number): JsonSchema => ({
  bsonType: ['string', 'null'],
  minLength: 1,
  maxLength: max,
});

export const COLLECTION_VALIDATORS: Record<string, JsonSchema> = {
  users: {
    bsonType: 'object',
    required: ['email', 'username', 'role', 'createdAt'],
    properties: {
      email: { ...string(3, 254), pattern: '^[^\\s@]+@[^\\s@]+$' },
      username: string(1, 64),
      passwordHash: { bsonType: ['string', 'null'] },
      bio: nullableString(2000),
      image: nullableString(2000),
      role: { enum: ['user', 'editor', 'admin'] },
      unverifiedExpiresAt: { bsonType: ['date', 'null'] },
      createdAt: { bsonType: 'date' },
      updatedAt: { bsonType: 'date' },
    },
  },
  articles: {
    bsonType: 'object',
    required: ['slug', 'title', 'description', 'body', 'author', 'schemaVersion'],
    properties: {
      slug: { ...string(1, 120), pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
      title: string(1, 255),
      description: string(1, 1000),
      body: { bsonType: 'string', minLength: 1 },
      tagList: { bsonType: 'array', maxItems: 20, items: string(1, 64) },
      // schemaVersion 1 only: the comma-separated tags the migration lesson turns into tagList.
      tags: { bsonType: 'string' },
      author: { bsonType: 'objectId' },
      favoritesCount: { bsonType: ['int', 'long', 'double'], minimum: 0 },
      schemaVersion: { enum: [1, ARTICLE_SCHEMA_VERSION] },
      createdAt: { bsonType: 'date' },
      updatedAt: { bsonType: 'date' },
    },
  },
  comments: {
    bsonType: 'object',
    required: ['article', 'author', 'body'],
    properties: {
      article: { bsonType: 'objectId' },
      author: { bsonType: 'objectId' },
      body: string(1, 10_000),
    },
  },
  favorites: {
    bsonType: 'object',
    required: ['user', 'article'],
    properties: { user: { bsonType: 'objectId' }, article: { bsonType: 'objectId' } },
  },
  follows: {
    bsonType: 'object',
    required: ['follower', 'followee'],
    properties: { follower: { bsonType: 'objectId' }, followee: { bsonType: 'objectId' } },
  },
};
