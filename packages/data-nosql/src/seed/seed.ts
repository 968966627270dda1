import { Types } from 'mongoose';
import { type MongoDb } from '../mongo/connection';
import { ARTICLE_SCHEMA_VERSION } from '../mongo/schemas';

export interface SeedOptions {
  users?: number;
  articlesPerUser?: number;
  /** Same seed, same data: lessons and tests can assert exact numbers. */
  seed?: number;
}

export interface SeedResult {
  users: number;
  articles: number;
  comments: number;
  favorites: number;
  follows: number;
  ms: number;
}

const TAGS = [
  'dragons',
  'training',
  'node',
  'mongodb',
  'redis',
  'sql',
  'testing',
  'design',
  'ops',
  'typescript',
];

/** A small deterministic pseudo-random generator (mulberry32): no dependency, same every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Replaces the data with a deterministic set, written with insertMany in batches through the
 * bare collections (mongoose would validate and cast every document one by one; the values
 * here are known-good, and the collections' $jsonSchema validators still check each one).
 */
export async function seedMongo(db: MongoDb, options: SeedOptions = {}): Promise<SeedResult> {
  const started = performance.now();
  const rand = random(options.seed ?? 42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
  const userCount = options.users ?? 50;
  const perUser = options.articlesPerUser ?? 10;
  const base = Date.UTC(2026, 0, 1);

  await Promise.all(
    [db.User, db.Article, db.Comment, db.Favorite, db.Follow].map((m) =>
      m.collection.deleteMany({}),
    ),
  );

  const users = Array.from({ length: userCount }, (_, i) => ({
    _id: new Types.ObjectId(),
    email: `user${i}@example.com`,
    username: `user${i}`,
    passwordHash: null,
    bio: i % 3 === 0 ? `I write about ${TAGS[i % TAGS.length]}.` : null,
    image: null,
    role: 'user',
    createdAt: new Date(base + i * 1000),
    updatedAt: new Date(base + i * 1000),
  }));
  const articles = users.flatMap((user, u) =>
    Array.from({ length: perUser }, (_, k) => {
      const n = u * perUser + k;
      const tagList = [...new Set([pick(TAGS), pick(TAGS), pick(TAGS)].slice(0, 1 + (n % 3)))];
      const at = new Date(base + 86_400_000 + n * 60_000);
      return {
        _id: new Types.ObjectId(),
        slug: `article-${n}`,
        title: `Article ${n}`,
        description: `About ${tagList.join(' and ')}`,
        body: `Body of article ${n}. `.repeat(20),
        tagList,
        author: user._id,
        favoritesCount: 0,
        schemaVersion: ARTICLE_SCHEMA_VERSION,
        createdAt: at,
        updatedAt: at,
      };
    }),
  );
  // Popularity is skewed, as in real life: low-numbered articles get most favorites.
  const favoriteKeys = new Set<string>();
  const favorites: {
    _id: Types.ObjectId;
    user: Types.ObjectId;
    article: Types.ObjectId;
    createdAt: Date;
  }[] = [];
  for (let i = 0; i < articles.length * 3; i++) {
    const a = Math.floor(rand() * rand() * articles.length);
    const u = Math.floor(rand() * users.length);
    const key = `${u}:${a}`;
    if (favoriteKeys.has(key)) continue;
    favoriteKeys.add(key);
    articles[a]!.favoritesCount += 1;
    favorites.push({
      _id: new Types.ObjectId(),
      user: users[u]!._id,
      article: articles[a]!._id,
      createdAt: new Date(base),
    });
  }
  const follows: {
    _id: Types.ObjectId;
    follower: Types.ObjectId;
    followee: Types.ObjectId;
    createdAt: Date;
  }[] = [];
  for (let f = 0; f < users.length; f++) {
    for (let k = 1; k <= 5 && k < users.length; k++) {
      follows.push({
        _id: new Types.ObjectId(),
        follower: users[f]!._id,
        followee: users[(f + k * 7) % users.length]!._id,
        createdAt: new Date(base),
      });
    }
  }
  const uniqueFollows = [
    ...new Map(
      follows
        .filter((f) => !f.follower.equals(f.followee))
        .map((f) => [`${f.follower.toHexString()}:${f.followee.toHexString()}`, f]),
    ).values(),
  ];
  const comments = articles.flatMap((article, n) =>
    Array.from({ length: n % 4 }, (_, c) => ({
      _id: new Types.ObjectId(),
      article: article._id,
      author: users[(n + c) % users.length]!._id,
      body: `Comment ${c} on article ${n}`,
      createdAt: new Date(article.createdAt.getTime() + (c + 1) * 1000),
      updatedAt: new Date(article.createdAt.getTime() + (c + 1) * 1000),
    })),
  );

  const insert = async (collection: MongoDb['User']['collection'], docs: object[]) => {
    for (let i = 0; i < docs.length; i += 1000) {
      if (docs.length > 0) await collection.insertMany(docs.slice(i, i + 1000), { ordered: false });
    }
  };
  await insert(db.User.collection, users);
  await insert(db.Article.collection, articles);
  await insert(db.Favorite.collection, favorites);
  await insert(db.Follow.collection, uniqueFollows);
  await insert(db.Comment.collection, comments);
  return {
    users: users.length,
    articles: articles.length,
    comments: comments.length,
    favorites: favorites.length,
    follows: uniqueFollows.length,
    ms: performance.now() - started,
  };
}
