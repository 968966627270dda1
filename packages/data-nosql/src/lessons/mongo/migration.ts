import { Types } from 'mongoose';
import { findArticleBySlug } from '../../articles/articles.repository';
import { migrateArticlesInBulk } from '../../articles/article-migration';
import { type MongoDb } from '../../mongo/connection';

/**
 * Writes `count` articles in the old shape (schemaVersion 1, tags as one string) as an old
 * release of the app would have, reads one through the repository (the lazy path upgrades
 * it), then migrates the rest in bulk. Returns what was at each version after each step.
 */
export interface MigrationReport {
  before: { v1: number; v2: number };
  afterLazyRead: { v1: number; v2: number; tagListRead: string[] };
  afterBulk: { v1: number; v2: number; migrated: number; batches: number };
  sample: { tags: string; tagList: string[] };
}

export async function runMigrationLesson(
  db: MongoDb,
  count = 250,
  batchSize = 100,
): Promise<MigrationReport> {
  const author = await db.User.create({
    email: `migration-${new Types.ObjectId().toHexString()}@example.com`,
    username: `migration-${new Types.ObjectId().toHexString().slice(-8)}`,
  });
  const prefix = `v1-${author._id.toHexString().slice(-6)}`;
  const now = new Date();
  const legacy = Array.from({ length: count }, (_, i) => ({
    slug: `${prefix}-${i}`,
    title: `Legacy article ${i}`,
    description: 'Written by release 1',
    body: 'Old body',
    tags: i % 2 === 0 ? ' Dragons, training ,dragons,, ' : 'mongodb',
    author: author._id,
    favoritesCount: 0,
    schemaVersion: 1,
    createdAt: now,
    updatedAt: now,
  }));
  // The bare collection: the v2 mongoose schema would refuse the v1 shape (strict: 'throw').
  await db.Article.collection.insertMany(legacy);
  const versions = async () => ({
    v1: await db.Article.collection.countDocuments({ author: author._id, schemaVersion: 1 }),
    v2: await db.Article.collection.countDocuments({ author: author._id, schemaVersion: 2 }),
  });
  const before = await versions();

  const read = await findArticleBySlug(db, `${prefix}-0`, null);
  const afterLazyRead = { ...(await versions()), tagListRead: read?.tagList ?? [] };

  const bulk = await migrateArticlesInBulk(db, batchSize);
  const migratedDoc = await db.Article.collection.findOne({ slug: `${prefix}-2` });
  const afterBulk = { ...(await versions()), ...bulk };

  await db.Article.collection.deleteMany({ author: author._id });
  await db.User.deleteOne({ _id: author._id });
  return {
    before,
    afterLazyRead,
    afterBulk,
    sample: {
      tags: legacy[2]!.tags,
      tagList: (migratedDoc?.tagList as string[] | undefined) ?? [],
    },
  };
}
