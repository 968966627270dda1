import { type MongoDb } from '../mongo/connection';
import { mapErrors } from '../mongo/errors';

/**
 * Every tag in use, most used first. Tags have no collection of their own (they are embedded
 * in articles), so the list is an aggregation over the multikey index's field.
 */
export async function listTags(db: MongoDb, limit = 100): Promise<string[]> {
  return mapErrors(async () => {
    const rows = await db.Article.aggregate<{ _id: string }>([
      { $unwind: '$tagList' },
      { $group: { _id: '$tagList', n: { $sum: 1 } } },
      { $sort: { n: -1, _id: 1 } },
      { $limit: limit },
    ]);
    return rows.map((r) => r._id);
  });
}
