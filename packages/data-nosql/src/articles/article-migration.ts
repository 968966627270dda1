import { type MongoDb } from '../mongo/connection';
import { ARTICLE_SCHEMA_VERSION, type ArticleDoc } from '../mongo/schemas';
import { normalizeTags } from './slug';

/**
 * Schema migration of documents. A collection has no ALTER TABLE: old and new shapes live side
 * by side, so every document says which shape it has (`schemaVersion`), and two paths bring
 * the old ones forward:
 *
 * - **lazily**: the repository upgrades a version-1 document when it reads one, and writes the
 *   upgrade back (guarded by `schemaVersion: 1`, so a concurrent writer is never overwritten
 *   with an older view) — hot documents migrate themselves, at no extra cost;
 * - **in bulk**: `migrateArticlesInBulk` rewrites the rest in batches on the server with an
 *   update pipeline, using the partial index on `schemaVersion < 2` to find them.
 *
 * When the bulk run reports 0 left, version 1 can be dropped from the code and the validator.
 *
 * Version 1 stored the tags as one comma-separated string (`tags: "dragons, Training"`), as
 * the editor form sends them; version 2 stores `tagList: ["dragons", "training"]`.
 */
export interface ArticleDocV1 extends Omit<ArticleDoc, 'tagList' | 'schemaVersion'> {
  tags?: string;
  schemaVersion: 1;
}

export type StoredArticle = ArticleDoc | ArticleDocV1;

export function isV1(doc: StoredArticle): doc is ArticleDocV1 {
  return doc.schemaVersion === 1;
}

/** The pure upgrade: the same result as the bulk pipeline below. */
export function upgradeArticle(doc: StoredArticle): ArticleDoc {
  if (!isV1(doc)) return doc;
  const { tags, ...rest } = doc;
  return {
    ...rest,
    tagList: normalizeTags((tags ?? '').split(',')),
    schemaVersion: ARTICLE_SCHEMA_VERSION,
  };
}

/** Lazy path: upgrade in memory, then write back only if nobody migrated it meanwhile. */
export async function upgradeAndSave(db: MongoDb, doc: StoredArticle): Promise<ArticleDoc> {
  if (!isV1(doc)) return doc;
  const upgraded = upgradeArticle(doc);
  // The bare collection, not the model: `tags` is not in the mongoose schema (strict: 'throw').
  await db.Article.collection.updateOne(
    { _id: doc._id, schemaVersion: 1 },
    {
      $set: { tagList: upgraded.tagList, schemaVersion: ARTICLE_SCHEMA_VERSION },
      $unset: { tags: '' },
    },
  );
  return upgraded;
}

/**
 * Bulk path: batches of `batchSize`, each one `updateMany` whose pipeline does on the server
 * what upgradeArticle does in JavaScript: split on ",", trim, lowercase, drop empties, remove
 * duplicates keeping the first. Batches (rather than one updateMany over everything) keep each
 * write short, so a large migration never holds the collection busy for minutes, and can stop
 * and resume: it only ever selects documents still at version 1.
 */
export async function migrateArticlesInBulk(
  db: MongoDb,
  batchSize = 1_000,
): Promise<{ migrated: number; batches: number }> {
  const collection = db.Article.collection;
  let migrated = 0;
  let batches = 0;
  for (;;) {
    const ids = (
      await collection
        .find({ schemaVersion: { $lt: ARTICLE_SCHEMA_VERSION } }, { projection: { _id: 1 } })
        .limit(batchSize)
        .toArray()
    ).map((d) => d._id);
    if (ids.length === 0) return { migrated, batches };
    const result = await collection.updateMany({ _id: { $in: ids }, schemaVersion: 1 }, [
      {
        $set: {
          tagList: {
            $reduce: {
              input: {
                $filter: {
                  input: {
                    $map: {
                      input: { $split: [{ $ifNull: ['$tags', ''] }, ','] },
                      as: 't',
                      in: { $toLower: { $trim: { input: '$$t' } } },
                    },
                  },
                  as: 't',
                  cond: { $ne: ['$$t', ''] },
                },
              },
              initialValue: [],
              in: {
                $cond: [
                  { $in: ['$$this', '$$value'] },
                  '$$value',
                  { $concatArrays: ['$$value', ['$$this']] },
                ],
              },
            },
          },
          schemaVersion: ARTICLE_SCHEMA_VERSION,
        },
      },
      { $unset: 'tags' },
    ]);
    migrated += result.modifiedCount;
    batches += 1;
    // Only a document at a version this code does not know could match nothing: stop, not loop.
    if (result.matchedCount === 0) return { migrated, batches };
  }
}
